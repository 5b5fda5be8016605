"""How many simple requests a second FakeIntercom serves (``python -m benchmarks.bench_fake``).

The fake runs in a process of its own (``intercom-sdk mock --port 0 --seed 100``), so its cost is not
mixed with the client's in one interpreter; the load comes from this process over keep-alive
connections (the stdlib ``http.client``: the cheapest client, so the number is the server's):

- ``GET /contacts/{id}`` (one contact, ~1.5 KB) from 1 and from 4 connections (threads),
- ``POST /contacts`` (a create: a write under the fake's lock),
- ``POST /contacts/search`` (an email filter over the 100 seeded contacts, 1 result),
- ``client.contacts.get(id)`` through the SDK (``v2_11.Intercom``): what a user's suite sees.

Each row is the median of ``--reps`` runs of ``--requests`` requests: the rate seen by the client
(wall clock: on a shared machine it moves with the load) and the requests per CPU-second the server
process spent (read from ``/proc``: the fake's capacity on one core, steadier under load). The goal
(issue TESTKIT) is at least 2,000 simple requests a second on the 2-core development machine; the
results are in benchmarks/README.md. No test asserts a time: ``tests/test_benchmarks_smoke.py``
runs this once, tiny.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

HEADERS = {
    "Authorization": "Bearer bench-token",
    "Intercom-Version": "2.11",
    "Content-Type": "application/json",
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc``; 0.0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def mock_process(seed: int = 100) -> Iterator[tuple[str, int]]:
    """``intercom-sdk mock`` on a free port; yields its URL and pid."""
    command = [sys.executable, "-m", "intercom_ext", "mock", "--port", "0", "--seed", str(seed)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        found = re.search(r"http://[\d.]+:\d+", process.stdout.readline())
        if not found:
            raise RuntimeError("intercom-sdk mock did not print its URL")
        yield found.group(0), process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _load(
    url: str, requests: int, connections: int, make: Callable[[int], tuple[str, str, bytes | None]]
) -> float:
    """Requests a second: ``requests`` split over ``connections`` keep-alive connections."""
    host = urlsplit(url)
    share = requests // connections
    errors: list[str] = []

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port)
        try:
            for i in range(share):
                method, path, body = make(offset + i)
                conn.request(method, path, body=body, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{method} {path}: {response.status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n * share,)) for n in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return share * connections / elapsed


def run(requests: int = 4000, reps: int = 3) -> dict[str, tuple[float, float]]:
    """Per scenario, the medians of requests a second (wall clock) and of requests per second of the
    server's CPU time (its capacity on one core, whatever else the machine is doing)."""
    from intercom_ext import v2_11

    results: dict[str, list[tuple[float, float]]] = {}
    with mock_process() as (url, pid):
        conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
        conn.request("GET", "/contacts?per_page=100", headers=HEADERS)
        ids = [c["id"] for c in json.loads(conn.getresponse().read())["data"]]
        conn.close()
        emails = iter(range(10**9))

        def get(i: int) -> tuple[str, str, bytes | None]:
            return "GET", f"/contacts/{ids[i % len(ids)]}", None

        def create(i: int) -> tuple[str, str, bytes | None]:
            return "POST", "/contacts", json.dumps({"email": f"bench{next(emails)}@example.com"}).encode()

        query = json.dumps({"query": {"field": "email", "operator": "=", "value": "user150@example.com"}})

        def search(i: int) -> tuple[str, str, bytes | None]:
            return "POST", "/contacts/search", query.encode()

        client = v2_11.Intercom(token="bench-token", base_url=url)

        def sdk(n: int) -> float:
            start = time.perf_counter()
            for i in range(n):
                client.contacts.get(ids[i % len(ids)])
            return n / (time.perf_counter() - start)

        # (name, requests, measure): searches before creates, so they always search 100 contacts
        scenarios: list[tuple[str, int, Callable[[int], float]]] = [
            ("GET /contacts/{id}, 1 connection", requests, lambda n: _load(url, n, 1, get)),
            ("GET /contacts/{id}, 4 connections", requests, lambda n: _load(url, n, 4, get)),
            (
                "POST /contacts/search (100 contacts), 1 connection",
                requests // 4,
                lambda n: _load(url, n, 1, search),
            ),
            ("client.contacts.get(id) via the SDK, 1 thread", requests // 2, sdk),
            ("POST /contacts (create), 1 connection", requests // 2, lambda n: _load(url, n, 1, create)),
        ]
        # every repetition of the reads first, then the creates (which grow the data)
        order = [s for _ in range(reps) for s in scenarios[:-1]] + [scenarios[-1]] * reps
        for name, n, measure in order:
            before = cpu_seconds(pid)
            rate = measure(n)
            cpu = cpu_seconds(pid) - before
            results.setdefault(name, []).append((rate, n / cpu if cpu > 0 else float("nan")))
        client.close()
    return {
        name: (statistics.median(r for r, _ in values), statistics.median(c for _, c in values))
        for name, values in results.items()
    }


def render(results: dict[str, tuple[float, float]]) -> str:
    lines = ["| scenario | requests/s (wall clock) | requests per server CPU-second |", "|---|---:|---:|"]
    lines += [f"| {name} | {rate:,.0f} | {capacity:,.0f} |" for name, (rate, capacity) in results.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_fake", description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    print(render(run(args.requests, args.reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
