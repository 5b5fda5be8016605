"""One rate-limit budget shared by every process and host of a deployment, kept in Redis.

``RateLimiter(redis_url="redis://host:6379/0", key=...)`` (or ``$INTERCOM_RATE_LIMIT_REDIS_URL`` for the
clients' default limiter) takes each permit from a counter in Redis instead of from this process's
view alone, so 12 processes of one Intercom app together stay within the app's window limit.
redis-py is an optional dependency (``pip install "intercom-sdk[redis]"``), imported only here, and
this module only when a Redis URL is given.

State, under ``intercom-sdk:rl:<key>`` (``key`` defaults to a SHA-256 of the access token: the
token never reaches Redis):

- ``...:meta``, a hash: ``limit`` (``X-RateLimit-Limit``), ``reset`` (the latest
  ``X-RateLimit-Reset`` seen), ``length`` (the window's length: the smallest gap seen between two
  resets). It expires an hour after the last response.
- ``...:w:<reset>``, a counter per window: the permits charged to the window ending at ``reset``,
  raised to ``Limit - Remaining`` whenever a response says the server counted more (other clients of
  the app that do not share the budget). It expires a window after its own end. Until two resets
  have shown the window's length, the permits after the first reset are counted in
  ``...:w:after:<reset>`` and moved to the next window's counter when a response names it.

Both are changed only by two Lua scripts, so every decision is atomic: :data:`ACQUIRE` (is there a
permit in the current window? charge it, or say how long to wait for the reset) and :data:`FEEDBACK`
(a response's headers). A permit taken within a round trip of the reset is charged to both windows
(the server may count it in either). While ``meta`` is unknown (the first request of a deployment,
or a new window length to learn) the process's own limiter decides.

Faults never reach the requests: Redis unreachable, killed, slower than ``timeout`` (50 ms) or
answering nonsense makes the limiter use its own local budget (the one it keeps from every response
anyway), with one warning per outage and process (the URL's password masked), and try Redis again after
``retry_seconds``; when Redis answers again it is used again (and that is logged at INFO).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ._constants import LOGGER_NAME

__all__ = ["ACQUIRE", "FEEDBACK", "RedisBudget", "mask_url", "token_key"]

log = logging.getLogger(LOGGER_NAME)

#: One redis-py client (and connection pool) per URL and timeout, shared by every limiter of the
#: process; and the URLs (masked) whose outage has been logged, so several limiters log it once.
_clients: dict[tuple[str, float], Any] = {}
_down: set[str] = set()
_shared_lock = threading.Lock()

PREFIX = "intercom-sdk:rl:"

#: KEYS[1]: the key prefix. ARGV: now (epoch seconds), round trip (seconds).
#: Returns {status, seconds}: status 1 granted (2: charged to the next window too), 0 wait
#: ``seconds``, -1 unknown (the caller's own limiter decides).
ACQUIRE = """
local meta = redis.call('HMGET', KEYS[1] .. ':meta', 'limit', 'length', 'reset')
local limit, length, reset = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
if not limit or not reset or limit <= 0 then return {-1, '0'} end
local now, rtt = tonumber(ARGV[1]), tonumber(ARGV[2])
local key
local ttl
if now >= reset and not (length and length > 0) then
  -- The window after ``reset``, whose end no response has told yet: its permits are counted apart
  -- and moved to it by FEEDBACK once a response names it.
  key = KEYS[1] .. ':w:after:' .. string.format('%.3f', reset)
  local used = tonumber(redis.call('GET', key) or '0') or 0
  if used >= limit then return {0, '0.05'} end
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, 3600000)
  return {1, '0'}
end
if now >= reset then
  reset = reset + length * math.max(1, math.ceil((now - reset) / length + 1e-9))
end
if not length or length <= 0 then length = 10 end
ttl = math.ceil((reset - now + 2 * length) * 1000)
key = KEYS[1] .. ':w:' .. string.format('%.3f', reset)
local used = tonumber(redis.call('GET', key) or '0') or 0
if used >= limit then return {0, string.format('%.6f', reset - now)} end
redis.call('INCR', key)
redis.call('PEXPIRE', key, ttl)
if now + rtt >= reset then
  local nxt = KEYS[1] .. ':w:' .. string.format('%.3f', reset + length)
  redis.call('INCR', nxt)
  redis.call('PEXPIRE', nxt, ttl + math.ceil(length * 1000))
  return {2, '0'}
end
return {1, '0'}
"""

#: KEYS[1]: the key prefix. ARGV: limit, remaining, reset, now (limit or remaining may be '').
FEEDBACK = """
local limit, remaining = tonumber(ARGV[1]), tonumber(ARGV[2])
local reset, now = tonumber(ARGV[3]), tonumber(ARGV[4])
if not reset or not now then return 0 end
local m = KEYS[1] .. ':meta'
local old = tonumber(redis.call('HGET', m, 'reset'))
local length = tonumber(redis.call('HGET', m, 'length'))
if old and reset > old then
  local gap = reset - old
  if not length then
    -- The permits of the window after ``old`` (see ACQUIRE) belong to this one (or a later one).
    local pending = KEYS[1] .. ':w:after:' .. string.format('%.3f', old)
    local after = tonumber(redis.call('GET', pending) or '0') or 0
    local key = KEYS[1] .. ':w:' .. string.format('%.3f', reset)
    if after > (tonumber(redis.call('GET', key) or '0') or 0) then
      redis.call('SET', key, tostring(after))
      redis.call('PEXPIRE', key, math.ceil((reset - now + 2 * gap) * 1000))
    end
  end
  if gap <= 3600 and (not length or gap < length) then
    redis.call('HSET', m, 'length', tostring(gap))
    length = gap
  end
  redis.call('HSET', m, 'reset', ARGV[3])
