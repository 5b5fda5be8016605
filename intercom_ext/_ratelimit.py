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
- Bursts use the window: while this limiter is the only one spending the budget, the window's
  remaining budget goes at once to whoever asks, and callers wait for ``X-RateLimit-Reset`` only
  when it is spent (a burst of 1.5 budgets takes one window and a bit, as if there were no limiter,
  without the 429s). When the server's ``Remaining`` shows that others spend the same budget
  (other processes or hosts without a shared budget: their requests are counted too), the permits
  are paced for the next :data:`_SHARED_WINDOWS` windows: the next permit is due
  ``time left / budget`` after the previous one, so every limiter sees the budget shrink and adapts
  instead of all of them bursting into the window's start. Capacity a slow caller leaves unused is
  caught up later in the window. (A budget shared through Redis, ``redis_url=``, needs no pacing:
  see :mod:`intercom_ext._redis_limiter`.)
- When the window's budget is spent, callers wait until ``X-RateLimit-Reset``; the next window then
  starts with ``Limit`` minus the requests still in flight.
- A request sent just before ``X-RateLimit-Reset`` may be counted in the next window (the server counts
  it when it arrives, or when it is done). The limiter learns how long before the reset that happens
  from the responses themselves: a request that was in flight across a reset reports the window it was
  counted in. Once, at each of the last two resets, requests sent ``lead`` seconds before it were seen
  to land in the next window (and none sent closer to it landed in the old one), the current window's
  budget is spent by ``reset - 0.75 * lead`` and permits after that are charged to the next window,
  instead of leaving the end of every window unused. The lead used is also at most 0.75 times the
  shortest of the last 256 round trips, and none is used if it would exceed a tenth of the window.
  Until there is such evidence (and for a server that counts a request as soon as it arrives)
  nothing changes.
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
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._redis_limiter import RedisBudget

__all__ = ["RateLimiter", "RateLimiterStats"]

