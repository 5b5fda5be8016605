"""Response parsing helpers and :class:`RawResponse`.

A *parser* is a ``Callable[[httpx.Response], T]`` that the clients call on a 2xx response. The clients
turn any exception a parser raises (``json.JSONDecodeError``, ``KeyError``, ``ValueError`` from an
enum, ...) into :class:`~intercom_ext.APIResponseValidationError`, so no raw decoding error reaches the
caller. Helpers:

- :func:`json_parser` — ``json_parser(Contact.from_dict)``: decode the JSON body, then build the model.
- :func:`json_list_parser` — ``json_list_parser(AiCallResponse.from_dict)``: a JSON array of models.
- :func:`parse_none` — ignore the body (``204 No Content`` and friends).
- :func:`parse_text` — the body as text (a ``text/plain`` transcript).
- :func:`decode_json` — the decoding step alone, with a typed error that names the problem.

Raw responses: :func:`to_raw_response_wrapper` (and its async and pager twins) turn a facade method
into one with the same parameters that returns a :class:`RawResponse` — status, headers, request id
and the parsed result — as openai-python's ``to_raw_response_wrapper`` does. The facade's
``client.with_raw_response.<resource>.<verb>`` are these wrappers, so no signature is written twice.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from ._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    import httpx

    from ._pagination import AsyncPager, SyncPager

__all__ = [
    "RawResponse",
    "async_to_raw_page_wrapper",
    "async_to_raw_response_wrapper",
    "decode_json",
    "json_list_parser",
    "json_parser",
    "parse_none",
    "parse_text",
    "to_raw_page_wrapper",
    "to_raw_response_wrapper",
]

T = TypeVar("T")
P = ParamSpec("P")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")


def _where(response: httpx.Response) -> str:
    """``200 response (request_id=abc) to GET https://...``: status, request id, method and URL."""
    head = f"{response.status_code} response"
    request_id = response.headers.get("x-request-id")
    if request_id:
        head += f" (request_id={request_id})"
    try:
        request = response.request
    except RuntimeError:
        return head
    return f"{head} to {request.method} {request.url.copy_with(query=None)}"


_JSON_KINDS: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _json_kind(response: httpx.Response) -> str | None:
    """What the body is when it is valid JSON but not an object (``"an array"``), else ``None``."""
    try:
        value = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return None if isinstance(value, dict) else _JSON_KINDS.get(type(value), type(value).__name__)


def decode_json(response: httpx.Response) -> Any:
    """Decode ``response``'s body as JSON or raise :class:`APIResponseValidationError` saying why."""
    content = response.content
    ctype = response.headers.get("content-type", "no content-type")
    if not content.strip():
        raise APIResponseValidationError(
            f"Expected a JSON body but the {_where(response)} has an empty body ({ctype})",
            response=response,
        )
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise APIResponseValidationError(
            f"Expected a JSON body but the {_where(response)} is not valid JSON ({ctype}): {exc}",
            response=response,
        ) from exc


def json_parser(build: Callable[[Any], T]) -> Callable[[httpx.Response], T]:
    """A parser that decodes the JSON body and passes it to ``build`` (typically ``Model.from_dict``).

    A ``from_dict`` builder only ever gets a JSON object: anything else (array, string, number, null)
    raises, so the client reports :class:`APIResponseValidationError`. (The generated ``from_dict``
    starts with ``dict(src_dict)``, which would turn ``[{"type": "contact", "id": "1"}]`` into
    ``{"type": "id"}`` without complaint.)
    """
    needs_object = getattr(build, "__name__", "") == "from_dict"

    def parse(response: httpx.Response) -> T:
        value = decode_json(response)
        if needs_object and not isinstance(value, Mapping):
            raise TypeError(f"{getattr(build, '__qualname__', 'from_dict')} needs a JSON object")
        return build(value)

    parse.__qualname__ = f"json_parser({getattr(build, '__qualname__', build)!s})"
    return parse


def json_parser_by_status(builders: Mapping[int, Callable[[Any], Any]]) -> Callable[[httpx.Response], Any]:
    """A parser for an operation whose 2xx responses have different JSON models (200 and 202, say):
    the builder of the status received decodes the body; a 2xx status the spec does not list uses
    the first one declared. Typed ``Any``: a type checker joins the builders' models to their common
    base (``ResponseModel``), not their union, so the facade method's own annotation
    (``-> Export | Job``) is what callers see (Preview ``POST /ecommerce/connectors/{id}/catalog``)."""
    parsers = {status: json_parser(build) for status, build in builders.items()}
    fallback = next(iter(parsers.values()))

    def parse(response: httpx.Response) -> Any:
        return parsers.get(response.status_code, fallback)(response)

    return parse


