"""3. Iterate: every contact of 100 pages x 150 contacts from one loopback server (``server.py``, its
own process) with ``client.contacts.list(per_page=150)`` (ours), python-intercom's pager
(``Intercom(...).contacts.list(per_page=150)``) and a raw loop (``httpx.Client.get`` +
``json.loads`` + the next cursor). Each client is built before timing; each run reads every page
and touches every contact's ``id``.

"raw httpx + our models" is the raw loop plus ``ContactList.from_dict`` per page: the part of our
time that is parsing into typed models, measured in the same run.

Our models build nested models on first read, so touching only ``id`` builds none of them. The two
"every ... read" contenders give the other end, like for like: every value of the decoded JSON
visited (raw httpx) vs every attribute of every model read, so every nested model built (ours).

Peak RSS: a fresh process per contender iterates 10 or 100 pages; ``ru_maxrss`` before and after.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import itertools
import json
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from benchmarks import _touch
from benchmarks._baseline import python_intercom_installed
from benchmarks._stats import Series, alternate, ratio

TOKEN = "bench-token"


@dataclass
class IterateResult:
    pages: int
    per_page: int
    times: dict[str, Series]
    vs_raw: Series
    all_vs_raw: Series  # ours, every attribute read / raw httpx, every JSON value read
    vs_theirs: Series
    rss: dict[str, dict[int, tuple[float, float]]]  # contender -> pages -> (MiB before, peak MiB)
    profile: list[str]
    gc: dict[str, tuple[float, float, list[int]]]  # contender -> (run s, s in the collector, runs per gen)


@contextmanager
def loopback_server(pages: int, per_page: int) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", "--pages", str(pages), "--per-page", str(per_page)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"benchmark server did not start: {url!r}")
        yield url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


RSS_CONTENDERS: tuple[str, ...] = ("raw httpx", "ours", "python-intercom")
RAW_ALL = "raw httpx, every JSON value read"
OURS_ALL = "ours, every attribute read"


def raw_loop(
    http: Any,
    per_page: int,
    max_pages: int | None,
    build: Callable[[Any], Any] | None = None,
    read_all: bool = False,
) -> int:
    seen = 0
    params: dict[str, Any] = {"per_page": per_page}
    for _ in itertools.count() if max_pages is None else range(max_pages):
        response = http.get("/contacts", params=params, headers={"Authorization": f"Bearer {TOKEN}"})
        response.raise_for_status()
        page = json.loads(response.content)
        if read_all:
            seen += sum(1 for contact in page["data"] if _touch.read_json(contact) and contact["id"])
        elif build is None:
            seen += sum(1 for contact in page["data"] if contact["id"])
        else:
            seen += sum(1 for contact in build(page).data if contact.id)
        following = (page.get("pages") or {}).get("next")
        if not following:
            break
        params = {"per_page": per_page, "starting_after": following["starting_after"]}
    return seen


def make_clients(
    url: str, per_page: int, contenders: tuple[str, ...]
) -> dict[str, Callable[[int | None], int]]:
    """contender -> run(max_pages) returning the number of contacts seen."""
    out: dict[str, Callable[[int | None], int]] = {}
    if {"raw httpx", "raw httpx + our models", RAW_ALL} & set(contenders):
        import httpx

        http = httpx.Client(base_url=url)
        out["raw httpx"] = lambda max_pages: raw_loop(http, per_page, max_pages)
        out[RAW_ALL] = lambda max_pages: raw_loop(http, per_page, max_pages, read_all=True)
        if "raw httpx + our models" in contenders:
            from intercom_v2_11.models import ContactList

            out["raw httpx + our models"] = lambda max_pages: raw_loop(
                http, per_page, max_pages, ContactList.from_dict
            )
    if "ours" in contenders or OURS_ALL in contenders:
        from intercom_ext import v2_11

        client = v2_11.Intercom(token=TOKEN, base_url=url)

        def ours(max_pages: int | None) -> int:
            return sum(1 for c in client.contacts.list(per_page=per_page, max_pages=max_pages) if c.id)

        def ours_all(max_pages: int | None) -> int:
            contacts = client.contacts.list(per_page=per_page, max_pages=max_pages)
            return sum(1 for c in contacts if _touch.read_models(c) and c.id)

        out["ours"] = ours
        out[OURS_ALL] = ours_all
    if "python-intercom" in contenders:
        import intercom

        theirs_client = intercom.Intercom(token=TOKEN, base_url=url)

        def theirs(max_pages: int | None) -> int:
            pager = theirs_client.contacts.list(per_page=per_page)
            limit = None if max_pages is None else max_pages * per_page
            return sum(1 for c in itertools.islice(pager, limit) if c.id)

        out["python-intercom"] = theirs
    return {name: out[name] for name in contenders if name in out}


def available(contenders: tuple[str, ...]) -> tuple[str, ...]:
    if python_intercom_installed():
        return contenders
    return tuple(c for c in contenders if c != "python-intercom")


def _profile(run_once: Callable[[], Any], top: int = 16) -> list[str]:
    prof = cProfile.Profile()
    prof.enable()
    run_once()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return [lines[0].strip(), *lines[start:]]


def _status_kib(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    """Linux: restart this process's peak-RSS counter (VmHWM) from its current RSS."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def gc_share(run_once: Callable[[], Any]) -> tuple[float, float, list[int]]:
    """One run: its wall time, the time spent in the cyclic garbage collector (``gc.callbacks``)
    and the number of collections of each generation."""
    spent = [0.0]
    counts = [0, 0, 0]
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            counts[info["generation"]] += 1

    gc.collect()
    gc.callbacks.append(callback)
    try:
        start = time.perf_counter()
        run_once()
        total = time.perf_counter() - start
    finally:
        gc.callbacks.remove(callback)
    return total, spent[0], counts


