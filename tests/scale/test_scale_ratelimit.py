"""The rate limiter under threads and asyncio tasks, on a fake clock: no window gets more requests
than its limit, and the user's ceiling holds. A fake server (in process, or the loopback
``benchmarks.window_server``) counts the requests of each window by the same fake clock."""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
from collections import Counter

import pytest

from benchmarks.window_server import WindowServer
from intercom_ext import IntercomConfigError, RateLimiter, v2_11
from intercom_ext.testing import FakeClock

START = 1_700_000_000.0


class FakeServer:
    """Counts requests per ``window``-second window and answers like Intercom (429 past ``limit``)."""

    def __init__(self, clock: FakeClock, limit: int, window: float) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.windows: Counter[int] = Counter()
        self.rejected = 0
        self.lock = threading.Lock()

    def handle(self) -> tuple[int, dict[str, str]]:
        with self.lock:
            index = math.floor(self.clock.time() / self.window)
            self.windows[index] += 1
            used = self.windows[index]
            status = 200 if used <= self.limit else 429
            self.rejected += status == 429
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(max(self.limit - used, 0)),
                "X-RateLimit-Reset": str(int((index + 1) * self.window)),
            }
            return status, headers


def test_threads_never_exceed_a_window() -> None:
    clock = FakeClock(START)
    server = FakeServer(clock, limit=20, window=10)
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)

    def caller() -> None:
        for _ in range(40):
            ticket = limiter.acquire()
            clock.sleep(0.05)  # the request takes time: other windows may start meanwhile
            status, headers = server.handle()
            limiter.release(ticket, headers, status)

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(server.windows.values()) == 8 * 40
    assert server.rejected == 0
    assert max(server.windows.values()) <= 20


async def test_tasks_never_exceed_a_window() -> None:
    clock = FakeClock(START)
    server = FakeServer(clock, limit=15, window=10)
    limiter = RateLimiter(clock=clock.time, async_sleep=clock.async_sleep)

    async def caller() -> None:
        for _ in range(30):
            ticket = await limiter.acquire_async()
            await clock.async_sleep(0.05)
            status, headers = server.handle()
            limiter.release(ticket, headers, status)

    await asyncio.gather(*(caller() for _ in range(16)))
    assert sum(server.windows.values()) == 16 * 30
    assert server.rejected == 0
    assert max(server.windows.values()) <= 15


def test_ceiling_spaces_permits() -> None:
    clock = FakeClock(START)
    limiter = RateLimiter(max_requests_per_minute=60, clock=clock.time, sleep=clock.sleep)
    times = []
    for _ in range(5):
        limiter.release(limiter.acquire())
        times.append(clock.time())
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [1.0, 1.0, 1.0, 1.0]


def test_server_without_headers_is_not_limited() -> None:
    clock = FakeClock(START)
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    for _ in range(100):
        limiter.release(limiter.acquire(), {}, 200)
    assert clock.time() == START  # never waited


