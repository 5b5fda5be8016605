"""4. Generation: ``make generate`` for the three manifest versions (the same code path,
``codegen.__main__._generate_all``, into a temporary directory) vs openapi-python-client 0.29.1
as-is: its CLI with default templates and post-hooks (``ruff check --fix-only``, ``ruff format``),
one version after the other, on the same repaired specs. Wall time, spawn to exit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._stats import Series, alternate, ratio
from codegen.manifest import Version

GOAL_SECONDS = 20.0
TINY = {  # a small, valid spec for the smoke test
    "openapi": "3.0.1",
    "info": {"title": "Tiny", "version": "tiny"},
    "paths": {
        "/contacts/{contact_id}": {
            "get": {
                "operationId": "ShowContact",
                "tags": ["Contacts"],
                "parameters": [
                    {"name": "contact_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/contact"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "contact": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string", "nullable": True},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/tag"}},
                },
            },
            "tag": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        }
    },
}


@dataclass
class GenerateResult:
    versions: list[str]
    times: dict[str, Series]
    vs_stock: Series


def _tiny_version() -> Version:
    return Version(
        name="tiny", package="intercom_tiny", header="tiny", url="file:tiny.json", sha256="0" * 64, shared=""
    )


def _specs(tmp: Path, tiny: bool) -> list[tuple[str, str, Path]]:
    """(version name, package, repaired spec path) for every version, written under ``tmp``."""
    from codegen.fetch import fetch
    from codegen.load import load_spec
    from codegen.manifest import load_manifest
    from codegen.repairs import repair
    from codegen.write_spec import write_spec

    out = []
    if tiny:
        spec = json.loads(json.dumps(TINY))
        repair(spec)
        out.append(("tiny", "intercom_tiny", write_spec(spec, tmp / "repaired" / "tiny.json")))
        return out
    for version in load_manifest():
        spec = load_spec(fetch(version, log=False))
        repair(spec)
        out.append(
            (version.name, version.package, write_spec(spec, tmp / "repaired" / f"{version.name}.json"))
        )
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _timed(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=cwd)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


def run(reps: int = 3, tiny: bool = False) -> GenerateResult:
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as name:
        tmp = Path(name)
        specs = _specs(tmp, tiny)
        tiny_spec = str(specs[0][2]) if tiny else ""
        stock_exe = str(Path(sys.executable).with_name("openapi-python-client"))

        def ours() -> float:
            out = tmp / "ours"
            cmd = [sys.executable, "-m", "benchmarks.bench_generate", "--ours", str(out)]
            return _timed(cmd + (["--tiny", tiny_spec] if tiny else []))

        def stock() -> float:
            total = 0.0
            for _version, package, spec in specs:
                out = tmp / "stock" / package
                cmd = [stock_exe, "generate", "--path", str(spec), "--meta", "none"]
                total += _timed([*cmd, "--output-path", str(out), "--overwrite"], cwd=tmp)
            return total

        times = alternate({"ours": ours, "openapi-python-client as-is": stock}, reps, collect=False)
    return GenerateResult(
        versions=[v for v, _, _ in specs],
        times=times,
        vs_stock=ratio(times["ours"], times["openapi-python-client as-is"]),
    )


def generate_ours(out: Path, tiny_spec: str | None) -> int:
    """What ``make generate`` runs, into ``out`` (the repaired specs go to ``out/specs``)."""
    if tiny_spec:
        from codegen.pipeline import generate_version

        spec_out = out / "specs" / "tiny.json"
        reports = [generate_version(_tiny_version(), Path(tiny_spec), out, spec_out=spec_out)]
    else:
        from codegen.__main__ import _generate_all
        from codegen.manifest import load_manifest

        reports = _generate_all(load_manifest(), out, spec_root=out / "specs")
    bad = [r.line() for r in reports if not r.ok]
    if bad:
        print("\n".join(bad), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_generate")
    parser.add_argument("--ours", type=Path, required=True, help="generate every version into this directory")
    parser.add_argument("--tiny", help="generate this one (repaired) spec instead, as version 'tiny'")
    args = parser.parse_args(argv)
    return generate_ours(args.ours, args.tiny)


if __name__ == "__main__":
    sys.exit(main())
