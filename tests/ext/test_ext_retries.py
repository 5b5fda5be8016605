"""Retry policy: what is retried for which method, delays (backoff, Retry-After, X-RateLimit-Reset)."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import formatdate

import httpx
import pytest
from ext_helpers import NOW, as_json, get_kwargs, json_response, make_async, make_sync

from intercom_ext import (
    APIConnectionError,
    APITimeoutError,
    Backoff,
    IntercomConfigError,
    InternalServerError,
    RateLimitError,
    SyncAPIClient,
)
from intercom_ext._retries import (
    backoff_delay,
    is_retryable_exception,
    is_retryable_status,
    retry_after_seconds,
)


def sequence(*steps: httpx.Response | type[httpx.TransportError]):  # type: ignore[no-untyped-def]
    """A handler that plays ``steps`` in order (an exception type is raised)."""
    it: Iterator[httpx.Response | type[httpx.TransportError]] = iter(steps)

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(it)
        if isinstance(step, httpx.Response):  # a fresh copy: a Response object can be sent only once
            return httpx.Response(step.status_code, headers=step.headers, content=step.content)
        raise step("simulated", request=request)

    return handler


OK = json_response(200, {"ok": True})


def err(status: int, **headers: str) -> httpx.Response:
    return json_response(status, {"type": "error.list", "errors": [{"code": "x", "message": "y"}]}, headers)


# -- pure policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "status", "expected"),
    [
        ("GET", 500, True),
        ("GET", 502, True),
        ("GET", 503, True),
        ("GET", 408, True),
        ("GET", 429, True),
        ("DELETE", 503, True),
        ("HEAD", 500, True),
        ("GET", 400, False),
        ("GET", 404, False),
        ("GET", 501, True),
        ("POST", 429, True),
        ("PUT", 429, True),
        ("PATCH", 429, True),
        ("POST", 500, False),
        ("POST", 503, False),
        ("PUT", 502, False),
        ("POST", 408, False),
        ("get", 500, True),
    ],
)
def test_is_retryable_status(method: str, status: int, expected: bool) -> None:
    assert is_retryable_status(method, status) is expected


def test_is_retryable_exception() -> None:
    req = httpx.Request("GET", "https://x")
    for exc in (httpx.ConnectError("x", request=req), httpx.ConnectTimeout("x"), httpx.PoolTimeout("x")):
        assert is_retryable_exception("POST", exc)
        assert is_retryable_exception("GET", exc)
    for exc in (
        httpx.ReadTimeout("x"),
        httpx.ReadError("x"),
        httpx.RemoteProtocolError("x"),
        httpx.WriteError("x"),
    ):
        assert is_retryable_exception("GET", exc)
        assert is_retryable_exception("DELETE", exc)
        assert not is_retryable_exception("POST", exc)
        assert not is_retryable_exception("PATCH", exc)
    assert not is_retryable_exception("GET", httpx.UnsupportedProtocol("x"))
    assert not is_retryable_exception("GET", ValueError("x"))


def test_retry_after_parsing() -> None:
    h = httpx.Headers
    assert retry_after_seconds(h({"retry-after": "3"}), now=NOW) == 3.0
    assert retry_after_seconds(h({"retry-after": " 1.5 "}), now=NOW) == 1.5
    assert retry_after_seconds(
        h({"retry-after": formatdate(NOW + 7, usegmt=True)}), now=NOW
    ) == pytest.approx(7.0)
    assert retry_after_seconds(h({"x-ratelimit-reset": str(int(NOW) + 4)}), now=NOW) == 4.0
    # Retry-After wins over X-RateLimit-Reset
    both = h({"retry-after": "2", "x-ratelimit-reset": str(int(NOW) + 9)})
    assert retry_after_seconds(both, now=NOW) == 2.0
    # garbage falls through to the other header, then to None
    assert (
        retry_after_seconds(h({"retry-after": "soon", "x-ratelimit-reset": str(int(NOW) + 5)}), now=NOW)
        == 5.0
    )
    assert retry_after_seconds(h({"retry-after": "soon"}), now=NOW) is None
    assert retry_after_seconds(h({"x-ratelimit-reset": "later"}), now=NOW) is None
    assert retry_after_seconds(h({}), now=NOW) is None
    assert retry_after_seconds(h({"x-ratelimit-reset": str(int(NOW) - 3)}), now=NOW) == -3.0


def test_backoff_delay_grows_capped_with_jitter() -> None:
    assert [backoff_delay(n, lambda: 0.0) for n in (1, 2, 3, 4, 5, 6, 10)] == [0.5, 1, 2, 4, 8, 8, 8]
    assert backoff_delay(1, lambda: 0.999) == pytest.approx(0.5 + 0.4995)
    for n in range(1, 8):
        assert 0.5 <= backoff_delay(n) <= 8.5


# -- client behaviour -----------------------------------------------------------------------------


def test_get_retries_5xx_then_succeeds() -> None:
    client, rec, sleep = make_sync(sequence(err(500), err(503), OK))
    assert client.request(get_kwargs(), as_json) == {"ok": True}
    assert len(rec.requests) == 3
    assert sleep.calls == [0.5, 1.0]  # exponential backoff, jitter pinned to 0 by the helper


def test_default_is_two_retries_then_typed_error() -> None:
    client, rec, sleep = make_sync(sequence(err(502), err(502), err(502, **{"x-request-id": "last"}), OK))
    with pytest.raises(InternalServerError) as info:
        client.request(get_kwargs(), as_json)
    assert client.max_retries == 2
    assert len(rec.requests) == 3
    assert len(sleep.calls) == 2
    assert info.value.request_id == "last"  # the error is built from the final response


def test_jitter_is_applied() -> None:
    client, _, sleep = make_sync(sequence(err(500), err(500), OK), backoff=Backoff(random=lambda: 0.5))
    client.request(get_kwargs(), as_json)
    assert sleep.calls == [0.75, 1.25]


def test_408_and_429_retried_for_get() -> None:
    client, rec, _ = make_sync(sequence(err(408), err(429), OK))
    client.request(get_kwargs(), as_json)
    assert len(rec.requests) == 3


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_non_idempotent_not_retried_on_5xx(method: str) -> None:
    client, rec, sleep = make_sync(sequence(err(500), OK))
    with pytest.raises(InternalServerError):
        client.request({"method": method, "url": "/contacts", "json": {}}, as_json)
    assert len(rec.requests) == 1
    assert sleep.calls == []


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_non_idempotent_retried_on_429_honoring_ratelimit_reset(method: str) -> None:
    reset = str(int(NOW) + 3)
    client, rec, sleep = make_sync(sequence(err(429, **{"x-ratelimit-reset": reset}), OK))
    assert client.request({"method": method, "url": "/contacts", "json": {"a": 1}}, as_json) == {"ok": True}
    assert len(rec.requests) == 2
    assert sleep.calls == [3.0]
    assert rec.requests[0].content == rec.requests[1].content == b'{"a":1}'


def test_retry_after_seconds_and_http_date_honored() -> None:
    client, _, sleep = make_sync(
        sequence(
            err(503, **{"retry-after": "2"}),
            err(429, **{"retry-after": formatdate(NOW + 5, usegmt=True)}),
            OK,
        )
    )
    client.request(get_kwargs(), as_json)
    assert sleep.calls == [2.0, pytest.approx(5.0)]


def test_past_reset_falls_back_to_backoff() -> None:
    client, _, sleep = make_sync(sequence(err(429, **{"x-ratelimit-reset": str(int(NOW) - 10)}), OK))
    client.request(get_kwargs(), as_json)
    assert sleep.calls == [0.5]


def test_hint_too_long_raises_immediately() -> None:
    client, rec, sleep = make_sync(sequence(err(429, **{"retry-after": "3600"}), OK))
    with pytest.raises(RateLimitError) as info:
        client.request(get_kwargs(), as_json)
    assert len(rec.requests) == 1
    assert sleep.calls == []
    assert info.value.response.headers["retry-after"] == "3600"


def test_connect_error_retried_for_post() -> None:
    client, rec, sleep = make_sync(sequence(httpx.ConnectError, httpx.ConnectTimeout, OK))
    assert client.request({"method": "post", "url": "/notes", "json": {}}, as_json) == {"ok": True}
    assert len(rec.requests) == 3
    assert len(sleep.calls) == 2


def test_read_timeout_not_retried_for_post_but_for_get() -> None:
    client, rec, _ = make_sync(sequence(httpx.ReadTimeout, OK))
    with pytest.raises(APITimeoutError):
        client.request({"method": "post", "url": "/notes", "json": {}}, as_json)
    assert len(rec.requests) == 1

    client, rec, _ = make_sync(sequence(httpx.ReadTimeout, httpx.ReadError, OK))
    assert client.request(get_kwargs(), as_json) == {"ok": True}
    assert len(rec.requests) == 3


def test_connection_errors_exhausted() -> None:
    client, rec, _ = make_sync(sequence(httpx.ConnectError, httpx.ConnectError, httpx.ConnectError, OK))
    with pytest.raises(APIConnectionError) as info:
        client.request(get_kwargs(), as_json)
    assert not isinstance(info.value, APITimeoutError)
    assert len(rec.requests) == 3


def test_max_retries_per_client_and_per_call() -> None:
    client, rec, _ = make_sync(sequence(err(500), OK), max_retries=0)
    with pytest.raises(InternalServerError):
        client.request(get_kwargs(), as_json)
    assert len(rec.requests) == 1

    client, rec, sleep = make_sync(sequence(*([err(500)] * 5), OK), max_retries=0)
    assert client.request(get_kwargs(), as_json, options={"max_retries": 5}) == {"ok": True}
    assert len(rec.requests) == 6
    assert sleep.calls == [0.5, 1, 2, 4, 8]

    client, rec, _ = make_sync(sequence(err(500), OK))
    with pytest.raises(InternalServerError):
        client.request(get_kwargs(), as_json, options={"max_retries": 0})
    assert len(rec.requests) == 1


def test_non_retryable_status_not_retried() -> None:
    client, rec, sleep = make_sync(sequence(err(404), OK))
    with pytest.raises(Exception, match="404"):
        client.request(get_kwargs(), as_json)
    assert len(rec.requests) == 1 and sleep.calls == []


def test_retries_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    client, _, _ = make_sync(sequence(err(503), OK))
    with caplog.at_level("INFO", logger="intercom_ext"):
        client.request(get_kwargs(), as_json)
    assert (
        "Retrying GET https://api.test.intercom.example/contacts in 0.50s (retry 1 of 2) after status 503"
        in (caplog.text)
    )


def test_default_sleep_is_real_but_short() -> None:
    """Without an injected sleep the real time.sleep is used (kept tiny via Retry-After: 0.01)."""
    calls = iter([err(503, **{"retry-after": "0.01"}), OK])
    http = httpx.Client(transport=httpx.MockTransport(lambda _: next(calls)))
    client = SyncAPIClient(version_header="2.11", token="t", base_url="https://x.example", http_client=http)
    assert client.request(get_kwargs(), as_json) == {"ok": True}


# -- async ----------------------------------------------------------------------------------------


async def test_async_retries_and_backoff() -> None:
    client, rec, sleep = make_async(sequence(err(500), httpx.ReadError, OK))
    assert await client.request(get_kwargs(), as_json) == {"ok": True}
    assert len(rec.requests) == 3
    assert sleep.calls == [0.5, 1.0]


async def test_async_post_rules() -> None:
    client, rec, sleep = make_async(
        sequence(err(429, **{"x-ratelimit-reset": str(int(NOW) + 2)}), err(500), OK)
    )
    with pytest.raises(InternalServerError):
        await client.request({"method": "post", "url": "/x", "json": {}}, as_json)
    assert len(rec.requests) == 2
    assert sleep.calls == [2.0]


async def test_async_exhausted_and_per_call_override() -> None:
    client, rec, _ = make_async(sequence(err(503), err(503), OK), max_retries=1)
    with pytest.raises(InternalServerError):
        await client.request(get_kwargs(), as_json)
    assert len(rec.requests) == 2
    client, rec, _ = make_async(sequence(httpx.ConnectError, httpx.ConnectError, OK), max_retries=0)
    assert await client.request(get_kwargs(), as_json, options={"max_retries": 2}) == {"ok": True}


async def test_async_default_sleep_works() -> None:
    from intercom_ext import AsyncAPIClient

    calls = iter([err(503, **{"retry-after": "0.01"}), json_response(200, {"ok": True})])
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: next(calls)))
    client = AsyncAPIClient(version_header="2.11", token="t", base_url="https://x.example", http_client=http)
    assert await client.request(get_kwargs(), as_json) == {"ok": True}


def test_backoff_shapes_the_waits() -> None:
    steps = [err(500)] * 4 + [OK]
    backoff = Backoff(initial=1.0, maximum=3.0, jitter=0.0)
    client, rec, sleep = make_sync(sequence(*steps), backoff=backoff, max_retries=4)
    assert client.backoff is backoff
    assert client.request(get_kwargs(), as_json) == {"ok": True}
    assert sleep.calls == [1.0, 2.0, 3.0, 3.0]
    assert len(rec.requests) == 5


def test_backoff_random_source_is_used_for_the_jitter() -> None:
    draws = iter([0.2, 0.8])
    client, _, sleep = make_sync(
        sequence(err(503), err(503), OK), backoff=Backoff(random=lambda: next(draws))
    )
    client.request(get_kwargs(), as_json)
    assert sleep.calls == [pytest.approx(0.6), pytest.approx(1.4)]


async def test_backoff_applies_to_the_async_client() -> None:
    client, _, sleep = make_async(sequence(err(502), OK), backoff=Backoff(initial=2.0, jitter=0.0))
    assert await client.request(get_kwargs(), as_json) == {"ok": True}
    assert sleep.calls == [2.0]


@pytest.mark.parametrize("field", ["initial", "maximum", "jitter"])
@pytest.mark.parametrize("bad", [-1.0, "1", True, float("nan")])
def test_backoff_rejects_bad_numbers(field: str, bad: object) -> None:
    with pytest.raises(IntercomConfigError, match=f"Backoff.{field} must be a non-negative number"):
        Backoff(**{field: bad})  # type: ignore[arg-type]


def test_client_rejects_a_backoff_that_is_not_one() -> None:
    with pytest.raises(IntercomConfigError, match="backoff must be a Backoff"):
        SyncAPIClient(version_header="2.11", token="t", backoff=0.5)  # type: ignore[arg-type]


def test_server_hint_wins_over_backoff() -> None:
    backoff = Backoff(initial=5.0, jitter=0.0)
    client, _, sleep = make_sync(sequence(err(429, **{"retry-after": "2"}), OK), backoff=backoff)
    client.request(get_kwargs(), as_json)
    assert sleep.calls == [2.0]
