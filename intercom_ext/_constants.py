"""Version-independent constants of the Intercom runtime (defaults, env var names, header names)."""

from __future__ import annotations

from typing import Final

#: Environment variable read when ``token=`` is not passed.
ENV_ACCESS_TOKEN: Final = "INTERCOM_ACCESS_TOKEN"
#: Environment variable read when ``base_url=`` is not passed; it wins over ``region=``
#: (a mock-server launcher sets it for the scripts it runs).
ENV_BASE_URL: Final = "INTERCOM_BASE_URL"
#: Environment variable read when neither ``base_url=`` nor ``$INTERCOM_BASE_URL`` nor ``region=`` is given.
ENV_REGION: Final = "INTERCOM_REGION"
#: A Redis URL: the clients' default rate limiter shares its budget there with every other process
#: of the same Intercom app (``RateLimiter(redis_url=...)``; needs the ``redis`` extra).
ENV_RATE_LIMIT_REDIS_URL: Final = "INTERCOM_RATE_LIMIT_REDIS_URL"
#: ``debug`` or ``info``: the ``intercom_ext`` logger gets that level and a stderr handler.
ENV_LOG: Final = "INTERCOM_LOG"

#: Retries after the first attempt (so 3 attempts in total).
DEFAULT_MAX_RETRIES: Final = 2
#: Seconds; the connect phase gets a shorter budget than the whole request.
DEFAULT_TIMEOUT_SECONDS: Final = 60.0
DEFAULT_CONNECT_TIMEOUT_SECONDS: Final = 10.0

#: Backoff between attempts: ``min(INITIAL * 2**(n-1), MAX) + uniform(0, JITTER)`` seconds.
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
RETRY_JITTER: Final = 0.5
#: A server hint (Retry-After / X-RateLimit-Reset) longer than this is not waited for: the error is raised.
MAX_RETRY_AFTER: Final = 60.0

USER_AGENT_PREFIX: Final = "intercom-sdk-python"
REQUEST_ID_HEADER: Final = "X-Request-Id"

LOGGER_NAME: Final = "intercom_ext"