elseif not old then
  redis.call('HSET', m, 'reset', ARGV[3])
end
if limit and limit > 0 then redis.call('HSET', m, 'limit', tostring(math.floor(limit))) end
redis.call('PEXPIRE', m, 3600000)
limit = tonumber(redis.call('HGET', m, 'limit'))
if limit and remaining and reset > now then
  local key = KEYS[1] .. ':w:' .. string.format('%.3f', reset)
  local used = tonumber(redis.call('GET', key) or '0') or 0
  local counted = limit - remaining
  if counted > used then
    redis.call('SET', key, tostring(math.floor(counted)))
    redis.call('PEXPIRE', key, math.ceil((reset - now + 2 * (length or 10)) * 1000))
  end
end
return 1
"""


def token_key(token: str) -> str:
    """The default budget key of an access token: a hash (the token itself never reaches Redis)."""
    return hashlib.sha256(b"intercom-sdk rate limit\0" + token.encode()).hexdigest()[:32]


def mask_url(url: str) -> str:
    """``url`` without its password (``redis://user:***@host:6379/0``), for logs and reprs."""
    try:
        parts = urlsplit(url)
        if parts.password is None and "@" not in parts.netloc:
            return url
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, ""))
    except ValueError:
        return "<redis url>"


def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ImportError(
            'RateLimiter(redis_url=...) needs redis-py: pip install "intercom-sdk[redis]"'
        ) from None
    return redis


class RedisBudget:
    """The Redis side of a :class:`~intercom_ext.RateLimiter` (see the module docstring); every
    method returns ``None`` instead of raising when Redis cannot be used right now."""

    def __init__(
        self,
        url: str,
        key: str | None,
        *,
        timeout: float = 0.05,
        retry_seconds: float = 1.0,
    ) -> None:
        redis = _import_redis()
        self.url = mask_url(url)
        self.key = key
        self.retry_seconds = retry_seconds
        self._errors: tuple[type[BaseException], ...] = (
            redis.RedisError,
            OSError,
            ValueError,
            TypeError,
            IndexError,
            KeyError,
        )
        with _shared_lock:
            client = _clients.get((url, timeout))
            if client is None:
                try:
                    client = redis.Redis.from_url(
                        url,
                        socket_timeout=timeout,
                        socket_connect_timeout=timeout,
                        retry_on_timeout=False,
                        health_check_interval=0,
                    )
                except ValueError:
                    raise ValueError(f"not a Redis URL: {self.url}") from None
                _clients[(url, timeout)] = client
        self._client = client
        self._acquire = self._client.register_script(ACQUIRE)
        self._feedback = self._client.register_script(FEEDBACK)
        self._lock = threading.Lock()
        self._down_until: float | None = None  # time.monotonic() when Redis may be tried again
        self.failures = 0
        self.outages = 0

    def __repr__(self) -> str:
        return f"<RedisBudget {self.url} key={self.key!r} up={self.up}>"

    @property
    def up(self) -> bool:
        return self._down_until is None

    def _usable(self) -> bool:
        with self._lock:
            return self._down_until is None or time.monotonic() >= self._down_until

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            self.failures += 1
            first = self._down_until is None
            self._down_until = time.monotonic() + self.retry_seconds
            if first:
                self.outages += 1
        with _shared_lock:
            first = first and self.url not in _down
            _down.add(self.url)
        if first:
            log.warning(
                "rate-limit budget in Redis (%s) unavailable (%s); this process uses its own limiter "
                "until Redis answers again",
                self.url,
                type(exc).__name__,
            )

    def _succeeded(self) -> None:
        with self._lock:
            was_down = self._down_until is not None
            self._down_until = None
        if was_down:
            with _shared_lock:
                was_down = self.url in _down
                _down.discard(self.url)
        if was_down:
            log.info("rate-limit budget in Redis (%s) is back", self.url)

    def _prefix(self) -> str:
        return PREFIX + (self.key or "default")

    def acquire(self, now: float, rtt: float) -> tuple[bool, float] | None:
        """``(True, 0)``: a permit; ``(False, seconds)``: wait; ``None``: the local limiter decides."""
        if not self._usable():
            return None
        try:
            reply = self._acquire(keys=[self._prefix()], args=[repr(float(now)), repr(float(rtt))])
            status, seconds = int(reply[0]), float(reply[1])
            if status not in (-1, 0, 1, 2) or not math.isfinite(seconds) or seconds < 0:
                raise ValueError("unexpected reply")
        except self._errors as exc:  # unreachable, slow, or a reply that makes no sense
            self._failed(exc)
            return None
        self._succeeded()
        if status == -1:
            return None
        if status == 0:
            return False, seconds
        return True, 0.0

    def feedback(self, limit: float | None, remaining: float | None, reset: float, now: float) -> None:
        """A response's ``X-RateLimit-*`` headers (``reset`` given)."""
        if not self._usable():
            return
        args = [
            "" if limit is None else repr(float(limit)),
            "" if remaining is None else repr(float(remaining)),
            repr(float(reset)),
            repr(float(now)),
        ]
        try:
            self._feedback(keys=[self._prefix()], args=args)
        except self._errors as exc:
            self._failed(exc)
            return
        self._succeeded()
