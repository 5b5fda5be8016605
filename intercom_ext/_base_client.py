"""Version-independent HTTP runtime: :class:`SyncAPIClient` and :class:`AsyncAPIClient`.

A version facade (generated per API version) subclasses one of these, fixes ``version_header``
(e.g. ``"2.11"``) and emits thin typed methods that hand a generated ``_get_kwargs(...)`` dict and a
parser to :meth:`~SyncAPIClient.request`, :meth:`~SyncAPIClient.request_raw` or
:meth:`~SyncAPIClient.paginate`::

    class Contacts:
        def __init__(self, client: SyncAPIClient) -> None:
            self._client = client

        def get(self, contact_id: str, **options: Unpack[RequestOptions]) -> Contact:
            return self._client.request(
                show_contact._get_kwargs(contact_id), json_parser(Contact.from_dict), options=options
            )

        def list(self, *, per_page: int | Unset = UNSET, max_items: int | None = None,
                 max_pages: int | None = None, **options: Unpack[RequestOptions]
                 ) -> SyncPager[ContactList, Contact]:
            return self._client.paginate(
                list_contacts._get_kwargs(per_page=per_page), ContactList.from_dict,
                style=PaginationStyle.CURSOR, items=lambda page: page.data,
                max_items=max_items, max_pages=max_pages, options=options,
            )

    class Intercom(SyncAPIClient):
        def __init__(self, *, token: str | None = None, region: str | None = None, ...) -> None:
            super().__init__(version_header="2.11", token=token, region=region, ...)
            self.contacts = Contacts(self)

``tests/ext/facade_example.py`` is a complete, type-checked reference of such a facade.

What every request gets
-----------------------
- URL: ``base_url`` + the kwargs' relative ``url`` (region/base_url resolution in ``_regions``). A user
  supplied ``http_client``'s own ``base_url`` is ignored; only its transport, pool and hooks are used.
- Headers, later ones winning (case-insensitive): ``Accept: application/json``, ``User-Agent:
  intercom-sdk-python/<version>``, ``Intercom-Version: <version_header>``, ``Authorization: Bearer
  <token>``; then ``default_headers=``; then the kwargs' ``headers``; then ``options["extra_headers"]``.
- Redirects are never followed (a 3xx raises :class:`~intercom_ext.APIStatusError`), so the
  ``Authorization`` header can never be replayed to another host.
- Retries per :mod:`intercom_ext._retries`; non-2xx -> typed errors per :mod:`intercom_ext._exceptions`;
  transport failures (including a body cut off mid-way or with a corrupt content encoding) ->
  ``APIConnectionError`` / ``APITimeoutError``; any exception raised by the parser on a 2xx ->
  ``APIResponseValidationError``.
- Pages: a page request is a read, so :meth:`~SyncAPIClient.paginate` retries it like a GET whatever
  its method (``POST /contacts/search``), except a scroll request, which moves a server-side position
  and is retried only when the server cannot have acted (429, connection refused). A page whose items
  are not a list raises ``APIResponseValidationError``.

The token is kept in a wrapper whose ``repr`` is masked; it is never logged (we log method, URL,
status and request id only; httpx masks ``authorization`` in ``Headers`` reprs).

Cost of construction
--------------------
Importing this module and constructing a client are cheap: httpx (with httpcore), tenacity,
``logging`` and ``random`` are imported, and the client's own ``httpx.Client`` /
``httpx.AsyncClient`` (whose SSL context is the expensive part) is created, on the first request or
the first access of :attr:`~SyncAPIClient.http_client`, not in ``__init__``. Configuration errors
(token, region, ``base_url``, ``max_retries``, ``version_header``, the type of a supplied
``http_client``) are still raised by the constructor. Concurrent first requests from several
threads share one created client. ``DEFAULT_TIMEOUT`` is built on first access too.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

from ._constants import (
    DEFAULT_CONNECT_TIMEOUT_SECONDS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
    ENV_ACCESS_TOKEN,
    LOGGER_NAME,
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
from ._pagination import AsyncPager, PaginationStyle, SyncPager, apply_paging, initial_paging_of
from ._ratelimit import RateLimiter
from ._regions import resolve_base_url
from ._response import RawResponse, decode_json, describe_parse_failure, record_response
from ._types import NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    import logging

    import httpx

    from ._retries import RetryPolicy

    # At runtime this name is created on first access (module ``__getattr__`` below).
    DEFAULT_TIMEOUT: Final = httpx.Timeout(DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS)

__all__ = ["DEFAULT_TIMEOUT", "AsyncAPIClient", "SyncAPIClient"]

T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
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


def _random() -> float:
    """``random.random()``; ``random`` is imported on first use (the jitter of a retry's wait)."""
    import random

    return random.random()


_logger: logging.Logger | None = None


def _log() -> logging.Logger:
    """The ``intercom_ext`` logger; ``logging`` is imported on first use (httpx imports it anyway)."""
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger(LOGGER_NAME)
    return _logger


#: Keys a generated ``_get_kwargs`` dict may contain.
_REQUEST_KEYS: Final = frozenset(
    {"method", "url", "params", "json", "data", "files", "content", "headers", "cookies"}
)


class _Secret:
    """Holds the access token; ``repr``/``str`` never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


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


class _BaseClient:
    """Configuration and request building shared by the sync and async clients."""

    base_url: str
    region: str | None
    version_header: str
    max_retries: int
    #: The ``Intercom-Version`` a version facade's client class sends when ``version_header=`` is
    #: not passed (each generated ``Intercom`` / ``AsyncIntercom`` sets it).
    VERSION_HEADER: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        version_header: str | None,
        token: str | None,
        region: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | NotGiven | None,
        client_timeout: float | httpx.Timeout | NotGiven | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        clock: Callable[[], float] | None,
        rate_limiter: RateLimiter | NotGiven | None,
        max_requests_per_minute: float | None,
    ) -> None:
        self._token = _Secret(_resolve_token(token))
        self.base_url, self.region = resolve_base_url(region, base_url)
        if version_header is None:
            version_header = type(self).VERSION_HEADER
        if not isinstance(version_header, str) or not version_header.strip():
            raise IntercomConfigError("version_header must be a non-empty string such as '2.11'")
        self.version_header = version_header.strip()
        self.max_retries = _check_max_retries(max_retries)
        # NOT_GIVEN here means DEFAULT_TIMEOUT, resolved on first read (it needs httpx).
        self._timeout = client_timeout if isinstance(timeout, NotGiven) else timeout
        self._default_headers = dict(default_headers or {})
        self._clock: Callable[[], float] = clock or time.time
        self._rand: Callable[[], float] = _random
        #: Paces every attempt of every request (shared with other clients given the same limiter).
        #: The default one reads this client's clock and sleeps with its sleep (``clock=``/``sleep=``).
        self.rate_limiter: RateLimiter | None = _resolve_limiter(
            rate_limiter,
            max_requests_per_minute,
            clock=lambda: self._clock(),
            sleep=lambda seconds: self._limiter_sleep(seconds),
            async_sleep=lambda seconds: self._limiter_async_sleep(seconds),
        )
        # Guards the lazy creation of the owned httpx client (see the subclasses' _get_http).
        self._http_lock = threading.Lock()

    def _limiter_sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def _limiter_async_sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r} version={self.version_header!r}>"

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

    def _headers_for(self, kwargs: Mapping[str, Any], options: RequestOptions) -> httpx.Headers:
        import httpx

        headers = httpx.Headers(
            {
                "Accept": "application/json",
                "User-Agent": self.user_agent,
                "Intercom-Version": self.version_header,
                "Authorization": f"Bearer {self._token.get_secret_value()}",
            }
        )
        headers.update(self._default_headers)
        headers.update({k: str(v) for k, v in (kwargs.get("headers") or {}).items()})
        headers.update(options.get("extra_headers") or {})
        return headers

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        kwargs: Mapping[str, Any],
        options: RequestOptions,
    ) -> httpx.Request:
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
        return http.build_request(
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

    def _retry_policy(
        self, request: httpx.Request, options: RequestOptions, idempotent: bool | None
    ) -> RetryPolicy:
        from ._retries import RetryPolicy

        max_retries = _check_max_retries(options.get("max_retries", self.max_retries))
        return RetryPolicy(
            method=request.method,
            max_retries=max_retries,
            clock=self._clock,
            rand=self._rand,
            describe=_describe(request),
            idempotent=idempotent,
        )

    # -- response handling ----------------------------------------------------------------------
    @staticmethod
    def _log_response(request: httpx.Request, response: httpx.Response) -> None:
        _log().debug(
            "%s -> %d (request_id=%s)",
            _describe(request),
            response.status_code,
            response.headers.get("x-request-id"),
        )

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

    @classmethod
    def _parse_page(
        cls,
        response: httpx.Response,
        page_parser: Callable[[Any], PageT],
        items: Callable[[PageT], Sequence[ItemT]],
    ) -> tuple[PageT, Any]:
        raw = decode_json(response)

        def parse(_response: httpx.Response) -> PageT:
            if not isinstance(raw, Mapping):  # every paging style reads the next page from an object
                raise TypeError("a page must be a JSON object")
            page = page_parser(raw)
            found = items(page)  # checked here so a malformed page is a typed error, not a crash later
            if isinstance(found, (str, bytes, bytearray)) or not isinstance(found, Sequence):
                raise TypeError(f"the page's items are not a list but {type(found).__name__}")
            return page

        return cls._parse(response, parse), raw


def _resolve_limiter(
    rate_limiter: RateLimiter | NotGiven | None,
    max_requests_per_minute: float | None,
    *,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    async_sleep: Callable[[float], Awaitable[None]],
) -> RateLimiter | None:
    """The client's limiter: the one passed, ``None`` (disabled), or a new one (the default)."""
    if isinstance(rate_limiter, NotGiven):
        try:
            return RateLimiter(max_requests_per_minute, clock=clock, sleep=sleep, async_sleep=async_sleep)
        except ValueError as exc:
            raise IntercomConfigError(str(exc)) from None
    if max_requests_per_minute is not None:
        raise IntercomConfigError(
            "Pass max_requests_per_minute to the RateLimiter given as rate_limiter=, not to the client"
        )
    if rate_limiter is not None and not isinstance(rate_limiter, RateLimiter):
        raise IntercomConfigError(
            f"rate_limiter must be a RateLimiter or None, got {type(rate_limiter).__name__}"
        )
    return rate_limiter


def _page_is_idempotent(style: PaginationStyle) -> bool:
    """Page reads may be repeated, except a scroll (the server keeps its position)."""
    return style is not PaginationStyle.SCROLL


def _check_max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise IntercomConfigError(f"max_retries must be a non-negative int, got {value!r}")
    return value


class SyncAPIClient(_BaseClient):
    """Blocking client. Use as a context manager or call :meth:`close`.

    Args:
        version_header: value of the ``Intercom-Version`` header; default: the class's
            ``VERSION_HEADER`` (set by each version facade's client class).
        token: access token; defaults to ``$INTERCOM_ACCESS_TOKEN``. Missing -> :class:`MissingTokenError`.
        region: ``"us"``, ``"eu"`` or ``"au"``; defaults to ``$INTERCOM_REGION``, else ``"us"``.
        base_url: overrides the region's URL (e.g. a mock server).
        timeout: seconds, ``httpx.Timeout`` or ``None`` (no timeout). Default: 60 s (10 s to connect),
            or the ``http_client``'s own timeout when one is passed.
        max_retries: retries after the first attempt (default 2).
        default_headers: extra headers for every request (they override the defaults above).
        http_client: an ``httpx.Client`` to send through (proxies, transports, event hooks...). It is
            used as-is; our base URL and headers are applied per request; it is not closed by us.
            Without one, the client creates its own ``httpx.Client`` on the first request (or the
            first read of :attr:`http_client`), once even if several threads race for it.
        sleep: ``time.sleep`` replacement used between retries (tests inject a recorder).
        clock: ``time.time`` replacement (epoch seconds) used to interpret ``X-RateLimit-Reset``.
        rate_limiter: the :class:`~intercom_ext.RateLimiter` pacing every attempt; pass one to several
            clients to share it, or ``None`` to disable limiting. Default: a new limiter of this
            client's own, using its ``clock`` and ``sleep``.
        max_requests_per_minute: a ceiling for the default limiter (not with ``rate_limiter=``).
    """

    def __init__(
        self,
        *,
        version_header: str | None = None,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        rate_limiter: RateLimiter | NotGiven | None = NOT_GIVEN,
        max_requests_per_minute: float | None = None,
    ) -> None:
        if http_client is not None:
            import httpx  # already imported by whoever built http_client

            if not isinstance(http_client, httpx.Client):
                raise TypeError(f"http_client must be an httpx.Client, got {type(http_client).__name__}")
        super().__init__(
            version_header=version_header,
            token=token,
            region=region,
            base_url=base_url,
            timeout=timeout,
            client_timeout=http_client.timeout if http_client is not None else NOT_GIVEN,
            max_retries=max_retries,
            default_headers=default_headers,
            clock=clock,
            rate_limiter=rate_limiter,
            max_requests_per_minute=max_requests_per_minute,
        )
        self._owns_http_client = http_client is None
        self._http: httpx.Client | None = http_client  # None until _get_http creates ours
        self._sleep: Callable[[float], None] = sleep or time.sleep

    def _limiter_sleep(self, seconds: float) -> None:
        self._sleep(seconds)

    def _get_http(self) -> httpx.Client:
        """The httpx client, creating ours on first use (one per client even when threads race)."""
        http = self._http
        if http is None:
            with self._http_lock:
                http = self._http
                if http is None:
                    import httpx

                    http = self._http = httpx.Client(follow_redirects=False)
        return http

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def http_client(self) -> httpx.Client:
        return self._get_http()

    @property
    def is_closed(self) -> bool:
        http = self._http
        return http is not None and http.is_closed

    def close(self) -> None:
        """Close the underlying httpx.Client if this client created it.

        Closing before the first request creates ours and closes it (as the async client must): a
        later request fails like one on a closed ``httpx.Client`` (``RuntimeError``).
        """
        if self._owns_http_client:
            self._get_http().close()

    def __enter__(self: _SyncSelf) -> _SyncSelf:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- requests -------------------------------------------------------------------------------
    def _send_once(self, request: httpx.Request) -> httpx.Response:
        limiter = self.rate_limiter
        ticket = limiter.acquire() if limiter is not None else 0
        _log().debug("Request: %s", _describe(request))
        try:
            response = self._get_http().send(request, follow_redirects=False)
        except BaseException:
            if limiter is not None:
                limiter.release(ticket)
            raise
        if limiter is not None:
            limiter.release(ticket, response.headers, response.status_code)
        self._log_response(request, response)
        return response

    def _send(
        self, kwargs: Mapping[str, Any], options: RequestOptions, *, idempotent: bool | None = None
    ) -> httpx.Response:
        import httpx

        request = self._build_request(self._get_http(), kwargs, options)
        retrying = self._retry_policy(request, options, idempotent).sync_retrying(self._sleep)
        try:
            response: httpx.Response = retrying(self._send_once, request)
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
        """Send the request described by ``kwargs`` (a generated ``_get_kwargs`` dict) and parse the 2xx."""
        response = self._send(kwargs, options or {})
        return self._parse(response, parse)

    def request_raw(
        self,
        kwargs: Mapping[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        options: RequestOptions | None = None,
    ) -> RawResponse[T]:
        """Like :meth:`request` but also returns status, headers and the ``httpx.Response``."""
        response = self._send(kwargs, options or {})
        parsed = self._parse(response, parse)
        return RawResponse(
            status_code=response.status_code, headers=response.headers, parsed=parsed, http_response=response
        )

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
        ``items`` extracts the page's items (typically ``lambda p: p.data or []``).
        """
        base = dict(kwargs)
        opts: RequestOptions = options.copy() if options else {}

        idempotent = _page_is_idempotent(style)

        def fetch(paging: dict[str, Any]) -> tuple[PageT, Any]:
            response = self._send(apply_paging(style, base, paging), opts, idempotent=idempotent)
            return self._parse_page(response, page_parser, items)

        return SyncPager(
            fetch,
            style=style,
            items=items,
            initial_paging=initial_paging_of(style, base),
            max_items=max_items,
            max_pages=max_pages,
        )


class AsyncAPIClient(_BaseClient):
    """Asynchronous client; same arguments as :class:`SyncAPIClient` with async ``http_client``/``sleep``.

    Use ``async with`` or ``await client.close()``. Without an ``http_client``, its own
    ``httpx.AsyncClient`` is created on the first request (or the first read of :attr:`http_client`).
    """

    def __init__(
        self,
        *,
        version_header: str | None = None,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        rate_limiter: RateLimiter | NotGiven | None = NOT_GIVEN,
        max_requests_per_minute: float | None = None,
    ) -> None:
        if http_client is not None:
            import httpx  # already imported by whoever built http_client

            if not isinstance(http_client, httpx.AsyncClient):
                raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
        super().__init__(
            version_header=version_header,
            token=token,
            region=region,
            base_url=base_url,
            timeout=timeout,
            client_timeout=http_client.timeout if http_client is not None else NOT_GIVEN,
            max_retries=max_retries,
            default_headers=default_headers,
            clock=clock,
            rate_limiter=rate_limiter,
            max_requests_per_minute=max_requests_per_minute,
        )
        self._owns_http_client = http_client is None
        self._http: httpx.AsyncClient | None = http_client  # None until _get_http creates ours
        # None: tenacity's default async sleep, which works under asyncio and trio.
        self._sleep: Callable[[float], Awaitable[None]] | None = sleep

    async def _limiter_async_sleep(self, seconds: float) -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
        else:
            import asyncio

            await asyncio.sleep(seconds)

    def _get_http(self) -> httpx.AsyncClient:
        """The httpx client, creating ours on first use (one per client even when threads race)."""
        http = self._http
        if http is None:
            with self._http_lock:  # held only while creating: never across an await
                http = self._http
                if http is None:
                    import httpx

                    http = self._http = httpx.AsyncClient(follow_redirects=False)
        return http

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._get_http()

    @property
    def is_closed(self) -> bool:
        http = self._http
        return http is not None and http.is_closed

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

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- requests -------------------------------------------------------------------------------
    async def _send_once(self, request: httpx.Request) -> httpx.Response:
        limiter = self.rate_limiter
        ticket = await limiter.acquire_async() if limiter is not None else 0
        _log().debug("Request: %s", _describe(request))
        try:
            response = await self._get_http().send(request, follow_redirects=False)
        except BaseException:
            if limiter is not None:
                limiter.release(ticket)
            raise
        if limiter is not None:
            limiter.release(ticket, response.headers, response.status_code)
        self._log_response(request, response)
        return response

    async def _send(
        self, kwargs: Mapping[str, Any], options: RequestOptions, *, idempotent: bool | None = None
    ) -> httpx.Response:
        import httpx

        request = self._build_request(self._get_http(), kwargs, options)
        retrying = self._retry_policy(request, options, idempotent).async_retrying(self._sleep)
        try:
            response: httpx.Response = await retrying(self._send_once, request)
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
        response = await self._send(kwargs, options or {})
        return self._parse(response, parse)

    async def request_raw(
        self,
        kwargs: Mapping[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        options: RequestOptions | None = None,
    ) -> RawResponse[T]:
        """Like :meth:`request` but also returns status, headers and the ``httpx.Response``."""
        response = await self._send(kwargs, options or {})
        parsed = self._parse(response, parse)
        return RawResponse(
            status_code=response.status_code, headers=response.headers, parsed=parsed, http_response=response
        )

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
    ) -> AsyncPager[PageT, ItemT]:
        """A lazy async pager (``async for``); nothing is fetched until iteration starts."""
        base = dict(kwargs)
        opts: RequestOptions = options.copy() if options else {}

        idempotent = _page_is_idempotent(style)

        async def fetch(paging: dict[str, Any]) -> tuple[PageT, Any]:
            response = await self._send(apply_paging(style, base, paging), opts, idempotent=idempotent)
            return self._parse_page(response, page_parser, items)

        return AsyncPager(
            fetch,
            style=style,
            items=items,
            initial_paging=initial_paging_of(style, base),
            max_items=max_items,
            max_pages=max_pages,
        )
