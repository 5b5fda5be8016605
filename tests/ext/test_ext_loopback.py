"""Real sockets on 127.0.0.1 (connection refused, timeouts, a small HTTP server) and token secrecy."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ext_helpers import TOKEN, VERSION, SleepRecorder, as_json, get_kwargs, json_response, make_sync

import intercom_ext
from intercom_ext import (
    APIConnectionError,
    APITimeoutError,
    AsyncAPIClient,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    PaginationStyle,
    SyncAPIClient,
    json_parser,
    to_raw_response_wrapper,
)
from intercom_ext.testing import FakeIntercom, free_port


@pytest.fixture
def fake() -> Iterator[FakeIntercom]:
    """FakeIntercom (intercom_ext.testing) with three contacts; it accepts only ``TOKEN``, so a 200 shows
    the token was sent (it never records it). ``/slow`` answers 0.3 s late, ``/boom`` with a 500."""
    with FakeIntercom(version=VERSION, token=TOKEN) as fake:
        fake.seed(contacts=[{"id": str(i), "email": f"user{i}@example.com"} for i in (1, 2, 3)])
        fake.delay(0.3, path="/slow")
        fake.fail(500, times=None, path="/boom")
        yield fake


PAGE_OF_TWO = get_kwargs("/contacts", params={"per_page": 2})


def test_real_server_roundtrip_headers_and_pagination(fake: FakeIntercom) -> None:
    sleep = SleepRecorder()
    with SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=fake.url, sleep=sleep) as client:
        raw = to_raw_response_wrapper(client.request)(PAGE_OF_TWO, as_json)
        pager = client.paginate(PAGE_OF_TWO, dict, style=PaginationStyle.CURSOR, items=lambda p: p["data"])
        ids = [item["id"] for item in pager]
    assert raw.request_id and raw.request_id == raw.http_response.headers["x-request-id"]
    assert ids == ["1", "2", "3"]
    seen = fake.requests
    assert all(r.status == 200 for r in seen)  # the fake takes only TOKEN: it was sent
    headers = {k.lower(): v for k, v in seen[0].headers.items()}
    assert headers["intercom-version"] == VERSION
    assert headers["accept"] == "application/json"
    assert headers["user-agent"] == f"intercom-sdk-python/{intercom_ext.__version__}"
    assert seen[-1].query["starting_after"] == raw.parsed["pages"]["next"]["starting_after"]


def test_connection_refused_post_is_retried_then_typed() -> None:
    sleep = SleepRecorder()
    client = SyncAPIClient(
        version_header=VERSION, token=TOKEN, base_url=f"http://127.0.0.1:{free_port()}", sleep=sleep
    )
    with pytest.raises(APIConnectionError) as info:
        client.request({"method": "post", "url": "/notes", "json": {"body": "hi"}}, as_json)
    assert not isinstance(info.value, APITimeoutError)
    assert len(sleep.calls) == 2  # refused = the server never saw it, so even POST is retried
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    client.close()


def test_read_timeout_on_real_socket(fake: FakeIntercom) -> None:
    sleep = SleepRecorder()
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=fake.url, timeout=0.05, sleep=sleep)
    with pytest.raises(APITimeoutError):
        client.request({"method": "post", "url": "/slow", "json": {}}, as_json)
    assert sleep.calls == []  # POST + read timeout: the server may have acted, no retry
    assert len(fake.requests) == 1
    with pytest.raises(APITimeoutError):
        client.request(get_kwargs("/slow"), as_json, options={"max_retries": 1})
    assert len(sleep.calls) == 1  # GET is retried
    client.close()


async def test_async_real_server(fake: FakeIntercom) -> None:
    async with AsyncAPIClient(version_header=VERSION, token=TOKEN, base_url=fake.url) as client:
        got = await client.request(PAGE_OF_TWO, json_parser(lambda d: [x["id"] for x in d["data"]]))
        with pytest.raises(NotFoundError):
            await client.request(get_kwargs("/nope"), as_json)
        ids = [
            i["id"]
            async for i in client.paginate(
                PAGE_OF_TWO, dict, style=PaginationStyle.CURSOR, items=lambda p: p["data"]
            )
        ]
    assert got == ["1", "2"]
    assert ids == ["1", "2", "3"]


# -- lazy httpx -------------------------------------------------------------------------------------

# Run in a fresh interpreter: construct the facade clients, then make real requests.
_FRESH_FACADE = """
import json, sys
from intercom_ext import v2_11

