"""Retry policy: which attempts are retried, how long to wait, and the tenacity wiring.

Policy
------
- Idempotent methods (GET, HEAD, DELETE, OPTIONS) are retried on 408, 429 and 5xx responses and on
  transport errors (connect/read/write errors, timeouts, dropped connections).
- POST, PUT and PATCH are retried only when the server cannot have acted on the request: a 429
  response, or a failure before the request was sent (connect error, connect timeout, pool timeout).
- A caller may override the method's idempotency (``RetryPolicy(idempotent=...)``): the pagers mark
  page reads as idempotent whatever their method (``POST /contacts/search``, ``POST /companies/list``
  only read), and a scroll request as not idempotent (the scroll position lives on the server, so a
  repeated ``scroll_param`` after a lost response could skip a page; Intercom says to restart the scroll).
- Wait before retry ``n`` (1-based): the server's hint if there is one, i.e. ``Retry-After`` (seconds
  or an HTTP date) or else ``X-RateLimit-Reset`` (epoch seconds, Intercom's rate-limit header),
  measured against the injectable ``clock``; otherwise the client's :class:`~intercom_ext.Backoff`
  (default ``min(0.5 * 2**(n-1), 8) + uniform(0, 0.5)`` seconds). A hint above 60 s is not waited
  for: the error is raised at once.
- ``max_retries`` counts retries after the first attempt (default 2, so at most 3 attempts).

The loop itself is tenacity's (``Retrying`` / ``AsyncRetrying``): it gives us the attempt/stop
bookkeeping, the injectable sleep (sync and async) and hooks, and this module only supplies the
Intercom-specific predicate and wait. Sleep and clock (the client's ``sleep=`` / ``clock=``) and the
jitter's random source (``backoff=Backoff(random=...)``) are public parameters of the clients, so
tests run in milliseconds and deterministically.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any, Final

import httpx
from tenacity import AsyncRetrying, RetryCallState, Retrying, stop_after_attempt

from ._config import Backoff
from ._constants import MAX_RETRY_AFTER
from ._logs import logger

__all__ = [
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "backoff_delay",
    "is_retryable_exception",
    "is_retryable_status",
    "retry_after_seconds",
]

log = logger()

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})

# Failures that happen before any byte of the request reached the server: safe for every method.
_NOT_SENT_ERRORS: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which an idempotent request may be repeated (a body cut off mid-way or corrupted
# in transit surfaces as RemoteProtocolError, ReadError or DecodingError).
_TRANSIENT_ERRORS: Final = (
    httpx.NetworkError,
    httpx.TimeoutException,
    httpx.RemoteProtocolError,
    httpx.DecodingError,
)


def _is_idempotent(method: str, idempotent: bool | None) -> bool:
    return method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent


def is_retryable_status(method: str, status_code: int, *, idempotent: bool | None = None) -> bool:
    """Whether a response with ``status_code`` to a ``method`` request may be retried.

    ``idempotent`` overrides what the method implies (``None``: GET/HEAD/DELETE/OPTIONS are).
    """
    if status_code == 429:
        return True
    if not _is_idempotent(method, idempotent):
        return False
    return status_code == 408 or 500 <= status_code <= 599


def is_retryable_exception(method: str, exc: BaseException, *, idempotent: bool | None = None) -> bool:
    """Whether a transport exception raised while sending a ``method`` request may be retried."""
    if isinstance(exc, _NOT_SENT_ERRORS):
        return True
    return _is_idempotent(method, idempotent) and isinstance(exc, _TRANSIENT_ERRORS)


def retry_after_seconds(headers: httpx.Headers, *, now: float) -> float | None:
    """The server's requested wait in seconds, or ``None`` if it gave no (parseable) hint.

    ``Retry-After`` (delta-seconds or HTTP date) wins over ``X-RateLimit-Reset`` (epoch seconds).
    ``now`` is the current epoch time (from the injectable clock). The result may be <= 0 when the
    hinted moment has already passed.
    """
    retry_after = headers.get("retry-after")
    if retry_after:
        value = retry_after.strip()
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(value).timestamp() - now
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            return float(reset.strip()) - now
        except ValueError:
            pass
    return None


def backoff_delay(retry_number: int, rand: Callable[[], float] | None = None) -> float:
    """The default :class:`~intercom_ext.Backoff`'s wait before retry ``retry_number`` (1-based), in
    seconds, with ``rand`` as its random source."""
    return Backoff(random=rand).delay(retry_number)


class RetryPolicy:
    """Decides about retries for one request and builds the tenacity retrier that runs it.

    ``clock`` returns epoch seconds (used for ``X-RateLimit-Reset`` / HTTP-date hints); ``backoff``
    gives the wait when the server gives none; ``idempotent`` overrides what ``method`` implies.
    """

    def __init__(
        self,
        *,
        method: str,
        max_retries: int,
        clock: Callable[[], float],
        backoff: Backoff | None = None,
        describe: str = "",
        idempotent: bool | None = None,
    ) -> None:
        self.method = method.upper()
        self.idempotent = _is_idempotent(method, idempotent)
        self.max_retries = max_retries
        self._clock = clock
        self.backoff = backoff or Backoff()
        #: ``GET https://api.intercom.io/contacts`` (no query): how log lines name the request.
        self.describe = describe or self.method
        #: The attempt being made (1-based), set by tenacity's ``before`` hook.
        self.attempt = 0

    @property
    def attempts(self) -> str:
        """``attempt 2 of 3``: for log lines."""
        return f"attempt {self.attempt} of {self.max_retries + 1}"

    # -- tenacity hooks -------------------------------------------------------------------------
    def before(self, state: RetryCallState) -> None:
        self.attempt = state.attempt_number
        log.debug("Sending %s (%s)", self.describe, self.attempts)

    def should_retry(self, state: RetryCallState) -> bool:
        outcome = state.outcome
        if outcome is None:  # pragma: no cover - tenacity always sets it before asking
            return False
        if outcome.failed:
            exc = outcome.exception()
            return exc is not None and is_retryable_exception(self.method, exc, idempotent=self.idempotent)
        response = outcome.result()
        if not isinstance(response, httpx.Response):  # pragma: no cover - defensive
            return False
        if not is_retryable_status(self.method, response.status_code, idempotent=self.idempotent):
            return False
        hint = retry_after_seconds(response.headers, now=self._clock())
        if hint is not None and hint > MAX_RETRY_AFTER:
            log.info(
                "Not retrying %s: server asks to wait %.1fs (> %.0fs)", self.describe, hint, MAX_RETRY_AFTER
            )
            return False
        return True

    def wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            response = outcome.result()
            if isinstance(response, httpx.Response):
                hint = retry_after_seconds(response.headers, now=self._clock())
                if hint is not None and hint > 0:
                    return hint
        return self.backoff.delay(state.attempt_number)

    def before_sleep(self, state: RetryCallState) -> None:
        outcome = state.outcome
        if outcome is None:  # pragma: no cover
            return
        if outcome.failed:
            exc = outcome.exception()
            reason = type(exc).__name__
        else:
            response = outcome.result()
            reason = f"status {response.status_code}"
            request_id = response.headers.get("x-request-id")
            if request_id:
                reason += f" (request_id={request_id})"
        # next_action.sleep is set before before_sleep runs in every tenacity >= 8 (upcoming_sleep is 8.3+).
        delay = state.next_action.sleep if state.next_action is not None else 0.0
        log.info(
            "Retrying %s in %.2fs (retry %d of %d) after %s",
            self.describe,
            delay,
            state.attempt_number,
            self.max_retries,
            reason,
        )

    @staticmethod
    def _give_up(state: RetryCallState) -> Any:
        # Out of attempts: hand back the last response (the caller turns it into a typed error) or
        # re-raise the last transport exception.
        assert state.outcome is not None
        return state.outcome.result()

    # -- builders -------------------------------------------------------------------------------
    def _common(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.max_retries + 1),
            "retry": self.should_retry,
            "wait": self.wait,
            "before": self.before,
            "before_sleep": self.before_sleep,
            "retry_error_callback": self._give_up,
        }

    def sync_retrying(self, sleep: Callable[[float], None]) -> Retrying:
        return Retrying(sleep=sleep, **self._common())

    def async_retrying(self, sleep: Callable[[float], Awaitable[None]] | None) -> AsyncRetrying:
        if sleep is None:  # tenacity's default: asyncio.sleep or trio.sleep, whichever is running
            return AsyncRetrying(**self._common())
        return AsyncRetrying(sleep=sleep, **self._common())
