"""Version-independent HTTP runtime: :class:`SyncAPIClient` and :class:`AsyncAPIClient`.

Both derive from one generic :class:`BaseClient` ``[httpx client type, sleep type]`` (openai-python's
``BaseClient[_HttpxClientT]``), which holds everything that does not await: the constructor and its
validation, URL and header building, the retry policy, the rate limiter, the lazily created httpx
client (:attr:`~BaseClient.http_client`, :attr:`~BaseClient.is_closed`), parsing, and the set-up of
a pager. Each subclass writes only what awaits or blocks: sending one attempt, the retry loop,
``request``, the fetch of a page, ``close`` and the context manager.

A version facade (generated per API version: ``generated/intercom_<version>/facade.py``) derives
``Intercom(FacadeMixin, SyncAPIClient)`` and ``AsyncIntercom(FacadeMixin, AsyncAPIClient)``, sets the
class attribute ``VERSION_HEADER`` (``"2.11"``, read when ``version_header=`` is not passed) and
keeps the constructor documented below. Its resources are thin typed methods that hand a generated
``_get_kwargs(...)`` dict and a parser to :meth:`~SyncAPIClient.request` or
:meth:`~SyncAPIClient.paginate`::

    class ContactsResource:
        def __init__(self, client: Intercom) -> None:
            self._client = client

        def get(self, contact_id: str, **options: Unpack[RequestOptions]) -> Contact:
            from .api.contacts import show_contact as _op

            return self._client.request(
                _op._get_kwargs(contact_id=contact_id), json_parser(Contact.from_dict), options=options
            )

        def list(self, *, per_page: int | Unset = UNSET, max_items: int | None = None,
                 max_pages: int | None = None, **options: Unpack[RequestOptions]
                 ) -> SyncPager[ContactList, Contact]:
            from .api.contacts import list_contacts as _op

            return self._client.paginate(
                _op._get_kwargs(per_page=per_page), ContactList.from_dict,
                style=PaginationStyle.CURSOR, items=lambda page: checked_items(page, page.data, "data"),
                max_items=max_items, max_pages=max_pages, options=options,
            )

``client.with_raw_response.<resource>.<verb>`` wraps the same methods
(:func:`~intercom_ext.to_raw_response_wrapper`, :func:`~intercom_ext.to_raw_page_wrapper`).
``tests/ext/test_facade.py`` checks the generated facades against this runtime.

What every request gets
-----------------------
- URL: ``base_url`` + the kwargs' relative ``url`` (``base_url=`` > ``$INTERCOM_BASE_URL`` > region,
  see ``_regions``). A user supplied ``http_client``'s own ``base_url`` is ignored; only its
  transport, pool and hooks are used.
- Headers, later ones winning (case-insensitive): ``Accept: application/json``, ``User-Agent:
  intercom-sdk-python/<version>``, ``Intercom-Version: <version_header>``, ``Authorization: Bearer
  <token>``; then ``default_headers=``; then the kwargs' ``headers``; then ``options["extra_headers"]``.
- Redirects are never followed (a 3xx raises :class:`~intercom_ext.APIStatusError`), so the
  ``Authorization`` header can never be replayed to another host.
- Retries per :mod:`intercom_ext._retries` (waits: the server's hint, else ``backoff=``);
  non-2xx -> typed errors per :mod:`intercom_ext._exceptions`; transport failures (including a body
  cut off mid-way or with a corrupt content encoding) -> ``APIConnectionError`` /
  ``APITimeoutError``; any exception raised by the parser on a 2xx -> ``APIResponseValidationError``.
- Pages: a page request is a read, so :meth:`~SyncAPIClient.paginate` retries it like a GET whatever
  its method (``POST /contacts/search``), except a scroll request, which moves a server-side position
  and is retried only when the server cannot have acted (429, connection refused). A page whose items
  are not a list raises ``APIResponseValidationError``.

The token is kept in a :class:`~intercom_ext.Secret` whose ``repr`` is masked; it is never logged
(:mod:`intercom_ext._logs`: method, URL without query, status, request id, attempt and wait only;
httpx masks ``authorization`` in ``Headers`` reprs).

Cost of construction
--------------------
Importing this module and constructing a client are cheap: httpx (with httpcore), tenacity,
``logging`` (unless ``$INTERCOM_LOG`` is set) and ``random`` are imported, and the client's own
``httpx.Client`` / ``httpx.AsyncClient`` (whose SSL context is the expensive part) is created, on the
first request or the first access of :attr:`~BaseClient.http_client`, not in ``__init__``.
Configuration errors (token, region, base URL, ``max_retries``, ``backoff``, ``version_header``, the
type of a supplied ``http_client``) are still raised by the constructor. Concurrent first requests
from several threads share one created client. ``DEFAULT_TIMEOUT`` is built on first access too.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar

from ._config import Backoff, ClientConfig, Secret
from ._constants import (
    DEFAULT_CONNECT_TIMEOUT_SECONDS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
    ENV_ACCESS_TOKEN,
    ENV_RATE_LIMIT_REDIS_URL,
    USER_AGENT_PREFIX,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    IntercomConfigError,
    IntercomError,
    MissingTokenError,
    make_status_error,
)
from ._logs import logger as _log
from ._logs import setup_from_env
from ._pagination import AsyncPager, PaginationStyle, SyncPager, apply_paging, initial_paging_of
from ._ratelimit import RateLimiter
from ._regions import resolve_base_url
from ._response import decode_json, describe_parse_failure, record_response
from ._types import NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    import httpx

    from ._retries import RetryPolicy

    # At runtime this name is created on first access (module ``__getattr__`` below).
    DEFAULT_TIMEOUT: Final = httpx.Timeout(DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS)

__all__ = ["DEFAULT_TIMEOUT", "AsyncAPIClient", "BaseClient", "SyncAPIClient"]

T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
_HttpxT = TypeVar("_HttpxT", bound="httpx.Client | httpx.AsyncClient")
_SleepT = TypeVar("_SleepT")
_SyncSelf = TypeVar("_SyncSelf", bound="SyncAPIClient")
_AsyncSelf = TypeVar("_AsyncSelf", bound="AsyncAPIClient")


def _default_timeout() -> httpx.Timeout:
    """``DEFAULT_TIMEOUT`` (60 s, 10 s to connect), built once on first use."""
    existing: httpx.Timeout | None = globals().get("DEFAULT_TIMEOUT")
    if existing is not None:
        return existing
    import httpx

    fresh = httpx.Timeout(DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS)
    winner: httpx.Timeout = globals().setdefault("DEFAULT_TIMEOUT", fresh)  # atomic: one object wins
    return winner


if not TYPE_CHECKING:  # type checkers see DEFAULT_TIMEOUT above (a __getattr__ would make any name valid)

    def __getattr__(name: str) -> object:
        if name == "DEFAULT_TIMEOUT":
            return _default_timeout()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Keys a generated ``_get_kwargs`` dict may contain.
_REQUEST_KEYS: Final = frozenset(
    {"method", "url", "params", "json", "data", "files", "content", "headers", "cookies"}
)


def _resolve_token(token: str | None) -> str:
    if token is None:
        token = os.environ.get(ENV_ACCESS_TOKEN)
    if token is None or not token.strip():
        raise MissingTokenError(
            f"No Intercom access token: pass token=... or set the {ENV_ACCESS_TOKEN} environment variable"
        )
    token = token.strip()
    # A control character, space or non-ASCII character would make httpx/h11 raise an error whose
    # message quotes the header value, i.e. the token. Reject it here without echoing it.
    if not token.isascii() or not token.isprintable() or " " in token:
        raise IntercomConfigError(
            "The Intercom access token contains whitespace, control or non-ASCII characters"
        )
    return token


def _describe(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


class BaseClient(Generic[_HttpxT, _SleepT]):
    """What the sync and async clients share: everything but the methods that await (see the module
    docstring). ``_HttpxT`` is ``httpx.Client`` or ``httpx.AsyncClient``; ``_SleepT`` the type of
    ``sleep=`` (blocking, or a coroutine function)."""

    base_url: str
    region: str | None
    version_header: str
    max_retries: int
    rate_limiter: RateLimiter | None
    #: The ``Intercom-Version`` a version facade's client class sends when ``version_header=`` is
    #: not passed (each generated ``Intercom`` / ``AsyncIntercom`` sets it).
    VERSION_HEADER: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: Backoff | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: _HttpxT | None = None,
        rate_limiter: RateLimiter | NotGiven | None = NOT_GIVEN,
        max_requests_per_minute: float | None = None,
        sleep: _SleepT | None = None,
        clock: Callable[[], float] | None = None,
        version_header: str | None = None,
    ) -> None:
        """Configure the client; nothing is sent and no connection is made until the first request.

        Args:
            token: the access token; default ``$INTERCOM_ACCESS_TOKEN``. Missing:
                :class:`~intercom_ext.MissingTokenError`, raised here rather than as a 401 later.
            region: ``"us"``, ``"eu"`` or ``"au"`` (the workspace's data-hosting region); default
                ``$INTERCOM_REGION``, else ``"us"``.
            base_url: the API's base URL instead of the region's (a mock server, a proxy); default
                ``$INTERCOM_BASE_URL``, which also wins over ``region`` (a script run under a mock
                server's launcher goes to the mock).
            timeout: seconds, an ``httpx.Timeout``, or ``None`` for none. Default: 60 s (10 s to
                connect), or the ``http_client``'s own timeout when one is passed.
            max_retries: retries after the first attempt (default 2); a call's ``max_retries=`` wins.
            backoff: the wait before a retry when the server gives no ``Retry-After`` /
                ``X-RateLimit-Reset``: a :class:`~intercom_ext.Backoff` (initial, maximum, jitter,
                and the jitter's ``random`` source). Default ``Backoff()``: 0.5 s doubling to 8 s,
                plus up to 0.5 s of jitter.
            default_headers: extra headers for every request (they override the defaults).
            http_client: an ``httpx.Client`` (``httpx.AsyncClient`` for the async client) to send
                through: proxies, transports, limits, event hooks. Used as-is (our base URL and
                headers are applied per request) and not closed by us. Without one, the client
                creates its own on the first request (or the first read of :attr:`http_client`),
                once even if several threads race for it.
            rate_limiter: the :class:`~intercom_ext.RateLimiter` pacing every attempt; pass one to
                several clients to share it, or ``None`` to disable limiting. Default: a new limiter
                of this client's own, on its ``clock`` and ``sleep``.
            max_requests_per_minute: a ceiling for the default limiter (not with ``rate_limiter=``).
            sleep: replaces ``time.sleep`` (the async client: a coroutine function replacing
                ``asyncio.sleep``) for the waits between retries and of the default rate limiter.
            clock: replaces ``time.time`` (epoch seconds) for ``X-RateLimit-Reset`` and HTTP-date
                hints and the default rate limiter. With ``sleep``, ``clock`` and
                ``backoff=Backoff(random=...)``, waits cost no real time and repeat exactly (tests).
            version_header: the ``Intercom-Version`` header; default: the class's ``VERSION_HEADER``
                (set by each version facade's client class).

        Environment variables: ``INTERCOM_ACCESS_TOKEN`` (``token``), ``INTERCOM_BASE_URL``
        (``base_url``), ``INTERCOM_REGION`` (``region``), and ``INTERCOM_LOG=debug`` or ``info``,
        which gives the ``intercom_ext`` logger that level and a stderr handler (once per process):
        method, URL without its query, status, request id, attempt and the wait before each retry;
        never the token.
        """
        if http_client is not None:
            expected = self._httpx_class()  # httpx is already imported by whoever built http_client
            if not isinstance(http_client, expected):
                raise TypeError(
                    f"http_client must be an httpx.{expected.__name__}, got {type(http_client).__name__}"
                )
        self._token = Secret(_resolve_token(token))
        self.base_url, self.region = resolve_base_url(region, base_url)
        if version_header is None:
            version_header = type(self).VERSION_HEADER
        if not isinstance(version_header, str) or not version_header.strip():
            raise IntercomConfigError("version_header must be a non-empty string such as '2.11'")
        self.version_header = version_header.strip()
        self.max_retries = _check_max_retries(max_retries)
        if backoff is not None and not isinstance(backoff, Backoff):
            raise IntercomConfigError(f"backoff must be a Backoff, got {type(backoff).__name__}")
        self._backoff = backoff or Backoff()
        # NOT_GIVEN here means DEFAULT_TIMEOUT, resolved on first read (it needs httpx).
        client_timeout = http_client.timeout if http_client is not None else NOT_GIVEN
        self._timeout = client_timeout if isinstance(timeout, NotGiven) else timeout
        self._default_headers = dict(default_headers or {})
        self._sleep: _SleepT | None = sleep
        self._clock: Callable[[], float] = clock or time.time
        setup_from_env()  # $INTERCOM_LOG
        #: Paces every attempt of every request (shared with other clients given the same limiter).
        #: The default one reads this client's clock and sleeps with its sleep (``clock=``/``sleep=``).
        self.rate_limiter = _resolve_limiter(
            rate_limiter,
            max_requests_per_minute,
            clock=lambda: self._clock(),
            sleep=lambda seconds: self._limiter_sleep(seconds),
            async_sleep=lambda seconds: self._limiter_async_sleep(seconds),
            token=self._token.get_secret_value(),
        )
        self._owns_http_client = http_client is None
        self._http: _HttpxT | None = http_client  # None until _get_http creates ours
        self._http_lock = threading.Lock()  # guards that creation

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r} version={self.version_header!r}>"

    # -- configuration --------------------------------------------------------------------------
    @property
    def timeout(self) -> float | httpx.Timeout | None:
        """Timeout of every request: as passed, else the ``http_client``'s, else ``DEFAULT_TIMEOUT``."""
        if isinstance(self._timeout, NotGiven):
            return _default_timeout()
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | httpx.Timeout | None) -> None:
        self._timeout = value

    @property
    def user_agent(self) -> str:
        from . import __version__

        return f"{USER_AGENT_PREFIX}/{__version__}"

    @property
    def backoff(self) -> Backoff:
        """The waits between retries when the server gives none (``backoff=``)."""
        return self._backoff

    @property
    def clock(self) -> Callable[[], float]:
        """The clock of this client (``clock=``, default ``time.time``): epoch seconds."""
        return self._clock

    @property
    def sleep(self) -> _SleepT | None:
        """The ``sleep=`` passed, or ``None``: ``time.sleep`` (sync) / ``asyncio.sleep`` or trio's (async)."""
        return self._sleep

    @property
    def config(self) -> ClientConfig:
        """Base URL, default headers (without ``Authorization``), token (a :class:`~intercom_ext.Secret`)
        and timeout: what another HTTP client needs to call the API as this one does."""
        headers = self._default_request_headers()
        headers.pop("authorization", None)
        return ClientConfig(
            base_url=self.base_url,
            headers=dict(headers),
            token=self._token,
            timeout=self.timeout,
        )

    # -- the httpx client -----------------------------------------------------------------------
    @staticmethod
    def _httpx_class() -> type[_HttpxT]:
        """``httpx.Client`` or ``httpx.AsyncClient`` (looked up when called: httpx is imported then)."""
        raise NotImplementedError

    def _get_http(self) -> _HttpxT:
        """The httpx client, creating ours on first use (one per client even when threads race)."""
        http = self._http
        if http is None:
            with self._http_lock:  # held only while creating: never across an await
                http = self._http
                if http is None:
                    http = self._http = self._httpx_class()(follow_redirects=False)
        return http

    @property
    def http_client(self) -> _HttpxT:
        """The httpx client requests go through (the one passed, or ours, created now if need be)."""
        return self._get_http()

    @property
    def is_closed(self) -> bool:
        http = self._http
        return http is not None and http.is_closed

    # -- request building -----------------------------------------------------------------------
    @cached_property
    def _origin(self) -> tuple[str, str, int | None]:
        import httpx

        base = httpx.URL(self.base_url)
        return (base.scheme, base.host, base.port)

    def _url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            import httpx

            url = httpx.URL(path)
            if (url.scheme, url.host, url.port) != self._origin:
                raise ValueError(f"Refusing to send the access token to another origin: {url.host!r}")
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _default_request_headers(self) -> httpx.Headers:
        """Every request's headers before the request's own, without ``Authorization``."""
        import httpx

        headers = httpx.Headers(
            {
                "Accept": "application/json",
                "User-Agent": self.user_agent,
                "Intercom-Version": self.version_header,
            }
        )
        headers.update(self._default_headers)
        return headers

    def _headers_for(self, kwargs: Mapping[str, Any], options: RequestOptions) -> httpx.Headers:
        headers = self._default_request_headers()
        if "authorization" not in headers:  # default_headers= may set its own
            headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        headers.update({k: str(v) for k, v in (kwargs.get("headers") or {}).items()})
        headers.update(options.get("extra_headers") or {})
        return headers

    def _build_request(self, kwargs: Mapping[str, Any], options: RequestOptions) -> httpx.Request:
        unknown = set(kwargs) - _REQUEST_KEYS
        if unknown:
            raise TypeError(f"Unsupported request kwargs: {sorted(unknown)}")
        method = str(kwargs["method"]).upper()
        url = self._url_for(str(kwargs["url"]))

        params: Any = kwargs.get("params")
        if options.get("extra_query"):
            params = {**(params or {}), **options["extra_query"]}

        json_body: Any = kwargs.get("json")
        if options.get("extra_body"):
            if json_body is not None and not isinstance(json_body, Mapping):
                raise TypeError("extra_body needs a JSON object body")
            json_body = {**(json_body or {}), **options["extra_body"]}

        timeout = options.get("timeout", self.timeout)
        return self._get_http().build_request(
            method,
            url,
            params=params,
            json=json_body,
            data=kwargs.get("data"),
            files=kwargs.get("files"),
            content=kwargs.get("content"),
            cookies=kwargs.get("cookies"),
            headers=self._headers_for(kwargs, options),
            timeout=timeout,
        )

    def _prepare(
        self, kwargs: Mapping[str, Any], options: RequestOptions, idempotent: bool | None
    ) -> tuple[httpx.Request, RetryPolicy]:
        """The request and the retry policy of one call (the policy counts its attempts)."""
        from ._retries import RetryPolicy

        request = self._build_request(kwargs, options)
        policy = RetryPolicy(
            method=request.method,
            max_retries=_check_max_retries(options.get("max_retries", self.max_retries)),
            clock=self._clock,
            backoff=self._backoff,
            describe=_describe(request),
            idempotent=idempotent,
        )
        return request, policy

    # -- rate limiter ---------------------------------------------------------------------------
    def _limiter_sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def _limiter_async_sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)

    # -- one attempt's outcome ------------------------------------------------------------------
    def _received(self, ticket: int, policy: RetryPolicy, response: httpx.Response) -> httpx.Response:
        """After an attempt got ``response``: give the limiter its permit and feedback, and log it."""
        if self.rate_limiter is not None:
            self.rate_limiter.release(ticket, response.headers, response.status_code)
        _log().info(
            "%s -> %d (request_id=%s, %s)",
            policy.describe,
            response.status_code,
            response.headers.get("x-request-id"),
            policy.attempts,
        )
        return response

    def _unsent(self, ticket: int, policy: RetryPolicy, exc: BaseException) -> None:
        """After an attempt got no response (``exc``): give the limiter its permit back, and log it."""
        if self.rate_limiter is not None:
            self.rate_limiter.release(ticket)
        _log().debug("%s failed: %s (%s)", policy.describe, type(exc).__name__, policy.attempts)

    # -- response handling ----------------------------------------------------------------------
    @staticmethod
    def _transport_error(request: httpx.Request, exc: httpx.RequestError) -> APIConnectionError:
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"Request timed out: {_describe(request)} ({type(exc).__name__})", request=request
            )
        if isinstance(exc, httpx.DecodingError):  # e.g. a gzip body that does not decompress
            return APIConnectionError(
                f"Could not decode the response body: {_describe(request)}: {type(exc).__name__}: {exc}",
                request=request,
            )
        return APIConnectionError(
            f"Connection error: {_describe(request)}: {type(exc).__name__}: {exc}", request=request
        )

    @staticmethod
    def _check_status(response: httpx.Response) -> httpx.Response:
        if not response.is_success:
            raise make_status_error(response)
        return response

    @staticmethod
    def _parse(response: httpx.Response, parse: Callable[[httpx.Response], T]) -> T:
        record_response(response)  # for the raw-response wrappers (_response.py)
        try:
            return parse(response)
        except IntercomError:
            raise
        except Exception as exc:
            raise APIResponseValidationError(
                describe_parse_failure(response, exc), response=response
            ) from exc

    # -- pagination -----------------------------------------------------------------------------
    def _pages(
        self,
        kwargs: Mapping[str, Any],
        page_parser: Callable[[Any], PageT],
        items: Callable[[PageT], Sequence[ItemT]],
        style: PaginationStyle,
        options: RequestOptions | None,
    ) -> _PageRequests[PageT, ItemT]:
        return _PageRequests(kwargs, page_parser, items, style, options.copy() if options else {})


class _PageRequests(Generic[PageT, ItemT]):
    """A pager's requests: the first page's kwargs with each page's paging applied, and the parsing."""

    def __init__(
        self,
        kwargs: Mapping[str, Any],
        page_parser: Callable[[Any], PageT],
        items: Callable[[PageT], Sequence[ItemT]],
        style: PaginationStyle,
        options: RequestOptions,
    ) -> None:
        self.base = dict(kwargs)
        self.page_parser = page_parser
        self.items = items
        self.style = style
        self.options = options
        #: Page reads may be repeated, except a scroll (the server keeps its position).
        self.idempotent = style is not PaginationStyle.SCROLL
        self.initial_paging = initial_paging_of(style, self.base)

    def kwargs(self, paging: Mapping[str, Any]) -> dict[str, Any]:
        return apply_paging(self.style, self.base, paging)

    def parse(self, response: httpx.Response) -> tuple[PageT, Any]:
        """The page model and its decoded JSON (what the pager reads the next page from)."""
        raw = decode_json(response)

        def parse(_response: httpx.Response) -> PageT:
            if not isinstance(raw, Mapping):  # every paging style reads the next page from an object
                raise TypeError("a page must be a JSON object")
            page = self.page_parser(raw)
            found = self.items(page)  # checked here so a malformed page is a typed error, not a crash later
            if isinstance(found, (str, bytes, bytearray)) or not isinstance(found, Sequence):
                raise TypeError(f"the page's items are not a list but {type(found).__name__}")
            return page

        return BaseClient._parse(response, parse), raw


def _resolve_limiter(
    rate_limiter: RateLimiter | NotGiven | None,
    max_requests_per_minute: float | None,
    *,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    async_sleep: Callable[[float], Awaitable[None]],
    token: str,
) -> RateLimiter | None:
    """The client's limiter: the one passed, ``None`` (disabled), or a new one (the default; its
    budget shared through ``$INTERCOM_RATE_LIMIT_REDIS_URL`` when set). A limiter with a Redis budget
    and no key gets a hash of ``token`` as its key."""
    if isinstance(rate_limiter, NotGiven):
        redis_url = os.environ.get(ENV_RATE_LIMIT_REDIS_URL, "").strip() or None
        try:
            rate_limiter = RateLimiter(
                max_requests_per_minute,
                clock=clock,
                sleep=sleep,
                async_sleep=async_sleep,
                redis_url=redis_url,
            )
        except (ValueError, ImportError) as exc:
            where = f" (${ENV_RATE_LIMIT_REDIS_URL})" if redis_url else ""
            raise IntercomConfigError(f"{exc}{where}") from None
    elif max_requests_per_minute is not None:
        raise IntercomConfigError(
            "Pass max_requests_per_minute to the RateLimiter given as rate_limiter=, not to the client"
        )
    if rate_limiter is not None and not isinstance(rate_limiter, RateLimiter):
        raise IntercomConfigError(
            f"rate_limiter must be a RateLimiter or None, got {type(rate_limiter).__name__}"
        )
    if rate_limiter is not None and rate_limiter.redis is not None and rate_limiter.redis.key is None:
        from ._redis_limiter import token_key

        rate_limiter.bind_key(token_key(token))
    return rate_limiter


def _fail_missing_sniffio_fast() -> None:
    """httpcore 1.0 runs ``import sniffio`` for every connection and lock of an async request. When
    sniffio is not installed (current anyio no longer needs it), each of those is a failed import
    that searches ``sys.path`` again: ~1.3 ms of CPU per request, measured in the async export. A
    ``None`` in ``sys.modules`` makes that import fail at once, as it would anyway; httpcore then
    assumes asyncio, as it does without sniffio. Nothing changes when sniffio is installed."""
    import sys

    if "sniffio" not in sys.modules:
        import importlib.util

        if importlib.util.find_spec("sniffio") is None:
            sys.modules["sniffio"] = None  # type: ignore[assignment]


def _check_max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise IntercomConfigError(f"max_retries must be a non-negative int, got {value!r}")
    return value


class SyncAPIClient(BaseClient["httpx.Client", "Callable[[float], None]"]):
    """Blocking client (the constructor's arguments are documented on :meth:`BaseClient.__init__`).

    Use as a context manager or call :meth:`close`. ``INTERCOM_BASE_URL``, ``INTERCOM_REGION``,
    ``INTERCOM_ACCESS_TOKEN`` and ``INTERCOM_LOG`` are read by the constructor.
    """

    @staticmethod
    def _httpx_class() -> type[httpx.Client]:
        import httpx

        return httpx.Client

    def _limiter_sleep(self, seconds: float) -> None:
        (self._sleep or time.sleep)(seconds)

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the underlying httpx.Client if this client created it.

        Closing before the first request creates ours and closes it (as the async client must): a
        later request fails like one on a closed ``httpx.Client`` (``RuntimeError``).
        """
        if self._owns_http_client:
            self._get_http().close()

    def __enter__(self: _SyncSelf) -> _SyncSelf:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- requests -------------------------------------------------------------------------------
    def _send_once(self, request: httpx.Request, policy: RetryPolicy) -> httpx.Response:
        ticket = self.rate_limiter.acquire() if self.rate_limiter is not None else 0
        try:
            response = self._get_http().send(request, follow_redirects=False)
        except BaseException as exc:
            self._unsent(ticket, policy, exc)
            raise
        return self._received(ticket, policy, response)

    def _send(
        self, kwargs: Mapping[str, Any], options: RequestOptions, *, idempotent: bool | None = None
    ) -> httpx.Response:
        import httpx

        request, policy = self._prepare(kwargs, options, idempotent)
        retrying = policy.sync_retrying(self._sleep or time.sleep)
        try:
            response: httpx.Response = retrying(self._send_once, request, policy)
        except httpx.RequestError as exc:
            raise self._transport_error(request, exc) from exc
        return self._check_status(response)

    def request(
        self,
        kwargs: Mapping[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        options: RequestOptions | None = None,
    ) -> T:
        """Send the request described by ``kwargs`` and parse the 2xx response with ``parse``.

        The one way every request goes out (retries, rate limiter, typed errors, logging), and the
        documented low-level escape hatch: ``kwargs`` holds ``method``, ``url`` (a path under the
        base URL) and optionally ``params``, ``json`` and ``headers``; nothing is checked against
        the spec. ``to_raw_response_wrapper(client.request)`` gives the ``RawResponse``.
        """
        return self._parse(self._send(kwargs, options or {}), parse)

    def paginate(
        self,
        kwargs: Mapping[str, Any],
        page_parser: Callable[[Any], PageT],
        *,
        style: PaginationStyle,
        items: Callable[[PageT], Sequence[ItemT]],
        max_items: int | None = None,
        max_pages: int | None = None,
        options: RequestOptions | None = None,
    ) -> SyncPager[PageT, ItemT]:
        """A lazy pager over the endpoint described by ``kwargs`` (its first page's request).

        ``page_parser`` builds the page model from decoded JSON (typically ``ContactList.from_dict``);
        ``items`` extracts the page's items (typically ``lambda p: p.data or []``). Nothing is
        fetched until iteration starts.
        """
        pages = self._pages(kwargs, page_parser, items, style, options)

        def fetch(paging: dict[str, Any]) -> tuple[PageT, Any]:
            return pages.parse(self._send(pages.kwargs(paging), pages.options, idempotent=pages.idempotent))

        return SyncPager(
            fetch,
            style=style,
            items=items,
            initial_paging=pages.initial_paging,
            max_items=max_items,
            max_pages=max_pages,
        )


class AsyncAPIClient(BaseClient["httpx.AsyncClient", "Callable[[float], Awaitable[None]]"]):
    """Asynchronous client: the constructor's arguments are those of :meth:`BaseClient.__init__`, with
    an ``httpx.AsyncClient`` as ``http_client`` and a coroutine function as ``sleep``.

    Use ``async with`` or ``await client.close()``. Without an ``http_client``, its own
    ``httpx.AsyncClient`` is created on the first request (or the first read of :attr:`http_client`).
    """

    @staticmethod
    def _httpx_class() -> type[httpx.AsyncClient]:
        import httpx

        _fail_missing_sniffio_fast()
        return httpx.AsyncClient

    async def _limiter_async_sleep(self, seconds: float) -> None:
        if self._sleep is None:
            await super()._limiter_async_sleep(seconds)
        else:
            await self._sleep(seconds)

    # -- lifecycle ------------------------------------------------------------------------------
    async def close(self) -> None:
        """Close the underlying httpx.AsyncClient if this client created it.

        An ``AsyncClient`` can only be closed in a coroutine, so closing before the first request
        creates ours and closes it: a later request fails like one on a closed ``httpx.AsyncClient``
        (``RuntimeError``) and :attr:`http_client` is that closed client.
        """
        if self._owns_http_client:
            await self._get_http().aclose()

    async def __aenter__(self: _AsyncSelf) -> _AsyncSelf:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- requests -------------------------------------------------------------------------------
    async def _send_once(self, request: httpx.Request, policy: RetryPolicy) -> httpx.Response:
        ticket = await self.rate_limiter.acquire_async() if self.rate_limiter is not None else 0
        try:
            response = await self._get_http().send(request, follow_redirects=False)
        except BaseException as exc:
            self._unsent(ticket, policy, exc)
            raise
        return self._received(ticket, policy, response)

    async def _send(
        self, kwargs: Mapping[str, Any], options: RequestOptions, *, idempotent: bool | None = None
    ) -> httpx.Response:
        import httpx

        request, policy = self._prepare(kwargs, options, idempotent)
        retrying = policy.async_retrying(self._sleep)  # None: tenacity's asyncio-or-trio sleep
        try:
            response: httpx.Response = await retrying(self._send_once, request, policy)
        except httpx.RequestError as exc:
            raise self._transport_error(request, exc) from exc
        return self._check_status(response)

    async def request(
        self,
        kwargs: Mapping[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        options: RequestOptions | None = None,
    ) -> T:
        """Send the request described by ``kwargs`` and parse the 2xx response with ``parse``."""
        return self._parse(await self._send(kwargs, options or {}), parse)

    def paginate(
        self,
        kwargs: Mapping[str, Any],
        page_parser: Callable[[Any], PageT],
        *,
        style: PaginationStyle,
        items: Callable[[PageT], Sequence[ItemT]],
        max_items: int | None = None,
        max_pages: int | None = None,
        options: RequestOptions | None = None,
        parse_in_thread: bool = False,
    ) -> AsyncPager[PageT, ItemT]:
        """A lazy async pager (``async for``); nothing is fetched until iteration starts.

        ``parse_in_thread``: decode and parse each page with ``asyncio.to_thread`` instead of on the
        loop (the exports do: with 8 searches at once, the pages parsed in one turn of the loop
        would hold it for tens of milliseconds; asyncio only).
        """
        pages = self._pages(kwargs, page_parser, items, style, options)

        async def fetch(paging: dict[str, Any]) -> tuple[PageT, Any]:
            response = await self._send(pages.kwargs(paging), pages.options, idempotent=pages.idempotent)
            if parse_in_thread:
                import asyncio

                return await asyncio.to_thread(pages.parse, response)
            return pages.parse(response)

        return AsyncPager(
            fetch,
            style=style,
            items=items,
            initial_paging=pages.initial_paging,
            max_items=max_items,
            max_pages=max_pages,
        )