url, token = sys.argv[1:]
client = v2_11.Intercom(token=token, base_url=url)
client.contacts
async_client = v2_11.AsyncIntercom(token=token, base_url=url)
async_client.contacts
heavy = [m for m in ("httpx", "httpcore", "tenacity") if m in sys.modules]
ids = [contact.id for contact in client.contacts.list(per_page=2)]
client.close()
print(json.dumps({"heavy": heavy, "ids": ids, "httpx_after": "httpx" in sys.modules}))
"""


def test_facade_construction_leaves_httpx_unimported_until_first_request(fake: FakeIntercom) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _FRESH_FACADE, fake.url, TOKEN],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["heavy"] == []
    assert result["ids"] == ["1", "2", "3"]
    assert result["httpx_after"]
    assert [(r.operation, r.status) for r in fake.requests] == [("contacts.list", 200)] * 2


# -- token secrecy --------------------------------------------------------------------------------


def test_token_never_in_logs_reprs_or_messages(fake: FakeIntercom, caplog: pytest.LogCaptureFixture) -> None:
    url = fake.url
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "intercom_ext", "tenacity", "hpack"):
        caplog.set_level(logging.DEBUG, logger=name)

    texts: list[str] = []
    errors: list[BaseException] = []
    sleep = SleepRecorder()
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=url, sleep=sleep)
    texts += [repr(client), str(client), repr(vars(client)), repr(client.config), str(client.config.token)]

    raw = to_raw_response_wrapper(client.request)(get_kwargs(), as_json)
    texts += [
        repr(raw),
        repr(raw.http_response),
        repr(raw.http_response.request),
        repr(raw.http_response.request.headers),
    ]
    texts += [
        repr(client.paginate(get_kwargs(), dict, style=PaginationStyle.CURSOR, items=lambda p: p["data"]))
    ]

    fake.fail(401, path="/unauthorized")
    for kwargs, exc_type in (
        (get_kwargs("/unauthorized"), AuthenticationError),
        (get_kwargs("/boom"), InternalServerError),  # retried: exercises the retry log lines
        (get_kwargs("/missing"), NotFoundError),
    ):
        with pytest.raises(exc_type) as info:
            client.request(kwargs, as_json)
        errors.append(info.value)
    client.close()

    refused = SyncAPIClient(
        version_header=VERSION, token=TOKEN, base_url=f"http://127.0.0.1:{free_port()}", sleep=sleep
    )
    with pytest.raises(APIConnectionError) as conn_info:
        refused.request({"method": "post", "url": "/x", "json": {}}, as_json)
    errors.append(conn_info.value)

    slow = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=url, timeout=0.05, max_retries=0)
    with pytest.raises(APITimeoutError) as timeout_info:
        slow.request(get_kwargs("/slow"), as_json)
    errors.append(timeout_info.value)

    # the MockTransport path and a validation error too
    mock_client, _, _ = make_sync(lambda _: httpx.Response(200, text="<html>"))
    with pytest.raises(intercom_ext.APIResponseValidationError) as val_info:
        mock_client.request(get_kwargs(), as_json)
    errors.append(val_info.value)

    for err in errors:
        texts += [str(err), repr(err), "".join(traceback.format_exception(err)), repr(vars(err))]
        request = getattr(err, "request", None)
        if request is not None:
            texts += [repr(request), repr(request.headers)]
        response = getattr(err, "response", None)
        if response is not None:
            texts += [repr(response), repr(response.headers)]

    texts.append(caplog.text)
    texts += [r.getMessage() for r in caplog.records]

    # sanity: the logs did capture the traffic, and the server really got the token
    assert any(r.name.startswith("httpx") for r in caplog.records)
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert any("Retrying GET" in r.getMessage() for r in caplog.records)
    assert fake.requests[0].status == 200  # the fake takes only TOKEN: it was sent

    leaks = [t for t in texts if TOKEN in t]
    assert leaks == []


def test_token_not_in_async_client_repr() -> None:
    client = AsyncAPIClient(version_header=VERSION, token=TOKEN)
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(vars(client))


def test_mock_error_reprs_do_not_leak() -> None:
    client, _, _ = make_sync(lambda _: json_response(403, {"type": "error.list", "errors": []}))
    with pytest.raises(intercom_ext.PermissionDeniedError) as info:
        client.request(get_kwargs(), as_json)
    assert TOKEN not in repr(info.value) + str(info.value) + repr(info.value.request.headers)
