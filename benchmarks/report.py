"""The results table (printed by ``make bench``) and the README section it writes."""

from __future__ import annotations

import math
import re
import site
import sys
import sysconfig
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks._stats import DASH, Series, fmt_ratio, fmt_series, fmt_time
from benchmarks._stats import TIMES as X
from benchmarks.bench_generate import GOAL_SECONDS, GenerateResult
from benchmarks.bench_import import ImportResult
from benchmarks.bench_iterate import OURS_ALL, RAW_ALL, IterateResult
from benchmarks.bench_parse import JSON_ALL, READ_ALL, ParseResult
from benchmarks.bench_requests import FLOOR, OPERATIONS, OURS, THEIRS, RequestsResult, fmt_us_series

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
START = "<!-- results:start: written by `make bench` (python -m benchmarks); edit outside these markers -->"
END = "<!-- results:end -->"
SCALE_START = (
    "<!-- scale-results:start: written by `make bench` (ratelimit, export); edit outside these markers -->"
)
SCALE_END = "<!-- scale-results:end -->"
FLAT = 1.10  # peak RSS at 100 pages within 10% of the peak at 10 pages


@dataclass
class Results:
    machine: list[str]
    reps: dict[str, int]
    imports: ImportResult | None = None
    parse: ParseResult | None = None
    iterate: IterateResult | None = None
    generate: GenerateResult | None = None
    requests: RequestsResult | None = None
    scale: Any = None  # bench_scale.ScaleResult
    notes: list[str] = field(default_factory=list)


def _mib(x: float) -> str:
    return f"{x:.1f} MiB"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def _ok(s: Series, goal: float) -> bool | None:
    return None if math.isnan(s.median) else s.median <= goal


def _short_paths(line: str) -> str:
    """Profile lines with the repository, site-packages and stdlib prefixes removed."""
    prefixes = [
        str(ROOT) + "/",
        *(p + "/" for p in site.getsitepackages()),
        sysconfig.get_paths()["stdlib"] + "/",
    ]
    for prefix in sorted(prefixes, key=len, reverse=True):
        line = line.replace(prefix, "")
    return re.sub(r" at 0x[0-9a-f]+", "", line)


def _parse_rows(p: ParseResult, what: str, suffix: str, vs_theirs: Series, vs_json: Series) -> list[str]:
    ours, theirs = p.times["ours" + suffix], p.times.get("python-intercom" + suffix)
    json_time = p.times[JSON_ALL if suffix else "json.loads"]
    return [
        f"| 2 | {what} | {fmt_series(ours)} "
        f"| python-intercom {fmt_series(theirs) if theirs else 'not installed'} "
        f"| {fmt_ratio(vs_theirs)} | ≤ 0.2{X} | {_verdict(_ok(vs_theirs, 0.2))} |",
        f"| 2 | the same, vs bare `json.loads`{' (every value visited)' if suffix else ''} "
        f"| {fmt_series(ours)} | `json.loads` {fmt_series(json_time)} | {fmt_ratio(vs_json)} | ≤ 5{X} "
        f"| {_verdict(_ok(vs_json, 5.0))} |",
    ]


