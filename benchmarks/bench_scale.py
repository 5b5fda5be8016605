"""5. Rate limit and 6. export: politeness and throughput against a window-limited loopback server.

``ratelimit``: 16 threads, then 16 asyncio tasks, share one client and page through
``contacts.list(per_page=50)`` against ``window_server`` (its own process) enforcing ``LIMIT``
requests per ``WINDOW``-second window (Intercom-style headers on every response, 429 past the
limit), for ``WINDOWS`` windows; once with the limiter disabled (``rate_limiter=None``: what the
SDK did before) and once with the default one. Reported: the 429 share of all requests and the
successful requests per second as a fraction of ``LIMIT / WINDOW``.

``export``: ``COUNT`` contacts from the server adding ``LATENCY`` s per request and enforcing
``EXPORT_LIMIT`` per ``WINDOW`` s. Contenders: ``client.contacts.export(concurrency=8)`` (every
contact), our plain pager ``contacts.list(per_page=150)`` and python-intercom's
``contacts.list(per_page=150)`` (both latency-bound, so measured over the first ``PAGER_ITEMS``
items: their rate is steady). The bound is ``EXPORT_LIMIT / WINDOW * 150`` items/s. Peak RSS of the
export: ``ru_maxrss`` of a fresh process exporting a tenth of the contacts, then all of them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from benchmarks._baseline import python_intercom_installed

TOKEN = "bench-token"
LIMIT, WINDOW, WINDOWS, CALLERS = 100, 2.0, 4, 16
COUNT, LATENCY, EXPORT_LIMIT, PAGER_ITEMS, PER_PAGE = 100_000, 0.1, 100, 15_000, 150


@dataclass
class LimitRun:
    requests: int
    rejected: int
    ok_per_second: float

    @property
    def share_429(self) -> float:
        return self.rejected / self.requests if self.requests else 0.0

    @property
    def fraction(self) -> float:
        return self.ok_per_second / (LIMIT / WINDOW)


@dataclass
class ScaleResult:
    limit: dict[str, LimitRun] = field(default_factory=dict)  # "threads, before" ... -> run
    export: dict[str, tuple[int, float, int, int]] = field(default_factory=dict)  # name -> items, s, req, 429
    rss: dict[int, float] = field(default_factory=dict)  # contacts exported -> peak MiB
    settings: dict[str, Any] = field(default_factory=dict)


@contextmanager
def server(*args: str) -> Iterator[tuple[str, dict[str, Any]]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.window_server", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stats: dict[str, Any] = {}
    try:
        assert proc.stdout is not None and proc.stdin is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"window server did not start: {url!r}")
        yield url, stats
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        line = proc.stdout.readline()
        proc.wait(timeout=30)
        if line.strip():
            stats.update(json.loads(line))


def _aligned_start() -> None:
    """Start at the beginning of a server window, so every run sees the same number of them."""
    now = time.time()
    time.sleep(WINDOW - now % WINDOW + 0.01)


def run_threads(limited: bool, seconds: float) -> LimitRun:
    from intercom_ext import v2_11

    with server("--limit", str(LIMIT), "--window", str(WINDOW), "--count", "100000") as (url, stats):
        kwargs: dict[str, Any] = {} if limited else {"rate_limiter": None}
        client = v2_11.Intercom(token=TOKEN, base_url=url, max_retries=20, **kwargs)
        ok = [0]
        lock = threading.Lock()
        _aligned_start()
        stop = time.time() + seconds

        def caller() -> None:
            while time.time() < stop:
                for _page in client.contacts.list(per_page=50, max_pages=4).pages():
                    with lock:
                        ok[0] += 1
                    if time.time() >= stop:
                        return

        threads = [threading.Thread(target=caller) for _ in range(CALLERS)]
        start = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - start
        client.close()
    return LimitRun(stats["requests"], stats["rejected"], ok[0] / elapsed)


def run_tasks(limited: bool, seconds: float) -> LimitRun:
    from intercom_ext import v2_11

    with server("--limit", str(LIMIT), "--window", str(WINDOW), "--count", "100000") as (url, stats):

        async def main() -> tuple[int, float]:
            kwargs: dict[str, Any] = {} if limited else {"rate_limiter": None}
            ok = 0
            async with v2_11.AsyncIntercom(token=TOKEN, base_url=url, max_retries=20, **kwargs) as client:
                _aligned_start()
                stop = time.time() + seconds

                async def caller() -> None:
                    nonlocal ok
                    while time.time() < stop:
                        async for _page in client.contacts.list(per_page=50, max_pages=4).pages():
                            ok += 1
                            if time.time() >= stop:
                                return

                start = time.time()
                await asyncio.gather(*(caller() for _ in range(CALLERS)))
                return ok, time.time() - start

        ok, elapsed = asyncio.run(main())
    return LimitRun(stats["requests"], stats["rejected"], ok / elapsed)


def _rss_child(count: int, url: str) -> float:
    code = (
        "import resource, sys\n"
        "from intercom_ext import v2_11\n"
        f"c = v2_11.Intercom(token={TOKEN!r}, base_url={url!r})\n"
        "n = sum(1 for x in c.contacts.export(concurrency=8) if x.id)\n"
        f"assert n == {count}, n\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def run_export(
    count: int, pager_items: int
) -> tuple[dict[str, tuple[int, float, int, int]], dict[int, float]]:
    from intercom_ext import v2_11

    out: dict[str, tuple[int, float, int, int]] = {}
    args = (
        "--limit",
        str(EXPORT_LIMIT),
        "--window",
        str(WINDOW),
        "--latency",
        str(LATENCY),
        "--count",
        str(count),
    )

    def measure(name: str, fn: Any) -> None:
        with server(*args) as (url, stats):
            _aligned_start()
            start = time.perf_counter()
            n = fn(url)
            elapsed = time.perf_counter() - start
        out[name] = (n, elapsed, stats["requests"], stats["rejected"])

    def ours_export(url: str) -> int:
        client = v2_11.Intercom(token=TOKEN, base_url=url)
        ids = {c.id for c in client.contacts.export(concurrency=8)}
        assert len(ids) == count, len(ids)
        return len(ids)

    def ours_pager(url: str) -> int:
        client = v2_11.Intercom(token=TOKEN, base_url=url)
        return sum(1 for c in client.contacts.list(per_page=PER_PAGE, max_items=pager_items) if c.id)

    measure("ours: contacts.export(concurrency=8)", ours_export)
    measure("ours: contacts.list pager", ours_pager)
    if python_intercom_installed():

        def theirs(url: str) -> int:
            import intercom

            client = intercom.Intercom(token=TOKEN, base_url=url)
            pager = client.contacts.list(per_page=PER_PAGE)
            return sum(1 for c in itertools.islice(pager, pager_items) if c.id)

        measure("python-intercom: contacts.list pager", theirs)
    rss: dict[int, float] = {}
    fast = ("--limit", "0", "--count")
    for n in (count // 10, count):
        with server(*fast, str(n)) as (url, _):
            rss[n] = _rss_child(n, url)
    return out, rss


def run(*, tiny: bool = False, parts: tuple[str, ...] = ("ratelimit", "export")) -> ScaleResult:
    result = ScaleResult()
    seconds = WINDOW * (1 if tiny else WINDOWS)
    if "ratelimit" in parts:
        for label, fn in (("16 threads", run_threads), ("16 asyncio tasks", run_tasks)):
            for limited in (False, True):
                result.limit[f"{label}, limiter {'on' if limited else 'off (before)'}"] = fn(limited, seconds)
    if "export" in parts:
        count, pager_items = (600, 300) if tiny else (COUNT, PAGER_ITEMS)
        result.export, result.rss = run_export(count, pager_items)
        result.settings = {"count": count, "pager_items": pager_items}
    return result


def render(r: ScaleResult) -> list[str]:
    lines: list[str] = []
    if r.limit:
        lines += [
            f"### Rate limit: {CALLERS} callers share one client; "
            f"server allows {LIMIT} requests per {WINDOW:g} s window",
            "",
            "| callers | requests | 429s | 429 share (goal <= 1 %) | ok requests/s | fraction of "
            f"{LIMIT / WINDOW:g}/s (goal >= 0.90) |",
            "|---|---|---|---|---|---|",
        ]
        for name, run_ in r.limit.items():
            lines.append(
                f"| {name} | {run_.requests} | {run_.rejected} | {run_.share_429:.1%} | "
                f"{run_.ok_per_second:.1f} | {run_.fraction:.2f} |"
            )
        lines.append("")
    if r.export:
        count = r.settings.get("count", COUNT)
        bound = EXPORT_LIMIT / WINDOW * PER_PAGE
        lines += [
            f"### Export: {count:,} contacts, {LATENCY * 1000:.0f} ms per request, "
            f"{EXPORT_LIMIT} requests per {WINDOW:g} s window",
            "",
            f"Bound: {EXPORT_LIMIT / WINDOW:g} requests/s x {PER_PAGE} contacts = {bound:,.0f} contacts/s. "
            f"The pagers read the first {r.settings.get('pager_items', PAGER_ITEMS):,} contacts "
            "(latency-bound, steady rate).",
            "",
            "| contender | contacts | seconds | contacts/s | fraction of bound (goal >= 0.9) "
            "| requests | 429s |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, (n, secs, req, rej) in r.export.items():
            lines.append(
                f"| {name} | {n:,} | {secs:.1f} | {n / secs:,.0f} | {n / secs / bound:.2f} | {req} | {rej} |"
            )
        lines.append("")
        if r.rss:
            parts = ", ".join(f"{n:,} contacts: {mib:.1f} MiB" for n, mib in sorted(r.rss.items()))
            lines += [f"Peak RSS of a process running the export (no rate limit, no latency): {parts}.", ""]
    return lines


def _peak_mib() -> float:  # pragma: no cover - helper for ad-hoc runs
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