def test_config_errors() -> None:
    with pytest.raises(ValueError):
        RateLimiter(max_requests_per_minute=0)
    with pytest.raises(IntercomConfigError):
        v2_11.Intercom(token="t", rate_limiter=RateLimiter(), max_requests_per_minute=10)
    with pytest.raises(IntercomConfigError):
        v2_11.Intercom(token="t", max_requests_per_minute=-1)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_clients_sharing_one_limiter_over_http(asynchronous: bool) -> None:
    """Two facade clients, 4 threads (or tasks) each, one RateLimiter, a loopback server on the fake clock."""
    clock = FakeClock(START)
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep, async_sleep=clock.async_sleep)
    with WindowServer(limit=10, window=10, count=400, clock=clock.time, now=int(START)) as server:
        if asynchronous:

            async def main() -> int:
                clients = [
                    v2_11.AsyncIntercom(
                        token="t",
                        base_url=server.url,
                        rate_limiter=limiter,
                        sleep=clock.async_sleep,
                        clock=clock.time,
                    )
                    for _ in range(2)
                ]

                async def walk(client: v2_11.AsyncIntercom) -> int:
                    return len([c async for c in client.contacts.list(per_page=20, max_items=100)])

                counts = await asyncio.gather(*(walk(c) for c in clients for _ in range(4)))
                for c in clients:
                    await c.close()
                return sum(counts)

            total = asyncio.run(main())
        else:
            clients = [
                v2_11.Intercom(
                    token="t", base_url=server.url, rate_limiter=limiter, sleep=clock.sleep, clock=clock.time
                )
                for _ in range(2)
            ]
            counts: list[int] = []

            def walk(client: v2_11.Intercom) -> None:
                counts.append(len(list(client.contacts.list(per_page=20, max_items=100))))

            threads = [threading.Thread(target=walk, args=(c,)) for c in clients for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            total = sum(counts)
    assert total == 8 * 100
    assert server.rejected == 0
    assert max(server.windows.values()) <= 10
    assert limiter.stats.permits == server.requests


class EventClock:
    """A discrete-event fake clock for threads: time jumps to the earliest wake-up once every
    participating thread is asleep, so each thread's sleeps are its own (a request's latency does
    not depend on how many other threads there are, unlike :class:`FakeClock`)."""

    def __init__(self, participants: int) -> None:
        self.now = START
        self.active = participants
        self.sleeping: list[list[float]] = []  # [wake-up time, woken (0/1)]
        self.cv = threading.Condition()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.cv:
            entry = [self.now + max(seconds, 0.0), 0.0]
            self.sleeping.append(entry)
            self._advance()
            while not entry[1]:
                self.cv.wait()

    def leave(self) -> None:
        with self.cv:
            self.active -= 1
            self._advance()

    def _advance(self) -> None:
        if self.sleeping and len(self.sleeping) == self.active:
            self.now = max(self.now, min(e[0] for e in self.sleeping))
            for e in self.sleeping:
                if e[0] <= self.now:
                    e[1] = 1.0
            self.sleeping = [e for e in self.sleeping if not e[1]]
            self.cv.notify_all()


@pytest.mark.parametrize("counted_at", [0.0, 0.5, 1.0])
def test_threads_fill_windows_whenever_the_server_counts(counted_at: float) -> None:
    """16 threads, 200 ms per request, 100 requests per 2 s window; the server counts a request when it
    arrives (0.0), halfway (0.5) or when it is done (1.0, like ``benchmarks.window_server``). No
    window ever gets more than its limit, and every full window is used to at least 95 %: the
    requests sent just before a reset, counted in the next window, are charged to it (before that,
    the windows of the 1.0 case got 91-92 requests: the end of every window went unused). Threads
    woken at the same fake instant run in whatever order the OS picks, so a window's count varies
    from run to run (96-100 seen with bursts allowed); the product goal is 90 % of the limit."""
    threads, latency = 16, 0.2
    clock = EventClock(threads)
    server = FakeServer(clock, limit=100, window=2)  # type: ignore[arg-type]
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    end = START + 24

    def caller() -> None:
        try:
            while clock.time() < end:
                ticket = limiter.acquire()
                clock.sleep(latency * counted_at)
                status, headers = server.handle()
                clock.sleep(latency * (1 - counted_at))
                limiter.release(ticket, headers, status)
        finally:
            clock.leave()

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert server.rejected == 0
    assert max(server.windows.values()) <= 100
    # Not the first two (the lead is learned at two resets) and not the last.
    full = [n for index, n in sorted(server.windows.items())][2:-1]
    assert len(full) >= 10 and min(full) >= 95, full


def _burst(
    total: int, threads: int, limit: int, window: float, latency: float
) -> tuple[float, int, RateLimiter]:
    """``total`` requests from ``threads`` threads at once, starting at a window's start (fake clock):
    (seconds until the last response, 429s, the limiter)."""
    clock = EventClock(threads)
    server = FakeServer(clock, limit=limit, window=window)  # type: ignore[arg-type]
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    left = [total]
    lock = threading.Lock()
    done_at = [START]

    def caller() -> None:
        try:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                while True:
                    ticket = limiter.acquire()
                    clock.sleep(latency)
                    status, headers = server.handle()
                    limiter.release(ticket, headers, status)
                    if status != 429:
                        break
                with lock:
                    done_at[0] = max(done_at[0], clock.time())
        finally:
            clock.leave()

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return done_at[0] - START, server.rejected, limiter


def test_a_burst_uses_the_window_budget_at_once() -> None:
    """1.5 budgets from 24 threads: the ideal is the whole budget at once and the rest at the next
    window's start, i.e. one window plus a request's latency. Paced evenly over the windows, the
    same burst took 1.33 times that; the goal is 1.15, with at most 1 % of 429s."""
    limit, window, latency = 100, 10.0, 0.05
    elapsed, rejected, limiter = _burst(150, 24, limit, window, latency)
    ideal = window + latency
    assert elapsed <= 1.15 * ideal, elapsed
    assert rejected <= 0.01 * 150
    assert not limiter.shared


def test_a_budget_spent_by_others_too_is_paced() -> None:
    """Another limiter (another process) spending the same budget shows in ``Remaining``: this one
    notices and paces its permits over the window instead of bursting; alone, it does not."""
    clock = FakeClock()
    server = FakeServer(clock, limit=100, window=10)
    ours = RateLimiter(clock=clock.time, sleep=clock.sleep)
    theirs = RateLimiter(clock=clock.time, sleep=clock.sleep)
    for _ in range(5):
        ticket = ours.acquire()
        ours.release(ticket, *reversed(server.handle()))
    assert not ours.shared
    for _ in range(20):  # the other process
        ticket = theirs.acquire()
        theirs.release(ticket, *reversed(server.handle()))
    ticket = ours.acquire()
    ours.release(ticket, *reversed(server.handle()))
    assert ours.shared
    # Paced: the next permits are spread over the rest of the window, not all at once.
    before = clock.time()
    for _ in range(3):
        ticket = ours.acquire()
        ours.release(ticket, *reversed(server.handle()))
    assert clock.time() > before
