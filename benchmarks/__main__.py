"""``python -m benchmarks``: run the benchmarks, print the results, write them to README.md."""

from __future__ import annotations

import argparse
import sys

from benchmarks import machine, report

ALL = ("import", "parse", "iterate", "generate", "requests", "ratelimit", "export", "burst", "fleet", "redis")
SCALE = ("ratelimit", "export", "burst", "fleet", "redis")
FULL = {"import": 15, "parse": 25, "iterate": 5, "generate": 3, "requests": 15} | dict.fromkeys(SCALE, 1)
QUICK = {"import": 5, "parse": 7, "iterate": 2, "generate": 1, "requests": 5} | dict.fromkeys(SCALE, 1)


def run(
    only: tuple[str, ...] = ALL, reps: dict[str, int] | None = None, tiny: bool = False
) -> report.Results:
    """Run the selected benchmarks. ``tiny``: minimal inputs, one repetition (the smoke test)."""
    from benchmarks import bench_generate, bench_import, bench_iterate, bench_parse, bench_requests

    reps = dict(reps or FULL)
    if tiny:
        reps = dict.fromkeys(reps, 1)
    results = report.Results(machine=machine.describe(), reps={k: reps[k] for k in only if k not in SCALE})
    if "import" in only:
        print("1/5 cold import ...", file=sys.stderr, flush=True)
        results.imports = bench_import.run(reps["import"])
    if "parse" in only:
        print("2/5 parse ...", file=sys.stderr, flush=True)
        results.parse = bench_parse.run(reps["parse"], per_page=3 if tiny else 150)
    if "iterate" in only:
        print("3/5 iterate ...", file=sys.stderr, flush=True)
        sizes = {"pages": 2, "per_page": 3, "rss_pages": (1, 2)} if tiny else {}
        results.iterate = bench_iterate.run(reps["iterate"], **sizes)  # type: ignore[arg-type]
    if "generate" in only:
        print("4/5 generate ...", file=sys.stderr, flush=True)
        results.generate = bench_generate.run(reps["generate"], tiny=tiny)
    if "requests" in only:
        print("5/5 write requests ...", file=sys.stderr, flush=True)
        results.requests = bench_requests.run(reps["requests"], calls=2 if tiny else bench_requests.CALLS)
    scale = tuple(k for k in only if k in SCALE)
    if scale:
        from benchmarks import bench_scale

        print(f"6-10/10 {', '.join(scale)} ...", file=sys.stderr, flush=True)
        results.scale = bench_scale.run(tiny=tiny, parts=scale)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=ALL, default=list(ALL), help="benchmarks to run")
    parser.add_argument("--quick", action="store_true", help=f"fewer repetitions: {QUICK}")
    parser.add_argument(
        "--no-readme", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args(argv)
    results = run(tuple(args.only), QUICK if args.quick else FULL)
    classic = any(k not in SCALE for k in args.only)
    text = report.render(results) if classic else ""
    scale_text = report.render_scale(results) if results.scale is not None else ""
    print(text + scale_text)
    if not args.no_readme:
        if classic:
            report.write_readme(text)
        if scale_text:
            report.write_readme(scale_text, start=report.SCALE_START, end=report.SCALE_END)
        print(f"written to {report.README.relative_to(report.ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
