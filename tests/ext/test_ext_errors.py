"""Status -> exception mapping, error envelope parsing, transport errors, 2xx validation errors."""

from __future__ import annotations

import httpx
import pytest
from ext_helpers import as_json, get_kwargs, json_response, make_async, make_sync

from intercom_ext import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    IntercomError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    json_parser,
)
from intercom_ext._exceptions import make_status_error


def envelope(*errors: dict[str, str], request_id: str | None = "body-rid") -> dict[str, object]:
    return {"type": "error.list", "request_id": request_id, "errors": list(errors)}


STATUS_CASES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
    (405, APIStatusError),
    (410, APIStatusError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CASES)
def test_status_maps_to_typed_error(status: int, cls: type[APIStatusError]) -> None:
    body = envelope({"code": "some_code", "message": "Something failed", "field": "email"})
    client, rec, _ = make_sync(
        lambda _: json_response(status, body, {"x-request-id": "hdr-rid"}), max_retries=0
    )
    with pytest.raises(cls) as info:
        client.request(get_kwargs("/contacts/1"), as_json)
    err = info.value
    assert type(err) is cls
    assert isinstance(err, APIStatusError) and isinstance(err, APIError) and isinstance(err, IntercomError)
    assert err.status_code == status
    assert err.request_id == "hdr-rid"  # header wins over body
    assert err.errors == [ErrorDetail(code="some_code", message="Something failed", field="email")]
    assert err.error_codes == ["some_code"]
    assert err.body == body
    assert err.response.status_code == status
    assert err.request is rec.requests[0]
    msg = str(err)
    assert str(status) in msg
    assert "hdr-rid" in msg
    assert "some_code: Something failed" in msg
    assert "GET https://api.test.intercom.example/contacts/1" in msg


@pytest.mark.parametrize(("status", "cls"), STATUS_CASES)
async def test_async_status_maps_to_typed_error(status: int, cls: type[APIStatusError]) -> None:
    client, _, _ = make_async(
        lambda _: json_response(status, envelope({"code": "c", "message": "m"})), max_retries=0
    )
    with pytest.raises(cls) as info:
        await client.request(get_kwargs(), as_json)
    assert type(info.value) is cls
    assert info.value.request_id == "body-rid"


def test_request_id_falls_back_to_body_and_message_lists_first_errors() -> None:
    errors = [{"code": f"code_{i}", "message": f"message {i}"} for i in range(5)]
    client, _, _ = make_sync(lambda _: json_response(422, envelope(*errors, request_id="rid-from-body")))
    with pytest.raises(UnprocessableEntityError) as info:
        client.request({"method": "post", "url": "/contacts", "json": {}}, as_json)
    err = info.value
    assert err.request_id == "rid-from-body"
    assert len(err.errors) == 5
    assert err.errors[0].field is None
    msg = str(err)
    assert "rid-from-body" in msg
    assert "code_0: message 0; code_1: message 1; code_2: message 2; and 2 more" in msg
    assert "code_3" not in msg


def test_html_error_body_still_typed() -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    client, _, _ = make_sync(
        lambda _: httpx.Response(502, text=html, headers={"content-type": "text/html"}), max_retries=0
    )
    with pytest.raises(InternalServerError) as info:
        client.request(get_kwargs(), as_json)
    err = info.value
    assert err.errors == []
    assert err.body == html
    assert err.request_id is None
    assert "502 Bad Gateway" in str(err)
    assert "non-JSON error body (text/html" in str(err)


def test_empty_and_odd_error_bodies() -> None:
    for response in (
        httpx.Response(404),
        json_response(404, ["not", "an", "object"]),
        json_response(404, {"type": "error.list", "errors": "oops"}),
        json_response(404, {"type": "error.list", "errors": [None, "plain string", 3]}),
    ):
        client, _, _ = make_sync(lambda _, r=response: r)
        with pytest.raises(NotFoundError) as info:
            client.request(get_kwargs(), as_json)
        assert info.value.status_code == 404
    assert [e.message for e in info.value.errors] == ["plain string", "3"]


def test_flat_oauth_style_error_body() -> None:
    client, _, _ = make_sync(
        lambda _: json_response(401, {"error": "invalid_token", "error_description": "bad"})
    )
    with pytest.raises(AuthenticationError) as info:
        client.request(get_kwargs(), as_json)
    assert info.value.errors == [ErrorDetail(code="invalid_token", message="bad")]