def summary_rows(r: Results) -> list[str]:
    rows = [
        f"| # | benchmark | ours | baseline | ours / baseline: median [min{DASH}max] | goal | |",
        "|---|---|---|---|---|---|---|",
    ]
    if r.imports:
        ours, theirs = r.imports.statement["ours"], r.imports.statement.get("python-intercom")
        rows.append(
            "| 1 | cold import: `from intercom_ext import v2_11; v2_11.Intercom(token=…).contacts` "
            f"| {fmt_series(ours)} | python-intercom {fmt_series(theirs) if theirs else 'not installed'} "
            f"| {fmt_ratio(r.imports.ratio)} | ≤ 0.2{X} | {_verdict(_ok(r.imports.ratio, 0.2))} |"
        )
    if r.parse:
        p = r.parse
        what = f"parse one list page ({p.contacts} contacts, {p.size / 1000:.0f} KB) into typed models"
        rows += _parse_rows(p, what, "", p.vs_theirs, p.vs_json)
        rows += _parse_rows(
            p,
            "the same, then every attribute read (all our nested models built)",
            READ_ALL,
            p.all_vs_theirs,
            p.all_vs_json,
        )
    if r.iterate:
        it = r.iterate
        what = f"iterate {it.pages} pages {X} {it.per_page} contacts from a loopback server"
        rows.append(
            f"| 3 | {what}: `client.contacts.list()`, reading each `id` | {fmt_series(it.times['ours'])} "
            f"| raw httpx + `json.loads` {fmt_series(it.times['raw httpx'])} | {fmt_ratio(it.vs_raw)} "
            f"| ≤ 1.3{X} | {_verdict(_ok(it.vs_raw, 1.3))} |"
        )
        rows.append(
            f"| 3 | the same, reading every attribute (every nested model built) "
            f"| {fmt_series(it.times[OURS_ALL])} | raw httpx, every JSON value visited "
            f"{fmt_series(it.times[RAW_ALL])} | {fmt_ratio(it.all_vs_raw)} | (for reference) | |"
        )
        lo, hi = min(it.rss["ours"]), max(it.rss["ours"])
        growth = it.rss["ours"][hi][1] / it.rss["ours"][lo][1]
        raw = it.rss.get("raw httpx")
        base = f"raw httpx {_mib(raw[lo][1])} → {_mib(raw[hi][1])}" if raw else "n/a"
        rows.append(
            f"| 3 | peak RSS, {lo} → {hi} pages | {_mib(it.rss['ours'][lo][1])} → "
            f"{_mib(it.rss['ours'][hi][1])} | {base} | {growth:.2f}{X} ({hi} vs {lo} pages, ours) "
            f"| flat (≤ {FLAT:.2f}{X}) | {_verdict(growth <= FLAT)} |"
        )
    if r.generate:
        g = r.generate
        ours = g.times["ours"]
        rows.append(
            f"| 4 | `make generate`, {len(g.versions)} version(s) ({', '.join(g.versions)}) "
            f"| {fmt_series(ours)} | openapi-python-client as-is "
            f"{fmt_series(g.times['openapi-python-client as-is'])} | {fmt_ratio(g.vs_stock)} "
            f"| ≤ {GOAL_SECONDS:.0f} s | {_verdict(ours.median <= GOAL_SECONDS)} |"
        )
    if r.requests:
        rows += _requests_rows(r.requests)
    return rows


REQUEST_CALLS = {
    "contacts.update": '`contacts.update("c-7", …)` (5 fields + custom attributes)',
    "tickets.create": "`tickets.create(ticket_type_id=…, contacts=[…], ticket_attributes={…})`",
}


def _requests_rows(q: RequestsResult) -> list[str]:
    rows: list[str] = []
    for operation in OPERATIONS:
        times = q.times[operation]
        ours, theirs = times[OURS], times.get(THEIRS)
        vs_theirs = q.vs_theirs.get(operation)
        rows.append(
            f"| 5 | one write request to an `httpx.MockTransport`, response parsed, per call: "
            f"{REQUEST_CALLS[operation]} | {fmt_us_series(ours)} "
            f"| python-intercom {fmt_us_series(theirs) if theirs else 'not installed'} "
            f"| {fmt_ratio(vs_theirs) if vs_theirs else 'n/a'} | ≤ 1{X} "
            f"| {_verdict(_ok(vs_theirs, 1.0) if vs_theirs else None)} |"
        )
        rows.append(
            f"| 5 | the same, vs `json.dumps` + `httpx.Client.build_request`/`send` + `json.loads` "
            f"| {fmt_us_series(ours)} | `json.dumps` + httpx {fmt_us_series(times[FLOOR])} "
            f"| {fmt_ratio(q.vs_floor[operation])} | (for reference) | |"
        )
    return rows


def _requests_details(q: RequestsResult) -> list[str]:
    out = ["#### 5. Write requests", ""]
    out += [f"| contender | {' | '.join(f'`{op}`, per call' for op in OPERATIONS)} |", "|---|---|---|"]
    names = list(dict.fromkeys(name for op in OPERATIONS for name in q.times[op]))
    for name in names:
        cells = [
            fmt_us_series(q.times[op][name]) if name in q.times[op] else "not installed" for op in OPERATIONS
        ]
        out.append(f"| {name} | {' | '.join(cells)} |")
    for label, ratios in (("python-intercom", q.vs_theirs), ("`json.dumps` + httpx", q.vs_floor)):
        cells = [fmt_ratio(ratios[op]) if op in ratios else "n/a" for op in OPERATIONS]
        out.append(f"| ours / {label} | {' | '.join(cells)} |")
    shares = ", ".join(f"`{op}` {q.build_share[op]:.0%}" for op in OPERATIONS)
    sizes = ", ".join(f"`{op}` {q.body_sizes[op]} bytes" for op in OPERATIONS)
    out += [
        "",
        f"{q.calls} calls per measurement. Request bodies (ours): {sizes}. Share of our call spent "
        f"checking and encoding the keywords (`intercom_ext._request.build`, under cProfile): {shares}.",
        "",
        "cProfile of ours (both operations, by own time):",
        "",
        "```",
    ]
    out += [_short_paths(line) for line in q.profile]
    out += ["```", ""]
    return out


