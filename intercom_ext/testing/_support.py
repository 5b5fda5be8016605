"""Small helpers for loopback tests: a free port and a fake clock."""

from __future__ import annotations

import socket
import threading

__all__ = ["FakeClock", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that was free a moment ago (for a server started by another process)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class FakeClock:
    """Epoch seconds that move only when told: ``clock()`` reads, ``clock.sleep(s)`` / ``clock.advance(s)``
    move it (thread-safe). Pass ``clock`` to ``FakeIntercom(clock=...)`` or a client's ``clock=``, and
    ``clock.sleep`` where a sleep function is taken."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def time(self) -> float:
        return self()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def __repr__(self) -> str:
        return f"FakeClock({self():.3f})"
