"""Configuration objects of the clients, cheap to import (no httpx, no tenacity):

- :class:`Backoff`: how long a client waits before a retry when the server gives no hint; pass one
  as ``backoff=``. The retry loop itself (tenacity, with the Intercom-specific decisions) is in
  :mod:`intercom_ext._retries`.
- :class:`ClientConfig`: what ``client.config`` returns (base URL, headers, token, timeout).
- :class:`Secret`: holds the access token; its ``repr`` is masked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, RETRY_JITTER
from ._exceptions import IntercomConfigError

if TYPE_CHECKING:
    import httpx

__all__ = ["Backoff", "ClientConfig", "Secret"]


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter, for retries the server gives no wait for.

    Retry ``n`` (1-based) waits ``min(initial * 2**(n-1), maximum) + jitter * random()`` seconds:
    0.5 to 1 s, 1 to 1.5 s, 2 to 2.5 s, ... up to 8 to 8.5 s by default. A ``Retry-After`` or
    ``X-RateLimit-Reset`` header is honoured instead, whatever the backoff says.

    Args:
        initial: the first retry's wait before jitter, in seconds.
        maximum: the cap of the exponential part, in seconds.
        jitter: the most the random part adds, in seconds (``0``: no jitter).
        random: a source of floats in ``[0, 1)`` for the jitter; ``None``: ``random.random``. Pass a
            seeded ``random.Random(7).random`` or ``lambda: 0.0`` for waits that repeat exactly
            (with a client's ``sleep=`` and ``clock=``, retries then cost no real time in tests).
    """

    initial: float = INITIAL_RETRY_DELAY
    maximum: float = MAX_RETRY_DELAY
    jitter: float = RETRY_JITTER
    random: Callable[[], float] | None = None

    def __post_init__(self) -> None:
        for name in ("initial", "maximum", "jitter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise IntercomConfigError(f"Backoff.{name} must be a non-negative number, got {value!r}")
        if self.random is not None and not callable(self.random):
            raise IntercomConfigError(f"Backoff.random must be callable, got {type(self.random).__name__}")

    def delay(self, retry_number: int) -> float:
        """The wait in seconds before retry ``retry_number`` (1-based)."""
        exponential: float = self.initial * 2.0 ** max(retry_number - 1, 0)
        if not self.jitter:
            return min(exponential, self.maximum)
        rand = self.random
        if rand is None:
            import random  # on the first retry only: keeps constructing a client cheap

            rand = random.random
        return min(exponential, self.maximum) + self.jitter * rand()


class Secret:
    """Holds the access token; ``repr``/``str`` never show it (``get_secret_value()`` does)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class ClientConfig:
    """How a client is configured to reach the API (``client.config``): enough to configure another
    HTTP client the same way (your own tooling, a proxy check).

    Attributes:
        base_url: the resolved base URL (``base_url=`` > ``$INTERCOM_BASE_URL`` > region), no trailing ``/``.
        headers: every default header except ``Authorization``: ``Accept``, ``User-Agent``,
            ``Intercom-Version``, then ``default_headers=``.
        token: the access token; send it as ``Authorization: Bearer <token.get_secret_value()>``.
        timeout: the client's timeout (seconds, an ``httpx.Timeout``, or ``None`` for none).
    """

    base_url: str
    headers: Mapping[str, str]
    token: Secret
    timeout: float | httpx.Timeout | None