def rss_child(contender: str, url: str, pages: int, per_page: int) -> dict[str, float]:
    """RSS (MiB) once the client is built, and the peak while iterating ``pages`` pages. Linux:
    VmRSS / VmHWM of this process (``ru_maxrss`` would include the parent's RSS at fork time)."""
    run = make_clients(url, per_page, (contender,))[contender]
    gc.collect()
    before = _status_kib("VmRSS")
    _reset_peak()
    seen = run(pages)
    assert seen == pages * per_page, (seen, pages, per_page)
    peak = _status_kib("VmHWM")
    if before is None or peak is None:  # not Linux: the process's peak so far
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024
        before = peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale
    return {"before": before / 1024, "peak": peak / 1024}


def measure_rss(url: str, contender: str, pages: int, per_page: int) -> tuple[float, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_iterate",
            "--rss",
            contender,
            url,
            str(pages),
            str(per_page),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["before"], data["peak"]


def run(
    reps: int = 5,
    pages: int = 100,
    per_page: int = 150,
    rss_pages: tuple[int, int] = (10, 100),
    contenders: tuple[str, ...] = (
        "raw httpx",
        "ours",
        "python-intercom",
        "raw httpx + our models",
        RAW_ALL,
        OURS_ALL,
    ),
) -> IterateResult:
    contenders = available(contenders)
    with loopback_server(max(pages, *rss_pages), per_page) as url:
        clients = make_clients(url, per_page, contenders)
        for name, fn in clients.items():  # warm-up, and every contender sees every contact
            assert fn(pages) == pages * per_page, name

        def timed(fn: Callable[[int | None], int]) -> Callable[[], float]:
            def once() -> float:
                start = time.perf_counter()
                fn(pages)
                return time.perf_counter() - start

            return once

        times = alternate({name: timed(fn) for name, fn in clients.items()}, reps)
        profile = _profile(lambda: clients["ours"](pages))
        collector = {
            name: gc_share(lambda fn=fn: fn(pages))  # type: ignore[misc]
            for name, fn in clients.items()
            if name != "python-intercom"
        }
        rss = {
            name: {n: measure_rss(url, name, n, per_page) for n in rss_pages}
            for name in RSS_CONTENDERS
            if name in contenders
        }
    theirs = times.get("python-intercom")
    return IterateResult(
        pages=pages,
        per_page=per_page,
        times=times,
        vs_raw=ratio(times["ours"], times["raw httpx"]),
        all_vs_raw=ratio(times[OURS_ALL], times[RAW_ALL]),
        vs_theirs=ratio(times["ours"], theirs) if theirs else Series([float("nan")]),
        rss=rss,
        profile=profile,
        gc=collector,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_iterate")
    parser.add_argument("--rss", nargs=4, metavar=("CONTENDER", "URL", "PAGES", "PER_PAGE"), required=True)
    args = parser.parse_args(argv)
    contender, url, pages, per_page = args.rss
    print(json.dumps(rss_child(contender, url, int(pages), int(per_page))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