def test_make_status_error_without_request() -> None:
    err = make_status_error(httpx.Response(409, json=envelope({"code": "conflict", "message": "dup"})))
    assert isinstance(err, ConflictError)
    assert err.request is None
    assert "conflict: dup" in str(err)


def test_error_detail_value_semantics() -> None:
    a = ErrorDetail("c", "m", "f")
    assert a == ErrorDetail("c", "m", "f") and hash(a) == hash(ErrorDetail("c", "m", "f"))
    assert a != ErrorDetail("c", "m")
    assert str(a) == "c: m (field 'f')"
    assert "code='c'" in repr(a)
    with pytest.raises(AttributeError):
        a.code = "x"  # type: ignore[misc]


# -- 2xx that is not what was expected -------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "needle"),
    [
        (
            httpx.Response(200, text="<html>maintenance</html>", headers={"content-type": "text/html"}),
            "not valid JSON",
        ),
        (httpx.Response(200), "empty body"),
        (httpx.Response(200, content=b"\xff\xfe\x00garbage"), "not valid JSON"),
    ],
)
def test_invalid_json_2xx_is_validation_error(response: httpx.Response, needle: str) -> None:
    client, _, _ = make_sync(lambda _: response)
    with pytest.raises(APIResponseValidationError, match=needle) as info:
        client.request(get_kwargs(), json_parser(dict))
    assert info.value.status_code == 200
    assert info.value.response is not None
    # with a parser that calls response.json() itself (like generated _parse_response)
    with pytest.raises(APIResponseValidationError):
        client.request(get_kwargs(), as_json)


def test_parser_key_error_is_validation_error() -> None:
    def from_dict(d: dict[str, object]) -> object:
        return d["type"]

    client, _, _ = make_sync(lambda _: json_response(200, {"id": "1"}, {"x-request-id": "r"}))
    with pytest.raises(APIResponseValidationError, match="required field is missing: 'type'") as info:
        client.request(get_kwargs(), json_parser(from_dict))
    assert info.value.request_id == "r"
    assert isinstance(info.value.__cause__, KeyError)


def test_parser_value_error_is_validation_error() -> None:
    def from_dict(d: object) -> object:
        raise ValueError("'weird' is not a valid ContactType")

    client, _, _ = make_sync(lambda _: json_response(200, {"type": "weird"}))
    with pytest.raises(APIResponseValidationError, match="ValueError: 'weird' is not a valid ContactType"):
        client.request(get_kwargs(), json_parser(from_dict))


async def test_async_invalid_json_is_validation_error() -> None:
    client, _, _ = make_async(lambda _: httpx.Response(200, text="nope"))
    with pytest.raises(APIResponseValidationError):
        await client.request(get_kwargs(), as_json)


# -- transport failures ---------------------------------------------------------------------------


def raiser(exc_type: type[httpx.TransportError]):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("boom", request=request)

    return handler


@pytest.mark.parametrize(
    ("exc_type", "expected"),
    [
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
        (httpx.RemoteProtocolError, APIConnectionError),
        (httpx.ConnectTimeout, APITimeoutError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.PoolTimeout, APITimeoutError),
    ],
)
def test_transport_errors_are_typed(exc_type: type[httpx.TransportError], expected: type[APIError]) -> None:
    client, _, _ = make_sync(raiser(exc_type), max_retries=0)
    with pytest.raises(expected) as info:
        client.request(get_kwargs(), as_json)
    assert type(info.value) is expected
    assert isinstance(info.value, IntercomError)
    assert isinstance(info.value.__cause__, exc_type)
    assert info.value.request is not None
    assert "GET https://api.test.intercom.example/contacts" in str(info.value)


async def test_async_transport_errors_are_typed() -> None:
    client, _, _ = make_async(raiser(httpx.ReadTimeout), max_retries=0)
    with pytest.raises(APITimeoutError):
        await client.request(get_kwargs(), as_json)
    client, _, _ = make_async(raiser(httpx.ConnectError), max_retries=0)
    with pytest.raises(APIConnectionError):
        await client.request(get_kwargs(), as_json)
