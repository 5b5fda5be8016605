"""Small helpers for loopback tests: a free port and a fake clock."""

from __future__ import annotations

import asyncio
import socket
import threading

__all__ = ["FakeClock", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on: free for a server another process starts, and
    refused to a client (a connection-refused test)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class FakeClock:
    """Epoch seconds that move only when told (thread-safe), for ``FakeIntercom(clock=...)`` and a
    client's ``clock=`` / ``sleep=``.

    ``clock()`` or ``clock.time()`` reads it; ``clock.sleep(s)`` (recorded in ``sleeps``) and
    ``await clock.async_sleep(s)`` (which also lets other tasks run) move it, as does
    ``clock.advance(s)`` (not recorded).
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def time(self) -> float:
        return self()

    @property
    def now(self) -> float:
        return self()

    @property
    def total_wait(self) -> float:
        """Seconds slept in all (``sum(sleeps)``)."""
        return sum(self.sleeps)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def __repr__(self) -> str:
        return f"FakeClock({self():.3f})"
