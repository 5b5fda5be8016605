"""Command line: ``python -m codegen {fetch,generate,check,packages} [VERSION ...]`` (see the Makefile).

``packages`` prints ``-p <package>`` for every manifest version (``make typecheck``'s mypy list).
``python -m codegen spec-watch [--apply] [--from DIR] [--out DIR] [VERSION ...]``: see codegen/specwatch.py.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from codegen import derived
from codegen.fetch import SpecFetchError, fetch
from codegen.manifest import BUILD_DIR, GENERATED_DIR, ROOT, ManifestError, Version, load_manifest, select
from codegen.pipeline import generate_version
from codegen.report import Report


def _generate_one(args: tuple[Version, Path, Path | None]) -> Report:
    version, out_root, spec_out = args
    return generate_version(version, fetch(version, log=False), out_root, spec_out=spec_out)


def _generate_all(versions: list[Version], out_root: Path, spec_root: Path | None = None) -> list[Report]:
    for v in versions:  # fetch first, sequentially, so errors are clear and downloads not raced
        fetch(v)
    jobs = [(v, out_root, spec_root / f"{v.name}.json" if spec_root else None) for v in versions]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        return [_generate_one(j) for j in jobs]
    # Largest spec first: with fewer workers than versions, the longest job (Unstable, ~2x 2.10)
    # must not start last (2 cores: 2.10 then Unstable on one worker took ~2.4 s longer).
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0].cache_path.stat().st_size)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(_generate_one, jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


def _print_reports(reports: list[Report], verbose: bool) -> bool:
    ok = True
    for r in reports:
        print(r.line())
        if verbose:
            for note in r.repairs:
                print(f"    repair {note}")
        if not r.ok:
            ok = False
            for label, items in (
                ("warning", r.warnings),
                ("missing operation", r.missing_operations),
                ("missing schema", r.missing_schemas),
                ("untyped 2xx response", r.untyped),
                ("declared property not typed", r.untyped_properties),
            ):
                for item in items:
                    print(f"    {label}: {item}")
    return ok


def cmd_generate(versions: list[Version], verbose: bool) -> int:
    start = time.perf_counter()
    GENERATED_DIR.mkdir(exist_ok=True)
    reports = _generate_all(versions, GENERATED_DIR)
    ok = _print_reports(reports, verbose)
    for path in derived.write(load_manifest()):  # always the whole manifest, whatever was selected
        print(f"wrote {path.relative_to(ROOT)} (from openapi/versions.toml)")
    print(f"generated {len(reports)} version(s) in {time.perf_counter() - start:.1f} s")
    return 0 if ok else 1


def _diff_trees(expected: Path, actual: Path, limit: int = 200) -> list[str]:
    """Unified diff lines between two package trees (``actual`` is what is committed)."""
    out: list[str] = []
    cmp = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    stack = [(cmp, Path())]
    while stack:
        node, rel = stack.pop()
        out += [f"only in fresh generation: {rel / n}" for n in sorted(node.left_only)]
        out += [f"only in generated/: {rel / n}" for n in sorted(node.right_only)]
        for name in sorted(node.diff_files):
            a = (expected / rel / name).read_text(encoding="utf-8").splitlines(keepends=True)
            b = (actual / rel / name).read_text(encoding="utf-8").splitlines(keepends=True)
            out += difflib.unified_diff(b, a, f"generated/{rel / name}", f"fresh/{rel / name}")
        stack += [(sub, rel / n) for n, sub in sorted(node.subdirs.items())]
    return out[:limit] + ([f"... ({len(out) - limit} more lines)"] if len(out) > limit else [])


def cmd_check(versions: list[Version]) -> int:
    BUILD_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD_DIR, prefix="check-") as tmp:
        reports = _generate_all(versions, Path(tmp), spec_root=Path(tmp) / "specs")
        ok = _print_reports(reports, verbose=False)
        drift = False
        for v in versions:
            committed = GENERATED_DIR / v.package
            if not committed.is_dir():
                print(f"{v.name}: generated/{v.package} is missing; run `make generate` and commit it")
                drift = True
                continue
            diff = _diff_trees(Path(tmp) / v.package, committed)
            if diff:
                drift = True
                print(f"{v.name}: generated/{v.package} differs from what the pinned spec produces:")
                sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
        stale = derived.check(load_manifest())
        if stale:
            drift = True
            print("files derived from openapi/versions.toml are out of date:")
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in stale)
        known = {v.package for v in load_manifest()}
        for extra in sorted(p.name for p in GENERATED_DIR.iterdir() if p.is_dir() and p.name not in known):
            if not extra.startswith((".", "__")):
                drift = True
                print(f"generated/{extra} belongs to no manifest version: delete it")
        if drift:
            print("generated/ is out of date: run `make generate` and commit the result.")
        shutil.rmtree(Path(tmp) / "specs", ignore_errors=True)
    return 0 if ok and not drift else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["spec-watch"]:
        from codegen import specwatch

        return specwatch.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("command", choices=["fetch", "generate", "check", "packages"])
    parser.add_argument("versions", nargs="*", help="versions from openapi/versions.toml (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print what each repair changed")
    args = parser.parse_args(argv)
    try:
        versions = select(load_manifest(), args.versions)
        if args.command == "fetch":
            for v in versions:
                fetch(v)
            return 0
        if args.command == "packages":
            print(" ".join(f"-p {v.package}" for v in versions))
            return 0
        if args.command == "generate":
            return cmd_generate(versions, args.verbose)
        return cmd_check(versions)
    except (ManifestError, SpecFetchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