#: How long a caller waits before looking again while the budget is unknown (a probe in flight).
_POLL_SECONDS = 0.01
#: The share of the learned lead actually used (a margin for requests that land a little earlier).
_LEAD_MARGIN = 0.75
#: How many recent resets the lead is learned from (the smallest estimate among them is used).
_LEAD_RESETS = 2
#: The lead never exceeds ``_LEAD_MARGIN`` times the shortest of the latest round trips.
_RTT_SAMPLES = 256
#: A lead longer than this share of the window is not used.
_LEAD_MAX_SHARE = 0.1
#: How many windows the permits stay paced after the server reported use by someone else.
_SHARED_WINDOWS = 6


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
        redis_url: share one budget with every process and host using the same Redis and ``key``
            (``redis://[:password@]host:6379/0``; needs ``pip install "intercom-sdk[redis]"``; see
            :mod:`intercom_ext._redis_limiter`). The clients' default limiter reads
            ``$INTERCOM_RATE_LIMIT_REDIS_URL``.
        key: the budget's name in Redis; default: a hash of the access token of the first client
            using this limiter (one Intercom app, one budget).
        redis_timeout: seconds a Redis call may take before this process goes on with its own
            limiter (default 0.05).
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
        redis_url: str | None = None,
        key: str | None = None,
        redis_timeout: float = 0.05,
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
        #: The budget shared through Redis (``redis_url=``); ``None``: this limiter's own only.
        self.redis: RedisBudget | None = None
        if redis_url is not None:
            from ._redis_limiter import RedisBudget

            self.redis = RedisBudget(redis_url, key, timeout=redis_timeout)
        self._async_sleep = async_sleep
        self._lock = threading.Lock()
        self.stats = RateLimiterStats()
        # Permits: tickets are increasing integers; the ones whose response is still outstanding.
        self._next_ticket = 0
        #: ticket -> (granted at, reset of the window it is charged to, reset current when granted)
        self._in_flight: dict[int, tuple[float, float | None, float | None]] = {}
        self._spill = 0  # permits charged to the window after the current one
        #: reset -> [largest lead seen landing after it, smallest lead seen landing before it, crossed]
        self._evidence: dict[float, list[float]] = {}
        self._rtts: deque[float] = deque(maxlen=_RTT_SAMPLES)  # the latest round trips (seconds)
        self._last_permit: float | None = None
        # The server's window as last reported.
        self._limit: int | None = None
        self._budget: int | None = None  # permits left in the current window (None: unknown)
        self._reset: float | None = None  # end of the current window (epoch seconds)
        self._reset_known = False  # False: _reset is an estimate (previous reset + window length)
        self._window_start: float | None = None  # end of the previous window
        self._window_length: float | None = None
        self._feedback_ticket = -1  # the newest request whose feedback set _budget in this window
        self._lowest_remaining: float | None = None  # the lowest Remaining reported in this window
        self._unlimited = False  # the server sends no rate-limit headers
        # Pacing: permits charged to the current window, those of the previous window that may be
        # counted in it, and until when others are known to spend the same budget.
        self._granted_here = 0
        self._carried = 0
        self._shared_until: float | None = None

    def __repr__(self) -> str:
        shared = f" redis={self.redis.url}" if self.redis is not None else ""
        return (
            f"<RateLimiter limit={self._limit} budget={self._budget} reset={self._reset} "
            f"ceiling={self.max_requests_per_minute} in_flight={len(self._in_flight)}{shared}>"
        )

    def bind_key(self, key: str) -> None:
        """Name the Redis budget ``key`` unless it has a name already (the clients call this with a
        hash of their token)."""
        if self.redis is not None and self.redis.key is None:
            self.redis.key = key

    # -- permits --------------------------------------------------------------------------------
    def acquire(self) -> int:
        """Block until a request may be sent; returns the ticket to hand to :meth:`release`."""
        waited = False
        while True:
            ticket, wait = self._decide(waited)
            if ticket is not None:
                return ticket
            waited = True
            self._note_wait(wait)
            self._sleep(wait)

    async def acquire_async(self) -> int:
        """Like :meth:`acquire`, waiting with ``async_sleep`` (the lock is never held across an await;
        a Redis call takes at most ``redis_timeout``)."""
        waited = False
        while True:
            ticket, wait = self._decide(waited)
            if ticket is not None:
                return ticket
            waited = True
            self._note_wait(wait)
            if self._async_sleep is not None:
                await self._async_sleep(wait)
            else:
                import asyncio

                await asyncio.sleep(wait)

    def _decide(self, waited: bool) -> tuple[int | None, float]:
        """A permit now, or how long to wait: from the Redis budget when there is one and it
        answers, else from this limiter's own view."""
        now = self._clock()
        shared = self.redis
        if shared is not None:
            with self._lock:
                self._roll(now)
                wait = self._ceiling_wait(now)
                unlimited = self._unlimited
                recent = list(self._rtts)[-32:]
            if wait > 0:
                return None, wait
            if not unlimited:
                verdict = shared.acquire(now, max(recent) if recent else 0.0)
                if verdict is not None:
                    granted, wait = verdict
                    if not granted:
                        return None, max(wait, _POLL_SECONDS)
                    with self._lock:
                        return self._grant(now, waited), 0.0
        with self._lock:
            return self._try_acquire(now, waited)

    def release(
        self, ticket: int, headers: Mapping[str, str] | None = None, status_code: int | None = None
    ) -> None:
        """Return ``ticket``; ``headers`` (``None`` when no response arrived) feed the window's budget."""
        with self._lock:
            granted = self._in_flight.pop(ticket, None)
            if granted is not None and headers is not None:
                self._rtts.append(self._clock() - granted[0])
            if status_code == 429:
                self.stats.responses_429 += 1
            if headers is not None:
                self._feedback(ticket, headers, status_code, granted)
        if self.redis is not None and headers is not None:
            reset = _header_number(headers, "x-ratelimit-reset")
            if reset is not None:
                limit = _header_number(headers, "x-ratelimit-limit")
                remaining = _header_number(headers, "x-ratelimit-remaining")
                if status_code == 429 and remaining is None:
                    remaining = 0.0
                self.redis.feedback(limit, remaining, reset, self._clock())

    @property
    def lead(self) -> float:
        """Seconds before a reset from which permits are charged to the next window (learned; 0 at first)."""
        with self._lock:
            return self._lead()

    # -- internals (called with the lock held) --------------------------------------------------
    def _note_wait(self, wait: float) -> None:
        with self._lock:
            self.stats.wait_seconds += wait

    def _grant(self, now: float, waited: bool, spill: bool = False) -> int:
        ticket = self._next_ticket
        self._next_ticket += 1
        charged = self._reset
        if spill:
            assert self._reset is not None and self._window_length
            charged = self._reset + self._window_length
            self._spill += 1
        else:
            self._granted_here += 1
            if self._budget is not None:
                self._budget -= 1
        self._in_flight[ticket] = (now, charged, self._reset)
        self._last_permit = now
        self.stats.permits += 1
        if waited:
            self.stats.waited += 1
        return ticket

    def _raw_lead(self) -> float | None:
        """The lead the evidence of the last resets supports (``None``: no request crossed a reset)."""
        estimates = [
            min(after, before) for _, (after, before, crossed) in sorted(self._evidence.items()) if crossed
        ][-_LEAD_RESETS:]
        return min(estimates) if len(estimates) == _LEAD_RESETS else None

    def _lead(self) -> float:
        raw = self._raw_lead()
        if not raw or not self._window_length or not self._rtts:
            return 0.0
        lead = min(raw, min(self._rtts)) * _LEAD_MARGIN
        # Only a lead that is small next to the window: with round trips that long, a change of latency
        # would move too many requests to the other side of a reset.
        return lead if lead <= self._window_length * _LEAD_MAX_SHARE else 0.0

    def _late(self) -> float | None:
        """How long before a reset a request may be sent and still be counted after it: the largest
        such lead seen at the last resets, plus a margin (``None``: no request crossed a reset)."""
        if not self._lead():
            return None
        seen = [after for _, (after, _, crossed) in sorted(self._evidence.items()) if crossed]
        return max(seen[-_LEAD_RESETS:]) / _LEAD_MARGIN if seen else None

    def _charged_here(self) -> int:
        """Requests in flight charged to the current window (or to none: sent before it was known)."""
        reset = self._reset
        return sum(
            1
            for _, charged, _ in self._in_flight.values()
            if charged is None or reset is None or charged <= reset
        )

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
        self._lowest_remaining = None
        if self._limit is None:
            self._budget = None
        else:
            late = self._late()
            old = self._window_start
            # Requests in flight that were charged to the old window may still be counted in this one:
            # all of them without evidence, else those sent later than ``late`` before its end.
            uncertain = sum(
                1
                for granted, charged, _ in self._in_flight.values()
                if charged != self._reset and (late is None or old is None or old - granted < late)
            )
            self._budget = self._limit - self._spill - uncertain
            self._carried = uncertain
        self._granted_here = self._spill
        self._spill = 0

    def _paced(self, now: float) -> bool:
        """Whether permits are paced (others spend the budget too) rather than let go at once."""
        return self._shared_until is not None and now < self._shared_until

    @property
    def shared(self) -> bool:
        """Whether the server has recently reported use of the budget by others (permits are paced)."""
        with self._lock:
            return self._paced(self._clock())

    def _ceiling_wait(self, now: float) -> float:
        if self._interval and self._last_permit is not None:
            return max(0.0, self._last_permit + self._interval - now)
        return 0.0

    def _try_acquire(self, now: float, waited: bool) -> tuple[int | None, float]:
        self._roll(now)
        wait = self._ceiling_wait(now)
        if not self._unlimited:
            if self._budget is None or (self._budget <= 0 and self._reset is None):
                # Nothing known about the window: one probe at a time until a response tells us.
                if self._in_flight:
                    wait = max(wait, _POLL_SECONDS)
            else:
                lead = self._lead()
                reset = self._reset
                if lead and reset is not None and self._limit and now >= reset - lead:
                    # Sent now, it lands in the next window: charge and pace it there.
                    left = self._limit - self._spill
                    if left <= 0:
                        wait = max(wait, reset - now)
                    elif self._last_permit is not None and self._paced(now):
                        assert self._window_length
                        pace = (reset + self._window_length - lead - now) / (left + 1)
                        wait = max(wait, self._last_permit + pace - now)
                    if wait > 0:
                        return None, wait
                    return self._grant(now, waited, spill=True), 0.0
                if self._budget <= 0:
                    assert reset is not None
                    wait = max(wait, reset - lead - now if reset - lead > now else reset - now)
                elif (
                    reset is not None
                    and self._last_permit is not None
                    and reset - lead > now
                    and self._paced(now)
                ):
                    pace = (reset - lead - now) / (self._budget + 1)
                    wait = max(wait, self._last_permit + pace - now)
        if wait > 0:
            return None, wait
        return self._grant(now, waited), 0.0

    def _learn(self, granted: tuple[float, float | None, float | None], landed: float) -> None:
        """Evidence for the lead: which window a request sent ``boundary - t`` seconds before a reset
        was counted in (``landed``: the reset its response reported)."""
        sent, _, boundary = granted
        if boundary is None or not self._window_length or sent > boundary:
            return
        gap = boundary - sent
        crossed = self._clock() >= boundary
        if landed > boundary + self._window_length * 1.5 or landed < boundary:
            return  # not the window it was sent in, nor the next one: a clock or window we do not follow
        entry = self._evidence.setdefault(boundary, [0.0, math.inf, 0.0])
        if landed > boundary:
            entry[0] = max(entry[0], gap)
            entry[2] = 1.0
        else:
            entry[1] = min(entry[1], gap)
            if crossed:
                entry[2] = 1.0
        for old in sorted(self._evidence)[: -_LEAD_RESETS - 1]:
            del self._evidence[old]

    def _feedback(
        self,
        ticket: int,
        headers: Mapping[str, str],
        status_code: int | None,
        granted: tuple[float, float | None, float | None] | None = None,
    ) -> None:
        limit = _header_number(headers, "x-ratelimit-limit")
        remaining = _header_number(headers, "x-ratelimit-remaining")
        reset = _header_number(headers, "x-ratelimit-reset")
        if reset is not None and granted is not None:
            self._learn(granted, reset)
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
                self._lowest_remaining = None
                self._carried = len(self._in_flight)
                self._granted_here = self._spill
                self._spill = 0  # what was charged to this window is in flight or counted in Remaining
            elif reset < self._reset:
                return  # from before the window we know about
            if self._window_start is not None and self._reset > self._window_start:
                self._window_length = self._reset - self._window_start
        if remaining is None:
            if status_code == 429:
                self._budget = 0
            return
        lowest = self._lowest_remaining
        if lowest is not None and (
            remaining > lowest or (remaining == lowest and ticket < self._feedback_ticket)
        ):
            # An older view: the server counted this request before one whose Remaining is known
            # already (the order of the counts, not of the permits: with many callers at once the
            # server may count them in another order than they were granted).
            return
        self._lowest_remaining = remaining
        self._feedback_ticket = ticket
        if self._limit is not None and self._limit - remaining > self._granted_here + self._carried + 1:
            # The server counted more than this limiter sent: others spend the same budget.
            self._shared_until = self._clock() + _SHARED_WINDOWS * (self._window_length or 10.0)
        budget = int(remaining) - self._charged_here()
        if status_code == 429:
            budget = min(budget, 0)
        self._budget = budget
