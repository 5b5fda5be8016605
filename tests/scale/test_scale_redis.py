"""One rate-limit budget across processes through Redis (``RateLimiter(redis_url=...)``).

The Lua scripts on fakeredis (unit tests of the script alone); everything else against a real
``redis-server`` (Debian's package, installed by ``make install``) started here on a loopback port:
limiters of several "processes" on one fake clock sharing a window limit, the environment variable
and the token's hash as the key (the token never reaches Redis), and the faults: Redis
unreachable at start, killed mid-run and started again, slow, answering garbage. No timed
assertions: the clocks are fake, or only counts are checked."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_scale_ratelimit import START, EventClock, FakeServer

from benchmarks.window_server import WindowServer
from intercom_ext import IntercomConfigError, RateLimiter, v2_11
from intercom_ext._redis_limiter import ACQUIRE, FEEDBACK, PREFIX, mask_url, token_key

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-redis-pw"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A ``redis-server`` on a loopback port (no persistence), with a password; restartable."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is missing: make install installs Debian's package")
            pytest.skip("redis-server is not installed (make install installs it)")
        self.binary = binary
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://:{PASSWORD}@127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--requirepass",
                PASSWORD,
                "--enable-debug-command",
                "local",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def client(self) -> redis.Redis:  # type: ignore[name-defined]  # noqa: F821
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- the scripts, on fakeredis ----------------------------------------------------------------------


def test_scripts_grant_up_to_the_limit_then_wait_for_the_reset() -> None:
    import fakeredis

    r = fakeredis.FakeRedis()
    acquire, feedback = r.register_script(ACQUIRE), r.register_script(FEEDBACK)
    keys = ["intercom-sdk:rl:k"]
    now = 1000.0
    assert acquire(keys=keys, args=[now, 0])[0] == -1  # nothing known: the local limiter decides
    feedback(keys=keys, args=[10, 9, 1010, now])  # limit 10, 9 left, the window ends at 1010
    granted = [int(acquire(keys=keys, args=[now + 1, 0])[0]) for _ in range(10)]
    assert granted == [1] * 9 + [0]  # the feedback counted one: nine more
    status, wait = acquire(keys=keys, args=[now + 1, 0])
    assert int(status) == 0 and float(wait) == pytest.approx(9.0)
    assert 0 < r.pttl("intercom-sdk:rl:k:w:1010.000") <= 30_000  # expires with the window
    # The server counted more than the scripts granted (another client): the count is raised.
    feedback(keys=keys, args=[10, 0, 1010, now + 2])
    assert int(r.get("intercom-sdk:rl:k:w:1010.000")) == 10
    # A later window teaches its length: then windows roll without a response.
    feedback(keys=keys, args=[10, 9, 1020, 1011])
    assert float(r.hget("intercom-sdk:rl:k:meta", "length")) == 10
    assert int(acquire(keys=keys, args=[1035, 0])[0]) == 1  # the window ending at 1040
    assert int(r.get("intercom-sdk:rl:k:w:1040.000")) == 1


def test_script_counts_the_window_after_an_unknown_length_and_moves_it() -> None:
    import fakeredis

    r = fakeredis.FakeRedis()
    acquire, feedback = r.register_script(ACQUIRE), r.register_script(FEEDBACK)
    keys = ["intercom-sdk:rl:k"]
    feedback(keys=keys, args=[3, 3, 1000, 990])  # one reset seen: the length is unknown
    # Past it: the next window's end is unknown, its permits are counted apart, up to the limit.
    assert [int(acquire(keys=keys, args=[1001, 0])[0]) for _ in range(4)] == [1, 1, 1, 0]
    # A response names the next window: the three permits are its own, so none is left.
    feedback(keys=keys, args=[3, 2, 1010, 1001.1])
    assert int(r.get("intercom-sdk:rl:k:w:1010.000")) == 3
    assert int(acquire(keys=keys, args=[1002, 0])[0]) == 0


def test_script_charges_both_windows_within_a_round_trip_of_the_reset() -> None:
    import fakeredis

    r = fakeredis.FakeRedis()
    acquire, feedback = r.register_script(ACQUIRE), r.register_script(FEEDBACK)
    keys = ["intercom-sdk:rl:k"]
    feedback(keys=keys, args=[10, 10, 1000, 985])
    feedback(keys=keys, args=[10, 10, 1010, 995])
    assert int(acquire(keys=keys, args=[1009.9, 0.2])[0]) == 2
    assert int(r.get("intercom-sdk:rl:k:w:1010.000")) == 1
    assert int(r.get("intercom-sdk:rl:k:w:1020.000")) == 1


def test_mask_url_and_token_key() -> None:
    assert mask_url("redis://:pw@h:6379/0") == "redis://:***@h:6379/0"
    assert mask_url("redis://user:pw@h/1") == "redis://user:***@h/1"
    assert mask_url("redis://h:6379/0") == "redis://h:6379/0"
    key = token_key("tok-123")
    assert len(key) == 32 and "tok-123" not in key and key == token_key("tok-123") != token_key("tok-124")


# -- several processes' limiters on one budget (fake clock, real Redis) ----------------------------


def _run_processes(url: str | None, processes: int, threads: int, seconds: float) -> FakeServer:
    """``processes`` limiters (each a process's), ``threads`` threads each, one window-limited server,
    one discrete-event fake clock; every thread requests as fast as its limiter allows."""
    clock = EventClock(processes * threads)
    server = FakeServer(clock, limit=50, window=10)  # type: ignore[arg-type]
    limiters = [
        RateLimiter(clock=clock.time, sleep=clock.sleep, redis_url=url, key="fleet") for _ in range(processes)
    ]
    end = START + seconds

    def caller(limiter: RateLimiter) -> None:
        try:
            while clock.time() < end:
                ticket = limiter.acquire()
                clock.sleep(0.05)
                status, headers = server.handle()
                clock.sleep(0.05)
                limiter.release(ticket, headers, status)
        finally:
            clock.leave()

    workers = [threading.Thread(target=caller, args=(lim,)) for lim in limiters for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return server


def test_processes_share_one_budget_through_redis(redis_server: RedisServer) -> None:
    alone = _run_processes(None, processes=6, threads=2, seconds=120)
    shared = _run_processes(redis_server.url, processes=6, threads=2, seconds=120)
    total = sum(shared.windows.values())
    # Each process on its own budget collides with the others; one budget in Redis does not.
    assert alone.rejected > 0.01 * sum(alone.windows.values())
    assert shared.rejected <= 0.01 * total, (shared.rejected, total)
    full = [n for _, n in sorted(shared.windows.items())][1:-1]
    assert min(full) >= 0.85 * 50, full  # and the windows are used


def test_the_environment_variable_shares_the_budget_of_every_client_without_the_token(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "tok-env-secret-123"
    monkeypatch.setenv("INTERCOM_RATE_LIMIT_REDIS_URL", redis_server.url)
    with WindowServer(limit=1000, window=10, count=50) as server:
        code = (
            "from intercom_ext import v2_11\n"
            f"c = v2_11.Intercom(token={token!r}, base_url={server.url!r})\n"
            "assert c.rate_limiter.redis is not None\n"
            "print(sum(1 for _ in c.contacts.list(per_page=10)))\n"
        )
        env = {**os.environ, "INTERCOM_RATE_LIMIT_REDIS_URL": redis_server.url}
        runs = [
            subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
            for _ in range(2)
        ]
        client = v2_11.Intercom(token=token, base_url=server.url)
        assert client.rate_limiter is not None and client.rate_limiter.redis is not None
        assert PASSWORD not in repr(client.rate_limiter)
        assert len(list(client.contacts.list(per_page=10))) == 50
    for run in runs:
        assert run.returncode == 0 and run.stdout.strip() == "50", run.stderr
    r = redis_server.client()
    keys = sorted(k.decode() for k in r.keys("*"))
    prefix = PREFIX + token_key(token)
    assert keys and all(k.startswith(prefix) for k in keys), keys
    dump = repr([(k, r.type(k), r.hgetall(k) if r.type(k) == b"hash" else r.get(k)) for k in keys])
    assert token not in dump and token not in " ".join(keys)
    # 3 clients x 5 pages, each charged to the window in Redis.
    counted = sum(int(r.get(k)) for k in keys if ":w:" in k)
    assert counted >= 15


def test_redis_py_is_imported_only_with_a_redis_url() -> None:
    code = (
        "import sys\n"
        "from intercom_ext import RateLimiter, v2_11\n"
        "v2_11.Intercom(token='t'); RateLimiter()\n"
        "assert 'redis' not in sys.modules, 'imported'\n"
        "RateLimiter(redis_url='redis://127.0.0.1:1/0')\n"
        "assert 'redis' in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "INTERCOM_RATE_LIMIT_REDIS_URL"}
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_without_redis_py_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"intercom-sdk\[redis\]"):
        RateLimiter(redis_url="redis://127.0.0.1:1/0")
    monkeypatch.setenv("INTERCOM_RATE_LIMIT_REDIS_URL", f"redis://:{PASSWORD}@127.0.0.1:1/0")
    with pytest.raises(IntercomConfigError) as info:
        v2_11.Intercom(token="t")
    assert "INTERCOM_RATE_LIMIT_REDIS_URL" in str(info.value) and PASSWORD not in str(info.value)


# -- faults -----------------------------------------------------------------------------------------


def _requests(client: v2_11.Intercom, threads: int, pages: int) -> list[int]:
    counts = [0] * threads

    def walk(i: int) -> None:
        counts[i] = sum(1 for _ in client.contacts.list(per_page=10, max_pages=pages).pages())

    workers = [threading.Thread(target=walk, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return counts


def test_redis_unreachable_at_start_falls_back_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{_free_port()}/0"  # nothing listens there
    limiter = RateLimiter(redis_url=url, key="k")
    with (
        caplog.at_level(logging.WARNING, logger="intercom_ext"),
        WindowServer(limit=1000, count=400) as server,
    ):
        client = v2_11.Intercom(token="t", base_url=server.url, rate_limiter=limiter)
        counts = _requests(client, threads=4, pages=10)
        requests = server.requests
    assert counts == [10] * 4 and requests == 40  # nothing lost, nothing sent twice
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    message = warnings[0].getMessage()
    assert "Redis" in message and "***" in message and PASSWORD not in message
    assert limiter.redis is not None and limiter.redis.outages == 1


def test_redis_killed_mid_run_and_started_again(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = RateLimiter(redis_url=redis_server.url, key="k")
    assert limiter.redis is not None
    limiter.redis.retry_seconds = 0.05
    with (
        caplog.at_level(logging.INFO, logger="intercom_ext"),
        WindowServer(limit=100_000, count=2000) as server,
    ):
        client = v2_11.Intercom(token="t", base_url=server.url, rate_limiter=limiter)
        assert _requests(client, threads=4, pages=5) == [5] * 4
        used_before = limiter.redis.failures
        redis_server.stop()  # killed
        assert _requests(client, threads=4, pages=5) == [5] * 4  # nothing lost
        assert limiter.redis.failures > used_before and not limiter.redis.up
        redis_server.start()  # back (empty: a new window count starts)
        time.sleep(0.1)
        assert _requests(client, threads=4, pages=5) == [5] * 4
        requests = server.requests
    assert requests == 60  # every page exactly once
    assert limiter.redis.up
    assert redis_server.client().keys("intercom-sdk:rl:k:*")  # used again after the restart
    messages = [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and any("is back" in m for m in messages)
    assert all(PASSWORD not in m for m in messages)


def test_slow_redis_is_not_waited_for(redis_server: RedisServer) -> None:
    limiter = RateLimiter(redis_url=redis_server.url, key="k", redis_timeout=0.05)
    assert limiter.redis is not None
    with WindowServer(limit=100_000, count=200) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, rate_limiter=limiter)
        assert _requests(client, threads=1, pages=2) == [2]  # Redis learnt the window
        blocker = threading.Thread(
            target=lambda: redis_server.client().execute_command("DEBUG", "SLEEP", "1")
        )
        blocker.start()
        time.sleep(0.1)
        assert _requests(client, threads=2, pages=3) == [3, 3]
        blocker.join()
    assert limiter.redis.failures >= 1  # timed out, went on with the local limiter


def test_garbage_in_redis_falls_back_to_the_local_limiter(redis_server: RedisServer) -> None:
    r = redis_server.client()
    r.set("intercom-sdk:rl:k:meta", "not a hash")  # WRONGTYPE for the scripts
    limiter = RateLimiter(redis_url=redis_server.url, key="k")
    assert limiter.redis is not None
    with WindowServer(limit=100_000, count=200) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, rate_limiter=limiter)
        assert _requests(client, threads=2, pages=3) == [3, 3]
        assert server.requests == 6
    assert limiter.redis.failures >= 1
    r.delete("intercom-sdk:rl:k:meta")
    r.hset("intercom-sdk:rl:k:meta", mapping={"limit": "lots", "reset": "soon"})  # unreadable numbers
    assert limiter.redis.acquire(START, 0.0) is None  # nothing usable: the local limiter decides