def json_list_parser(build: Callable[[Any], T]) -> Callable[[httpx.Response], list[T]]:
    """A parser for a JSON array body whose items ``build`` turns into models (``Model.from_dict``);
    a body that is not an array raises (so the client reports :class:`APIResponseValidationError`)."""

    def parse(response: httpx.Response) -> list[T]:
        value = decode_json(response)
        if not isinstance(value, list):
            raise TypeError(f"expected a JSON array, got {type(value).__name__}")
        needs_object = getattr(build, "__name__", "") == "from_dict"
        if needs_object and not all(isinstance(v, Mapping) for v in value):
            raise TypeError(f"{getattr(build, '__qualname__', 'from_dict')} needs JSON objects")
        return [build(v) for v in value]

    parse.__qualname__ = f"json_list_parser({getattr(build, '__qualname__', build)!s})"
    return parse


def parse_none(response: httpx.Response) -> None:
    """A parser that ignores the body."""
    return None


def parse_text(response: httpx.Response) -> str:
    """A parser that returns the body as text (decoded per its ``Content-Type`` charset)."""
    return response.text


def describe_parse_failure(response: httpx.Response, exc: BaseException) -> str:
    """Text for an :class:`APIResponseValidationError` raised because a parser failed with ``exc``."""
    if isinstance(exc, json.JSONDecodeError):
        ctype = response.headers.get("content-type", "no content-type")
        problem = f"the body is not valid JSON ({ctype}): {exc}"
    elif (kind := _json_kind(response)) is not None:
        problem = f"expected a JSON object, the body is {kind} ({type(exc).__name__}: {exc})"
    elif isinstance(exc, KeyError):
        problem = (
            f"a required field is missing: {exc.args[0]!r}" if exc.args else "a required field is missing"
        )
    else:
        problem = f"{type(exc).__name__}: {exc}"
    return f"Could not parse the {_where(response)}: {problem}"


class RawResponse(Generic[T]):
    """A parsed 2xx response together with its HTTP details (the raw wrappers return this)."""

    __slots__ = ("headers", "http_response", "parsed", "status_code")

    status_code: int
    headers: httpx.Headers
    parsed: T
    http_response: httpx.Response

    def __init__(
        self, *, status_code: int, headers: httpx.Headers, parsed: T, http_response: httpx.Response
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.parsed = parsed
        self.http_response = http_response

    @classmethod
    def of(cls, response: httpx.Response, parsed: T) -> RawResponse[T]:
        """``parsed`` with the status and headers of ``response``, the response it was parsed from."""
        return cls(
            status_code=response.status_code, headers=response.headers, parsed=parsed, http_response=response
        )

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"parsed={self.parsed!r})"
        )

    @property
    def request_id(self) -> str | None:
        """Intercom's ``X-Request-Id`` for this response (quote it to Intercom support)."""
        request_id: str | None = self.headers.get("x-request-id")
        return request_id


# The responses parsed in the current context, recorded by the clients (``record_response``) while a
# raw-response wrapper runs: a context variable, so threads and asyncio tasks never see each other's.
_recorded: ContextVar[list[httpx.Response] | None] = ContextVar("intercom_ext_recorded", default=None)


def record_response(response: httpx.Response) -> None:
    """Called by the clients on every 2xx they parse; a no-op unless a raw wrapper is running."""
    box = _recorded.get()
    if box is not None:
        box.append(response)


@contextlib.contextmanager
def _recording() -> Iterator[list[httpx.Response]]:
    """Record the responses parsed inside the block (in this thread or task only)."""
    box: list[httpx.Response] = []
    token = _recorded.set(box)
    try:
        yield box
    finally:
        _recorded.reset(token)


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """``func`` (a facade method) returning :class:`RawResponse` of its result: same parameters."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with _recording() as box:
            parsed = func(*args, **kwargs)
            return RawResponse.of(box[-1], parsed)

    return wrapped


def async_to_raw_response_wrapper(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """The async twin of :func:`to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with _recording() as box:
            parsed = await func(*args, **kwargs)
            return RawResponse.of(box[-1], parsed)

    return wrapped


def to_raw_page_wrapper(func: Callable[P, SyncPager[PageT, ItemT]]) -> Callable[P, RawResponse[PageT]]:
    """A list method (returning a pager) as one that fetches the first page now and returns it raw:
    the page model with the response's status and headers. Later pages: ``.parsed`` has the cursor,
    or iterate the method's pager."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[PageT]:
        pager = func(*args, **kwargs)
        with _recording() as box:
            page = pager.first_page()
            return RawResponse.of(box[-1], page)

    return wrapped


def async_to_raw_page_wrapper(
    func: Callable[P, AsyncPager[PageT, ItemT]],
) -> Callable[P, Awaitable[RawResponse[PageT]]]:
    """The async twin of :func:`to_raw_page_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[PageT]:
        pager = func(*args, **kwargs)
        with _recording() as box:
            page = await pager.first_page()
            return RawResponse.of(box[-1], page)

    return wrapped
