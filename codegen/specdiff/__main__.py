"""Command line for the spec differ and the spec-update workflow.

python -m codegen.specdiff OLD NEW [--codegen]      Markdown changelog between two spec files
python -m codegen.specdiff 2.11 2.14                two manifest versions: the upgrade report
python -m codegen.specdiff update VERSION REF [--file PATH]
                                                    move a manifest entry to an upstream commit
python -m codegen.specdiff check-shared             CI: fail (with the changelog) when a spec in
                                                    ../shared/openapi differs from its manifest pin
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from codegen.manifest import ManifestError, load_history, load_manifest, select
from codegen.specdiff._codegen_effect import diff_packages
from codegen.specdiff._render import render_markdown
from codegen.specdiff._spec import load_spec
from codegen.specdiff._workflow import WorkflowError, check_shared, codegen_effect, guess_version, update_spec


def _diff_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen.specdiff",
        description="Print a Markdown changelog between two OpenAPI descriptions "
        "(subcommands: `update VERSION REF`, `check-shared`; see --help of each).",
    )
    parser.add_argument("old", type=Path, help="old spec file (YAML or JSON)")
    parser.add_argument("new", type=Path, help="new spec file (YAML or JSON)")
    parser.add_argument(
        "--codegen",
        action="store_true",
        help="also generate both specs and report modules/classes/functions added or removed",
    )
    parser.add_argument(
        "--version", help="manifest version to generate as (default: from the spec's info.version)"
    )
    parser.add_argument("--old-code", type=Path, help="compare this generated package dir ...")
    parser.add_argument("--new-code", type=Path, help="... with this one, instead of generating")
    parser.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a change is breaking")
    args = parser.parse_args(argv)
    names = {v.name: v for v in [*load_manifest(), *load_history()]}
    if not args.old.is_file() and not args.new.is_file() and {str(args.old), str(args.new)} <= set(names):
        # Two of our versions (`make spec-diff OLD=2.11 NEW=2.14`): the upgrade report (codegen/upgrade.py).
        from codegen.upgrade import report

        print(report(names[str(args.old)], names[str(args.new)]), end="")
        return 0
    for path in (args.old, args.new):
        if not path.is_file():
            parser.error(f"{path}: no such file")
    old, new = load_spec(args.old), load_spec(args.new)

    from codegen.specdiff import diff_specs

    changelog = diff_specs(old, new)
    effect = None
    if args.old_code or args.new_code:
        if not (args.old_code and args.new_code):
            parser.error("--old-code and --new-code go together")
        effect = diff_packages(args.old_code, args.new_code)
    elif args.codegen:
        versions = load_manifest()
        version = select(versions, [args.version])[0] if args.version else guess_version(new, versions)
        with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the Markdown
            effect = codegen_effect(args.old, args.new, version)
    print(render_markdown(changelog, code=effect, old_label=str(args.old), new_label=str(args.new)), end="")
    return 1 if args.fail_on_breaking and changelog.breaking else 0


def _update_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen.specdiff update",
        description="Pin VERSION to upstream commit REF: rewrite its manifest entry (url, sha256), fetch, "
        "regenerate generated/<package>, and prepend the changelog to openapi/changelog/<VERSION>.md.",
    )
    parser.add_argument("version", help="a version of openapi/versions.toml, e.g. 2.11")
    parser.add_argument("ref", help="full upstream commit sha of intercom/Intercom-OpenAPI")
    parser.add_argument("--file", type=Path, help="use this file instead of downloading (offline machines)")
    parser.add_argument("--no-regenerate", action="store_true", help="do not regenerate generated/")
    args = parser.parse_args(argv)
    update_spec(args.version, args.ref, file=args.file, regenerate=not args.no_regenerate)
    return 0


def _check_shared_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen.specdiff check-shared",
        description="Compare the sha256 of every spec in $INTERCOM_SPEC_DIR (default ../shared/openapi) with "
        "openapi/versions.toml; on a difference print the changelog pinned -> shared and exit 1.",
    )
    parser.add_argument("--offline", action="store_true", help="never try to download the pinned spec")
    args = parser.parse_args(argv)
    if args.offline:
        return check_shared(download=None)
    return check_shared()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"update": _update_main, "check-shared": _check_shared_main}
    try:
        if argv and argv[0] in commands:
            return commands[argv[0]](argv[1:])
        return _diff_main(argv)
    except (WorkflowError, ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