def detail_sections(r: Results) -> list[str]:
    out: list[str] = []
    reps = ", ".join(f"{k} {v}" for k, v in r.reps.items())
    out += [f"Repetitions (alternating contenders): {reps}.", ""]
    if r.imports:
        imp = r.imports
        out += ["#### 1. Cold import", ""]
        out += ["| contender | statement (in the child) | process, spawn to exit |", "|---|---|---|"]
        for name, s in imp.statement.items():
            out.append(f"| {name} | {fmt_series(s)} | {fmt_series(imp.process[name])} |")
        out += [
            "",
            "(httpx preloaded): the child runs `import httpx, httpcore` before starting the timer, so "
            "the statement's time without importing httpx. To the first contact: the same child also "
            "gets the first page of `contacts.list()` from a loopback server and its first contact "
            "(ours imports httpx and builds its `httpx.Client` on that first request): "
            f"ours / python-intercom {fmt_ratio(imp.first_ratio)}.",
        ]
        out += [
            "",
            "Our statement under `python -X importtime` (cumulative, self, module; ≥ 4 ms, 3 levels):",
            "",
            "```",
            *imp.importtime,
            "```",
            "",
        ]
    if r.parse:
        p = r.parse
        out += ["#### 2. Parse", "", "| contender | time per page |", "|---|---|"]
        out += [f"| {name} | {fmt_series(s)} |" for name, s in p.times.items()]
        out += [
            "",
            "The walkers alone (best of 5): reading every attribute of our page once every nested model "
            f"is built {fmt_time(p.walk_models)}; visiting every value of the decoded JSON "
            f"{fmt_time(p.walk_json)}.",
        ]
        out += ["", "cProfile of ours (5 pages, by own time):", "", "```"]
        out += [_short_paths(line) for line in p.profile]
        out += ["```", ""]
    if r.iterate:
        it = r.iterate
        out += [
            "#### 3. Iterate",
            "",
            f"| contender | {it.pages} pages | ours / contender |",
            "|---|---|---|",
        ]
        for name, s in it.times.items():
            ratio = it.times["ours"].median / s.median
            out.append(f"| {name} | {fmt_series(s)} | {ratio:.2f}{X} |")
        out += ["", "| contender | RSS before | peak, by pages iterated |", "|---|---|---|"]
        for name, by_pages in it.rss.items():
            peaks = ", ".join(
                f"{n} page{'s' if n > 1 else ''}: {_mib(peak)}"
                for n, (_before, peak) in sorted(by_pages.items())
            )
            before = min(b for b, _ in by_pages.values())
            out.append(f"| {name} | {_mib(before)} | {peaks} |")
        out += ["", "Cyclic garbage collector, one run each (`gc.callbacks`):", ""]
        out += ["| contender | run | in the collector | collections (gen 0/1/2) |", "|---|---|---|---|"]
        for name, (total, spent, counts) in it.gc.items():
            gens = "/".join(str(c) for c in counts)
            out.append(f"| {name} | {fmt_time(total)} | {fmt_time(spent)} ({spent / total:.0%}) | {gens} |")
        out += ["", "cProfile of ours (one run of every page, by own time):", "", "```"]
        out += [_short_paths(line) for line in it.profile]
        out += ["```", ""]
    if r.generate:
        g = r.generate
        out += ["#### 4. Generation", "", "| contender | wall time |", "|---|---|"]
        out += [f"| {name} | {fmt_series(s)} |" for name, s in g.times.items()]
        out.append("")
    if r.requests:
        out += _requests_details(r.requests)
    out += r.notes
    return out


def render(r: Results) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Measured {when} with `{' '.join(['python -m benchmarks', *sys.argv[1:]])}` on:", ""]
    lines += [f"- {m}" for m in r.machine]
    lines += ["", *summary_rows(r), "", *detail_sections(r)]
    return "\n".join(lines).rstrip() + "\n"


def render_scale(r: Results) -> str:
    from benchmarks import bench_scale

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Measured {when} with `{' '.join(['python -m benchmarks', *sys.argv[1:]])}` on:", ""]
    lines += [f"- {m}" for m in r.machine]
    lines += ["", *bench_scale.render(r.scale)]
    return "\n".join(lines).rstrip() + "\n"


def write_readme(text: str, path: Path = README, *, start: str = START, end: str = END) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in old or end not in old:
        title = "Results" if start == START else "Rate limit and export results"
        old = old.rstrip() + f"\n\n## {title}\n\n{start}\n{end}\n"
    head, rest = old.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{text}{end}{tail}", encoding="utf-8")
