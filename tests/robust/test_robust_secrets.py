"""The access token, under DEBUG logging and every fault, through the generated ``v2_11`` facade.

With every logger at DEBUG (ours, httpx, httpcore, tenacity, asyncio), the token must appear in no log
record, exception text (with its chained causes and traceback), repr of the client, a request, a
response, a raw response, a pager or a page. The loopback server must have received it (else the test
proves nothing). A redirect to another host is never followed, so ``Authorization`` never reaches it.

(The recorded cassettes are scanned by ``tests/test_cassettes_secrets.py``.)
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from robust_server import TOKEN, FaultServer, facade_client
from test_robust_faults import MATRIX

from intercom_ext import APIStatusError, IntercomError

LOGGERS = ("", "intercom_ext", "httpx", "httpcore", "tenacity", "asyncio", "hpack")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    yield caplog


def _texts_of_error(err: BaseException) -> list[str]:
    texts = [str(err), repr(err), "".join(traceback.format_exception(err)), repr(vars(err))]
    for attr in ("request", "response"):
        obj = getattr(err, attr, None)
        if obj is not None:
            texts += [repr(obj), repr(obj.headers), str(obj.headers)]
    return texts


def _texts_of_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = [caplog.text]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), str(record.exc_text), repr(record.__dict__)]
    return texts


def _client_texts(client: Any) -> list[str]:
    config = client.config
    return [repr(client), str(client), repr(vars(client)), repr(config), str(config), str(config.token)]


def test_token_in_no_log_error_or_repr_sync(debug_logs: pytest.LogCaptureFixture) -> None:
    texts: list[str] = []
    with FaultServer(items=45, fault_rate=0.3, kinds=("429", "500", "reset")) as server:
        with facade_client(server, timeout=httpx.Timeout(5.0, read=0.15)) as client:
            texts += _client_texts(client)
            for row in MATRIX:
                for call in (
                    lambda: client.contacts.get("c-1"),
                    lambda: client.contacts.create(email="a@b.c"),
                ):
                    server.script(*[row.kind] * 3)
                    with pytest.raises(IntercomError) as info:
                        call()
                    texts += _texts_of_error(info.value)
            server.script()
            raw = client.with_raw_response.contacts.get("c-1")
            texts += [repr(raw), repr(raw.parsed), repr(raw.http_response), repr(raw.http_response.request)]
            texts += [repr(raw.headers), repr(raw.http_response.request.headers)]
            pager = client.contacts.list(per_page=10)
            texts.append(repr(pager))
            texts += [repr(page) for page in pager.pages()]  # faults at 30 %: retries get logged
            texts += _client_texts(client)
        seen = server.seen
    texts += _texts_of_logs(debug_logs)

    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in seen)  # it was sent
    names = {r.name for r in debug_logs.records}
    assert {"httpx", "intercom_ext"} <= names and any(n.startswith("httpcore") for n in names)
    assert any("Retrying GET" in r.getMessage() for r in debug_logs.records)
    assert [t for t in texts if TOKEN in t] == []


async def test_token_in_no_log_error_or_repr_async(debug_logs: pytest.LogCaptureFixture) -> None:
    texts: list[str] = []
    with FaultServer(items=45, fault_rate=0.3, kinds=("429", "503", "reset")) as server:
        async with facade_client(server, asynchronous=True) as client:
            texts += _client_texts(client)
            for kind in ("429", "502", "reset", "bad_json", "json_array", "bad_gzip", "redirect"):
                server.script(kind, kind, kind)
                with pytest.raises(IntercomError) as info:
                    await client.contacts.get("c-1")
                texts += _texts_of_error(info.value)
            server.script()
            pager = client.contacts.list(per_page=10)
            texts += [repr(pager)] + [repr(page) async for page in pager.pages()]
        seen = server.seen
    texts += _texts_of_logs(debug_logs)
    assert seen and all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in seen)
    assert any(r.name.startswith("httpcore") for r in debug_logs.records)
    assert [t for t in texts if TOKEN in t] == []


# -- redirects --------------------------------------------------------------------------------------


@pytest.mark.parametrize("follow", [False, True], ids=["own-http-client", "user-client-follows-redirects"])
def test_redirect_to_another_host_is_not_followed(follow: bool) -> None:
    """A 307 to another host (``localhost``, a second loopback server) raises ``APIStatusError``;
    the other host never sees a request, even when the user's httpx client follows redirects."""
    with FaultServer() as other, FaultServer() as server:
        server.redirect_to = f"http://localhost:{other.port}/steal"
        kwargs: dict[str, Any] = {"http_client": httpx.Client(follow_redirects=True)} if follow else {}
        with facade_client(server, **kwargs) as client:
            for call in (lambda: client.contacts.get("c-1"), lambda: client.contacts.create(email="a@b.c")):
                server.script("redirect")
                with pytest.raises(APIStatusError) as info:
                    call()
                assert info.value.status_code == 307
                assert TOKEN not in str(info.value)
        assert len(server.seen) == 2
        assert other.seen == []


async def test_redirect_not_followed_async() -> None:
    with FaultServer() as other, FaultServer() as server:
        server.redirect_to = f"http://localhost:{other.port}/steal"
        server.script("redirect")
        http = httpx.AsyncClient(follow_redirects=True)
        async with facade_client(server, asynchronous=True, http_client=http) as client:
            with pytest.raises(APIStatusError):
                await client.contacts.get("c-1")
        assert other.seen == []


def test_next_page_url_on_another_host_is_not_called() -> None:
    """``pages.next`` is a URL on ``articles.list``; only its query is used, on our own host."""
    with FaultServer() as other, FaultServer(items=25) as server:
        server.next_base = f"http://localhost:{other.port}"  # next URLs name the other host
        with facade_client(server) as client:
            ids = [a.id for a in client.articles.list(per_page=10)]
        assert len(ids) == 25
        assert len(server.seen) == 3
        assert other.seen == []


# -- $INTERCOM_LOG ----------------------------------------------------------------------------------

_LOGGED_CHILD = """
import sys
from intercom_ext import IntercomError, v2_11

client = v2_11.Intercom(token=sys.argv[1], base_url=sys.argv[2], rate_limiter=None, sleep=lambda s: None)
for _ in range(int(sys.argv[3])):
    try:
        client.contacts.get("c-1")
    except IntercomError as err:
        print(type(err).__name__)
print(len(list(client.contacts.list(per_page=10))))
"""


def test_token_not_in_intercom_log_debug_output() -> None:
    """``INTERCOM_LOG=debug`` prints the SDK's log to stderr: through retries, errors and pages, the
    token is in none of it (and the server did receive it)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    kinds = {"429": 3, "500": 3, "reset": 3, "bad_json": 1, "redirect": 1, "bad_gzip": 3}  # attempts each
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCOM_")}
    env.update(INTERCOM_LOG="debug", PYTHONPATH=os.pathsep.join([str(root), str(root / "generated")]))
    with FaultServer(items=25) as server:
        server.script(*[kind for kind, attempts in kinds.items() for _ in range(attempts)])
        result = subprocess.run(
            [sys.executable, "-c", _LOGGED_CHILD, TOKEN, server.url, str(len(kinds))],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen = server.seen
    assert result.stdout.split() == [
        "RateLimitError",
        "InternalServerError",
        "APIConnectionError",
        "APIResponseValidationError",
        "APIStatusError",
        "APIConnectionError",
        "25",
    ]
    log = result.stderr
    assert "Retrying GET" in log and "-> 307" in log and "-> 200" in log and "failed: " in log
    assert seen and all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in seen)
    assert TOKEN not in log and "Bearer" not in log
