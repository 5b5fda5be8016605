"""The pipeline, in order, for one version: fetch -> load -> repair -> enum names -> validate ->
write spec -> generate -> facade -> finalize -> format -> report. Each step is one module of this
package."""

from __future__ import annotations

import copy
from pathlib import Path

from codegen import enum_names
from codegen.facade import write_facade
from codegen.finalize import finalize
from codegen.format import format_package
from codegen.generate import run_generator
from codegen.load import load_spec
from codegen.manifest import Version
from codegen.repairs import repair
from codegen.report import Report, build_report
from codegen.validate import validate_spec
from codegen.write_spec import write_spec


def generate_version(
    version: Version, spec_path: Path, out_root: Path, *, spec_out: Path | None = None
) -> Report:
    """Generate ``version`` from ``spec_path`` into ``out_root/<package>`` and measure the result.

    ``spec_out`` is where the repaired spec is written (default: ``version.repaired_path``).
    """
    upstream = load_spec(spec_path)
    spec = copy.deepcopy(upstream)
    notes = repair(spec)
    enum_names.apply(spec)
    validate_spec(spec, version.name)
    write_spec(spec, spec_out or version.repaired_path)
    package_dir = out_root / version.package
    data, warnings, env = run_generator(spec, version.package, package_dir)
    if data is None or env is None:
        return Report(version.name, (0, 0), (0, 0), (0, 0), warnings=warnings)
    write_facade(env, version, data, spec, package_dir)
    finalize(package_dir, version)
    format_package(package_dir)
    report = build_report(version.name, upstream, spec, data, warnings)
    report.repairs = notes
    return report
