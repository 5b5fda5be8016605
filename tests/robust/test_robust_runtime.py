"""Unit tests of the runtime fixes the fault tests led to (httpx.MockTransport, no sockets).

- a page is a read: ``paginate`` retries it like a GET whatever its method, except a scroll page;
- ``json_parser(Model.from_dict)`` only hands a JSON object to ``from_dict``;
- a page that is not a JSON object, or whose items are not a list, is ``APIResponseValidationError``;
- a body whose content encoding is corrupt (``httpx.DecodingError``) is ``APIConnectionError``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from robust_server import TOKEN, FakeClock

from intercom_ext import (
    APIConnectionError,
    APIResponseValidationError,
    Backoff,
    InternalServerError,
    PaginationStyle,
    SyncAPIClient,
    json_parser,
)
from intercom_ext._retries import RetryPolicy, is_retryable_exception, is_retryable_status


def _client(
    responses: Iterator[httpx.Response], seen: list[httpx.Request]
) -> tuple[SyncAPIClient, FakeClock]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return next(responses)

    clock = FakeClock()
    client = SyncAPIClient(
        version_header="2.11",
        token=TOKEN,
        base_url="https://api.test.example",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=clock.sleep,
        clock=clock.time,
        backoff=Backoff(random=lambda: 0.0),
    )
    return client, clock


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


def _page(ids: list[str], cursor: str | None) -> httpx.Response:
    pages = {"next": {"starting_after": cursor}} if cursor else {}
    return _json(200, {"type": "list", "data": [{"id": i} for i in ids], "pages": pages})


def test_idempotent_override() -> None:
    assert not is_retryable_status("POST", 503)
    assert is_retryable_status("POST", 503, idempotent=True)
    assert not is_retryable_status("GET", 503, idempotent=False)
    assert is_retryable_status("GET", 429, idempotent=False)  # a 429 was never acted on
    reset = httpx.ReadError("reset")
    assert is_retryable_exception("POST", reset, idempotent=True)
    assert not is_retryable_exception("GET", reset, idempotent=False)
    assert is_retryable_exception("GET", httpx.ConnectError("refused"), idempotent=False)
    assert is_retryable_exception("GET", httpx.DecodingError("bad gzip"))
    assert not is_retryable_exception("POST", httpx.DecodingError("bad gzip"))
    assert RetryPolicy(method="post", max_retries=2, clock=lambda: 0.0).idempotent is False
    assert RetryPolicy(method="post", max_retries=2, clock=lambda: 0.0, idempotent=True).idempotent


def test_search_page_post_is_retried_like_a_get() -> None:
    seen: list[httpx.Request] = []
    client, clock = _client(
        iter([_page(["a"], "c1"), _json(503, {}), _page(["b"], None)]),
        seen,
    )
    pager = client.paginate(
        {"method": "post", "url": "/contacts/search", "json": {"query": {}}},
        dict,
        style=PaginationStyle.SEARCH,
        items=lambda p: p["data"],
    )
    assert [i["id"] for i in pager] == ["a", "b"]
    assert [r.method for r in seen] == ["POST"] * 3
    assert clock.sleeps == [0.5]
    # a plain POST request is still not retried on a 5xx
    client, _ = _client(iter([_json(503, {}), _json(200, {})]), [])
    with pytest.raises(InternalServerError):
        client.request({"method": "post", "url": "/contacts", "json": {}}, json_parser(dict))


def test_scroll_page_is_not_retried_on_5xx_but_on_429() -> None:
    scroll = {"method": "get", "url": "/companies/scroll"}
    first = _json(200, {"data": [{"id": "a"}], "scroll_param": "s"})
    seen: list[httpx.Request] = []
    client, clock = _client(iter([first, _json(500, {})]), seen)
    pager = client.paginate(scroll, dict, style=PaginationStyle.SCROLL, items=lambda p: p["data"])
    got: list[str] = []
    with pytest.raises(InternalServerError):
        got.extend(i["id"] for i in pager)
    assert got == ["a"] and len(seen) == 2 and clock.sleeps == []

    limited = httpx.Response(429, headers={"x-ratelimit-reset": str(int(FakeClock().now) + 4)})
    last = _json(200, {"data": [], "scroll_param": "s"})
    client, clock = _client(
        iter([_json(200, {"data": [{"id": "a"}], "scroll_param": "s"}), limited, last]), []
    )
    pager = client.paginate(scroll, dict, style=PaginationStyle.SCROLL, items=lambda p: p["data"])
    assert [i["id"] for i in pager] == ["a"]
    assert clock.sleeps == [4.0]


class Model:
    def __init__(self, d: dict[str, Any]) -> None:
        self.d = d

    @classmethod
    def from_dict(cls, src: Any) -> Model:
        return cls(dict(src))  # what the generated from_dict does first


@pytest.mark.parametrize(
    ("body", "kind"),
    [([{"type": "contact", "id": "1"}], "an array"), ("ok", "a string"), (None, "null"), (3, "a number")],
)
def test_from_dict_only_gets_an_object(body: Any, kind: str) -> None:
    client, _ = _client(iter([_json(200, body)]), [])
    with pytest.raises(APIResponseValidationError, match=f"expected a JSON object, the body is {kind}"):
        client.request({"method": "get", "url": "/contacts/1"}, json_parser(Model.from_dict))


def test_other_builders_still_get_any_json() -> None:
    client, _ = _client(iter([_json(200, [1, 2])]), [])
    assert client.request({"method": "get", "url": "/x"}, json_parser(lambda v: v)) == [1, 2]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ([{"id": "1"}], "a page must be a JSON object"),
        ({"data": "abc", "pages": {}}, "the page's items are not a list but str"),
        ({"data": {"id": "1"}, "pages": {}}, "the page's items are not a list but dict"),
    ],
)
def test_malformed_page(body: Any, needle: str) -> None:
    client, _ = _client(iter([_json(200, body)]), [])
    pager = client.paginate(
        {"method": "get", "url": "/contacts"},
        lambda raw: raw,
        style=PaginationStyle.CURSOR,
        items=lambda p: p["data"],
    )
    with pytest.raises(APIResponseValidationError, match=needle):
        list(pager)


class _Stream(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body


def _gzip_response(body: bytes) -> httpx.Response:
    # a lazy stream: with content=... httpx would decode (and fail) right here, not in the client
    return httpx.Response(200, stream=_Stream(body), headers={"content-encoding": "gzip"})


def test_corrupt_content_encoding_is_typed() -> None:
    bad = _gzip_response(b"not gzip" + gzip.compress(b"{}")[:3])
    seen: list[httpx.Request] = []
    client, clock = _client(iter([bad, _json(200, {"ok": True})]), seen)
    assert client.request({"method": "get", "url": "/x"}, json_parser(dict)) == {"ok": True}  # GET: retried
    assert clock.sleeps == [0.5]

    bad = _gzip_response(b"not gzip")
    client, _ = _client(iter([bad]), [])
    with pytest.raises(APIConnectionError, match="Could not decode the response body: POST") as info:
        client.request({"method": "post", "url": "/x", "json": {}}, json_parser(dict))
    assert isinstance(info.value.__cause__, httpx.DecodingError)
