"""A client-side rate limiter fed by Intercom's ``X-RateLimit-*`` headers, shared by threads and tasks.

Intercom enforces its limits per window (10 s windows of the per-minute figure) and reports, on every
response, ``X-RateLimit-Limit`` (requests allowed in the window), ``X-RateLimit-Remaining`` (left in
it) and ``X-RateLimit-Reset`` (epoch seconds when it ends). :class:`RateLimiter` turns these into
permits:

- Before each attempt a request takes a permit (:meth:`RateLimiter.acquire` /
  :meth:`RateLimiter.acquire_async`); after the response it gives the permit back together with the
  response's headers (:meth:`RateLimiter.release`). Every client does this for every attempt,
  including retries.
- The budget of the current window is the latest ``Remaining`` the server reported minus the
  requests still in flight (any of them may not have been counted yet), so concurrent callers never
  together send more than the server would accept. Feedback from an older request than the one
  already used, or from a window that has ended, is ignored.
- Within a window the permits are paced: the next permit is due ``time left / budget`` after the
  previous one, so 16 threads spread their requests over the window instead of bursting into its
  start and then idling (and the per-10-second distribution of a per-minute limit is respected).
  Capacity a slow caller leaves unused is caught up later in the window.
- When the window's budget is spent, callers wait until ``X-RateLimit-Reset``; the next window then
  starts with ``Limit`` minus the requests still in flight.
- Until the first response says anything, a single probe request is let through; a server that
  sends no rate-limit headers (a mock) is not limited, except by the ceiling.
- ``max_requests_per_minute`` is a ceiling of the user's own: permits are at least ``60 / ceiling``
  seconds apart, whatever the server allows.

One limiter may be shared by several clients (sync and async ones alike: pass the same
``rate_limiter=`` to each), e.g. every client of one Intercom app. The 429s that still happen (other
processes using the same app) are retried by the clients as before.

``clock`` (epoch seconds, like ``X-RateLimit-Reset``), ``sleep`` and ``async_sleep`` are injectable:
tests run the limiter on a fake clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

__all__ = ["RateLimiter", "RateLimiterStats"]

#: How long a caller waits before looking again while the budget is unknown (a probe in flight).
_POLL_SECONDS = 0.01


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:  # a plain dict: look the name up case-insensitively
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass
class RateLimiterStats:
    """Counters of one limiter: permits given, how many had to wait and for how long in all."""

    permits: int = 0
    waited: int = 0
    wait_seconds: float = 0.0
    responses_429: int = 0


class RateLimiter:
    """Paces requests to what the server's ``X-RateLimit-*`` headers allow (see the module docstring).

    Args:
        max_requests_per_minute: a ceiling of your own (``None``: only the server's limit applies).
        clock: epoch seconds (default ``time.time``); it must agree with ``X-RateLimit-Reset``.
        sleep: blocking sleep used by :meth:`acquire` (default ``time.sleep``).
        async_sleep: coroutine sleep used by :meth:`acquire_async` (default ``asyncio.sleep``).
    """

    def __init__(
        self,
        max_requests_per_minute: float | None = None,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        if max_requests_per_minute is not None and (
            isinstance(max_requests_per_minute, bool)
            or not isinstance(max_requests_per_minute, (int, float))
            or not max_requests_per_minute > 0
        ):
            raise ValueError(
                f"max_requests_per_minute must be a positive number, got {max_requests_per_minute!r}"
            )
        self.max_requests_per_minute = max_requests_per_minute
        self._interval = 60.0 / max_requests_per_minute if max_requests_per_minute else 0.0
        self._clock: Callable[[], float] = clock or time.time
        self._sleep: Callable[[float], None] = sleep or time.sleep
        self._async_sleep = async_sleep
        self._lock = threading.Lock()
        self.stats = RateLimiterStats()
        # Permits: tickets are increasing integers; the ones whose response is still outstanding.
        self._next_ticket = 0
        self._in_flight: set[int] = set()
        self._last_permit: float | None = None
        # The server's window as last reported.
        self._limit: int | None = None
        self._budget: int | None = None  # permits left in the current window (None: unknown)
        self._reset: float | None = None  # end of the current window (epoch seconds)
        self._reset_known = False  # False: _reset is an estimate (previous reset + window length)
        self._window_start: float | None = None  # end of the previous window
        self._window_length: float | None = None
        self._feedback_ticket = -1  # the newest request whose feedback set _budget in this window
        self._unlimited = False  # the server sends no rate-limit headers

    def __repr__(self) -> str:
        return (
            f"<RateLimiter limit={self._limit} budget={self._budget} reset={self._reset} "
            f"ceiling={self.max_requests_per_minute} in_flight={len(self._in_flight)}>"
        )

    # -- permits --------------------------------------------------------------------------------
    def acquire(self) -> int:
        """Block until a request may be sent; returns the ticket to hand to :meth:`release`."""
        waited = False
        while True:
            with self._lock:
                ticket, wait = self._try_acquire(self._clock(), waited)
            if ticket is not None:
                return ticket
            waited = True
            self._note_wait(wait)
            self._sleep(wait)

    async def acquire_async(self) -> int:
        """Like :meth:`acquire`, waiting with ``async_sleep`` (the lock is never held across an await)."""
        waited = False
        while True:
            with self._lock:
                ticket, wait = self._try_acquire(self._clock(), waited)
            if ticket is not None:
                return ticket
            waited = True
            self._note_wait(wait)
            if self._async_sleep is not None:
                await self._async_sleep(wait)
            else:
                import asyncio

                await asyncio.sleep(wait)

    def release(
        self, ticket: int, headers: Mapping[str, str] | None = None, status_code: int | None = None
    ) -> None:
        """Return ``ticket``; ``headers`` (``None`` when no response arrived) feed the window's budget."""
        with self._lock:
            self._in_flight.discard(ticket)
            if status_code == 429:
                self.stats.responses_429 += 1
            if headers is not None:
                self._feedback(ticket, headers, status_code)

    # -- internals (called with the lock held) --------------------------------------------------
    def _note_wait(self, wait: float) -> None:
        with self._lock:
            self.stats.wait_seconds += wait

    def _grant(self, now: float, waited: bool) -> int:
        ticket = self._next_ticket
        self._next_ticket += 1
        self._in_flight.add(ticket)
        self._last_permit = now
        self.stats.permits += 1
        if waited:
            self.stats.waited += 1
        if self._budget is not None:
            self._budget -= 1
        return ticket

    def _roll(self, now: float) -> None:
        """Start the next window once the current one has ended."""
        if self._reset is None or now < self._reset:
            return
        if self._window_length:
            ended = max(1, math.ceil((now - self._reset) / self._window_length + 1e-9))
            self._reset = self._reset + self._window_length * ended
            self._window_start = self._reset - self._window_length
        else:
            self._window_start = self._reset
            self._reset = None
        self._reset_known = False
        self._feedback_ticket = -1
        self._budget = None if self._limit is None else self._limit - len(self._in_flight)

    def _try_acquire(self, now: float, waited: bool) -> tuple[int | None, float]:
        self._roll(now)
        wait = 0.0
        if self._interval and self._last_permit is not None:
            wait = max(wait, self._last_permit + self._interval - now)
        if not self._unlimited:
            if self._budget is None or (self._budget <= 0 and self._reset is None):
                # Nothing known about the window: one probe at a time until a response tells us.
                if self._in_flight:
                    wait = max(wait, _POLL_SECONDS)
            elif self._budget <= 0:
                assert self._reset is not None
                wait = max(wait, self._reset - now)
            elif self._reset is not None and self._last_permit is not None and self._reset > now:
                pace = (self._reset - now) / (self._budget + 1)
                wait = max(wait, self._last_permit + pace - now)
        if wait > 0:
            return None, wait
        return self._grant(now, waited), 0.0

    def _feedback(self, ticket: int, headers: Mapping[str, str], status_code: int | None) -> None:
        limit = _header_number(headers, "x-ratelimit-limit")
        remaining = _header_number(headers, "x-ratelimit-remaining")
        reset = _header_number(headers, "x-ratelimit-reset")
        if limit is None and remaining is None and reset is None:
            if status_code == 429:
                self._unlimited = False
                self._budget = 0 if self._reset is not None else None
            elif self._limit is None:
                self._unlimited = True  # a server (mock) that does not rate limit
            return
        self._unlimited = False
        if limit is not None and limit > 0:
            self._limit = int(limit)
        if reset is not None:
            if self._window_start is not None and reset <= self._window_start:
                return  # a response from a window that has ended
            if self._reset is None or not self._reset_known:
                self._reset, self._reset_known = reset, True
            elif reset > self._reset:
                # The server has started a window our clock has not reached yet.
                self._window_length = reset - self._reset
                self._window_start = self._reset
                self._reset = reset
                self._feedback_ticket = -1
            elif reset < self._reset:
                return  # from before the window we know about
            if self._window_start is not None and self._reset > self._window_start:
                self._window_length = self._reset - self._window_start
        if remaining is None:
            if status_code == 429:
                self._budget = 0
            return
        if ticket < self._feedback_ticket:
            return  # an older request's view; a newer one already spoke
        self._feedback_ticket = ticket
        budget = int(remaining) - len(self._in_flight)
        if status_code == 429:
            budget = min(budget, 0)
        self._budget = budget
