"""Fault -> behaviour matrix, end to end: the generated ``v2_11`` facade against a loopback server.

Every row of ``MATRIX`` is one fault the server injects into ``contacts.get`` (GET) and
``contacts.create`` (POST). For each row, sync and async:

- the fault on every attempt: the exact error type, how many attempts the server saw, how long the
  client waited before each retry (the fake clock: exactly until ``X-RateLimit-Reset``, or the
  exponential backoff), and that the message names the status and the server's request id;
- the fault once: a retried row then returns the contact.

``PAGE_MATRIX`` does the same for faults only a page can have. ``docs/maintainers/reliability.md`` shows both
tables; ``test_readme_section_shows_this_matrix`` fails when they drift apart.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from robust_server import START, TOKEN, FakeClock, FaultServer, facade_client

from intercom_ext import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    Backoff,
    IntercomError,
    InternalServerError,
    RateLimitError,
    v2_11,
)
from intercom_ext.testing import free_port

SECTION = Path(__file__).resolve().parents[2] / "docs" / "maintainers" / "reliability.md"
READ_TIMEOUT = 0.15  # real seconds, only for the "stall" row

# -- the matrix -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    kind: str  # the server's fault name (robust_server.ALL_FAULTS)
    fault: str  # wording of docs/maintainers/reliability.md
    error: type[APIError]  # raised when every attempt hits the fault
    get_attempts: int  # attempts a GET makes (3 = the default 2 retries)
    post_attempts: int
    wait: str | None  # "reset": exactly until X-RateLimit-Reset; "backoff": 0.5 s, 1 s (+ jitter)
    needles: tuple[str, ...]  # the error message contains these ({rid} = the last X-Request-Id)
    has_request_id: bool  # err.request_id is the server's id

    def behaviour(self, attempts: int) -> str:
        name = f"`{self.error.__name__}`"
        if attempts == 1:
            return f"not retried: {name}"
        waits = {"reset": "waits until `X-RateLimit-Reset`", "backoff": "backoff 0.5 s, 1 s + jitter"}
        assert self.wait is not None
        return f"retried x{attempts - 1} ({waits[self.wait]}), then {name}"


MATRIX: tuple[Row, ...] = (
    Row(
        "429",
        "429 with `X-RateLimit-Reset` (1-10 s ahead)",
        RateLimitError,
        3,
        3,
        "reset",
        ("429 Too Many Requests", "(request_id={rid})", "rate_limit_exceeded"),
        True,
    ),
    Row(
        "429_long",
        "429 with `X-RateLimit-Reset` 1 h ahead (> 60 s)",
        RateLimitError,
        1,
        1,
        None,
        ("429 Too Many Requests", "(request_id={rid})"),
        True,
    ),
    Row(
        "500",
        "500 (JSON `error.list`)",
        InternalServerError,
        3,
        1,
        "backoff",
        ("500 Internal Server Error", "(request_id={rid})", "server_error"),
        True,
    ),
    Row(
        "502",
        "502 HTML page from a proxy, no request id",
        InternalServerError,
        3,
        1,
        "backoff",
        ("502 Bad Gateway", "(request_id=None)", "non-JSON error body (text/html"),
        False,
    ),
    Row(
        "503",
        "503 (JSON `error.list`)",
        InternalServerError,
        3,
        1,
        "backoff",
        ("503 Service Unavailable", "(request_id={rid})"),
        True,
    ),
    Row(
        "504",
        "504 (JSON `error.list`)",
        InternalServerError,
        3,
        1,
        "backoff",
        ("504 Gateway Timeout", "(request_id={rid})"),
        True,
    ),
    Row(
        "reset",
        "connection reset mid-body (half the body, then RST)",
        APIConnectionError,
        3,
        1,
        "backoff",
        ("Connection error: {method} http://127.0.0.1:",),
        False,
    ),
    Row(
        "stall",
        f"read timeout (server stalls; `timeout` read {READ_TIMEOUT} s)",
        APITimeoutError,
        3,
        1,
        "backoff",
        ("Request timed out: {method} http://127.0.0.1:", "ReadTimeout"),
        False,
    ),
    Row(
        "bad_gzip",
        "200 with `Content-Encoding: gzip` that does not decompress",
        APIConnectionError,
        3,
        1,
        "backoff",
        ("Could not decode the response body: {method}", "DecodingError"),
        False,
    ),
    Row(
        "bad_json",
        "200 `application/json` with malformed JSON",
        APIResponseValidationError,
        1,
        1,
        None,
        ("200 response (request_id={rid}) to {method}", "not valid JSON (application/json)"),
        True,
    ),
    Row(
        "html_200",
        "200 HTML page",
        APIResponseValidationError,
        1,
        1,
        None,
        ("200 response (request_id={rid})", "not valid JSON (text/html"),
        True,
    ),
    Row(
        "empty_200",
        "200 with an empty body",
        APIResponseValidationError,
        1,
        1,
        None,
        ("200 response (request_id={rid})", "empty body"),
        True,
    ),
    Row(
        "json_array",
        "200 with a JSON array where an object is expected",
        APIResponseValidationError,
        1,
        1,
        None,
        ("(request_id={rid})", "expected a JSON object, the body is an array"),
        True,
    ),
    Row(
        "json_string",
        "200 with a JSON string",
        APIResponseValidationError,
        1,
        1,
        None,
        ("(request_id={rid})", "expected a JSON object, the body is a string"),
        True,
    ),
    Row(
        "json_null",
        "200 with `null`",
        APIResponseValidationError,
        1,
        1,
        None,
        ("(request_id={rid})", "expected a JSON object, the body is null"),
        True,
    ),
    Row(
        "redirect",
        "307 redirect to another host",
        APIStatusError,
        1,
        1,
        None,
        ("307 Temporary Redirect", "(request_id={rid})"),
        True,
    ),
)

ROWS = {row.kind: row for row in MATRIX}

# Behaviours only a list operation can show (tested below, in test_robust_pagination.py for the
# first two). Columns: fault, operation, behaviour.
PAGE_MATRIX: tuple[tuple[str, str, str], ...] = (
    (
        "any retryable fault above, on a page",
        "`contacts.list`, `contacts.search` (POST), `articles.list`, `companies.list` (POST)",
        "retried like a GET (a page is a read, whatever its method); every item exactly once, in order",
    ),
    (
        "429 on a scroll page",
        "`companies.scroll`",
        "retried after `X-RateLimit-Reset` (the server did not act); every item exactly once",
    ),
    (
        "5xx, reset mid-body or timeout on a scroll page",
        "`companies.scroll`",
        "not retried (the server's scroll position may have moved; Intercom says restart): "
        "`InternalServerError` / `APIConnectionError`; no page skipped or repeated before it",
    ),
    (
        "200 whose `data` is not a list",
        "`contacts.list`",
        "`APIResponseValidationError` (the page's items are not a list)",
    ),
    (
        "200 JSON array / HTML page / empty body mid-iteration",
        "`contacts.list`",
        "`APIResponseValidationError`; the items before it were yielded exactly once",
    ),
)


def render_matrix() -> str:
    lines = [
        "| fault | GET (`contacts.get`) | POST (`contacts.create`) | the error names |",
        "|---|---|---|---|",
    ]
    for row in MATRIX:
        names = ", ".join(f"`{n.format(rid='req-N', method='GET')}`" for n in row.needles)
        if row.has_request_id:
            names += "; `.request_id`"
        get, post = row.behaviour(row.get_attempts), row.behaviour(row.post_attempts)
        lines.append(f"| {row.fault} | {get} | {post} | {names} |")
    return "\n".join(lines)


def render_summary() -> str:
    cases = len(MATRIX) * 2 * 2
    return (
        f"{len(MATRIX)} faults x (GET, POST) x (sync, async) = {cases} end-to-end cases, "
        f"plus {len(RETRIED) * 2} single-fault recoveries"
    )


def render_page_matrix() -> str:
    lines = ["| fault | operations | behaviour |", "|---|---|---|"]
    lines += [f"| {fault} | {ops} | {behaviour} |" for fault, ops, behaviour in PAGE_MATRIX]
    return "\n".join(lines)


# -- helpers ----------------------------------------------------------------------------------------


def _call(client: Any, method: str) -> Any:
    if method == "GET":
        return client.contacts.get("c-1")
    return client.contacts.create(email="ada@example.com")


async def _acall(client: Any, method: str) -> Any:
    if method == "GET":
        return await client.contacts.get("c-1")
    return await client.contacts.create(email="ada@example.com")


def _client_kwargs(row: Row) -> dict[str, Any]:
    return {"timeout": httpx.Timeout(5.0, read=READ_TIMEOUT)} if row.kind == "stall" else {}


async def _run(server: FaultServer, row: Row, method: str, asynchronous: bool) -> Any:
    """Call once; return the result or the exception."""
    client = facade_client(server, asynchronous=asynchronous, **_client_kwargs(row))
    try:
        if asynchronous:
            async with client:
                return await _acall(client, method)
        with client:
            return _call(client, method)
    except Exception as exc:
        return exc


def _expected_waits(row: Row, server: FaultServer) -> list[tuple[float, float]]:
    """(low, high) bounds of each wait the client should have made."""
    faults = server.injected
    if row.wait == "reset":
        # the wait ends exactly at the announced reset: reset - (time the 429 was answered)
        pairs = zip(faults[:-1], server.seen[: len(faults) - 1], strict=True)
        return [(f.reset - s.at, f.reset - s.at) for f, s in pairs if f.reset is not None]
    if row.wait == "backoff":
        return [(0.5 * 2**i, 0.5 * 2**i + 0.5) for i in range(len(faults) - 1)]
    return []


# -- the tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("row", MATRIX, ids=[r.kind for r in MATRIX])
async def test_fault_on_every_attempt(row: Row, method: str, asynchronous: bool) -> None:
    clock = FakeClock()
    with FaultServer(clock=clock) as server:
        server.script(*[row.kind] * 3)
        result = await _run(server, row, method, asynchronous)
        seen = server.seen
        faults = server.injected

    attempts = row.get_attempts if method == "GET" else row.post_attempts
    assert type(result) is row.error, repr(result)
    assert isinstance(result, IntercomError)
    assert len(seen) == attempts
    assert [s.method for s in seen] == [method] * attempts
    assert len(faults) == attempts

    # waits: the fake clock recorded exactly what the client slept
    expected = _expected_waits(row, server)
    assert len(clock.sleeps) == attempts - 1
    for waited, (low, high) in zip(clock.sleeps, expected, strict=True):
        assert low - 1e-6 <= waited <= high + 1e-6, (clock.sleeps, expected)
    if row.wait == "reset":  # every retry arrived exactly at the reset the server announced
        for fault in faults[:-1]:
            assert fault.retried_at is not None and fault.reset is not None
            assert fault.retried_at == pytest.approx(fault.reset, abs=1e-3)

    rid = f"req-{attempts}"  # the server numbers requests from 1; the error comes from the last
    message = str(result)
    for needle in row.needles:
        assert needle.format(rid=rid, method=method) in message, message
    request_id = getattr(result, "request_id", None)
    assert request_id == (rid if row.has_request_id else None)
    if isinstance(result, (RateLimitError, InternalServerError)):
        assert result.status_code == int(row.kind[:3])
    assert TOKEN not in "".join(traceback.format_exception(result))


RETRIED = [
    pytest.param(row, method, id=f"{row.kind}-{method}")
    for row in MATRIX
    for method, attempts in (("GET", row.get_attempts), ("POST", row.post_attempts))
    if attempts > 1
]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("row", "method"), RETRIED)
async def test_fault_once_then_ok(row: Row, method: str, asynchronous: bool) -> None:
    with FaultServer() as server:
        server.script(row.kind)
        result = await _run(server, row, method, asynchronous)
        seen = server.seen
    assert isinstance(result, v2_11.models.Contact), repr(result)
    assert result.id == ("c-1" if method == "GET" else "contact-new")
    if row.kind != "stall":  # a loaded machine may add a spurious (retried) timeout
        assert len(seen) == 2


def test_reset_after_clock_moved_waits_only_the_remainder() -> None:
    """The wait is measured on the injected clock: reset - now, not a fixed delay."""
    clock = FakeClock(START + 0.25)
    with FaultServer(clock=clock, reset_range=(3, 3)) as server:
        server.script("429")
        with facade_client(server) as client:
            assert client.contacts.get("c-1").id == "c-1"
        (fault,) = server.injected
    assert fault.reset == START + 1 + 3  # ceil(now) + 3
    assert clock.sleeps == [pytest.approx(3.75)]


def test_connection_refused_is_retried_for_get_and_post() -> None:
    port = free_port()  # nothing listens: every connect is refused
    clock = FakeClock()
    client = v2_11.Intercom(
        token=TOKEN,
        base_url=f"http://127.0.0.1:{port}",
        sleep=clock.sleep,
        clock=clock.time,
        backoff=Backoff(random=lambda: 0.0),
    )
    for call in (lambda: client.contacts.get("c-1"), lambda: client.contacts.create(email="a@b.c")):
        with pytest.raises(APIConnectionError) as info:
            call()
        assert type(info.value) is APIConnectionError
        assert "ConnectError" in str(info.value)
    assert clock.sleeps == [0.5, 1.0, 0.5, 1.0]
    client.close()


# -- page-only faults -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["items_not_list", "json_array", "json_null", "html_200", "empty_200"])
def test_bad_page_mid_iteration_is_typed_and_nothing_repeats(kind: str) -> None:
    with FaultServer(items=30) as server:
        server.script("ok", kind)
        client = facade_client(server)
        got: list[str] = []
        with pytest.raises(APIResponseValidationError) as info:
            for contact in client.contacts.list(per_page=10):
                got.append(contact.id)
        client.close()
    assert got == [f"contact-{i:05d}" for i in range(10)]
    assert info.value.request_id == "req-2"
    if kind == "items_not_list":
        assert "the page's items are not a list but str" in str(info.value)
    if kind in ("json_array", "json_null"):
        assert "expected a JSON object" in str(info.value)


async def test_bad_page_async() -> None:
    with FaultServer(items=30) as server:
        server.script("ok", "items_not_list")
        async with facade_client(server, asynchronous=True) as client:
            got = []
            with pytest.raises(APIResponseValidationError, match="items are not a list"):
                async for contact in client.contacts.list(per_page=10):
                    got.append(contact.id)
    assert len(got) == 10


# -- the reliability page ---------------------------------------------------------------------------------


def test_readme_section_shows_this_matrix() -> None:
    text = SECTION.read_text(encoding="utf-8")
    assert render_matrix() in text, "regenerate the table: python tests/robust/test_robust_faults.py"
    assert render_page_matrix() in text, "regenerate the table: python tests/robust/test_robust_faults.py"
    assert render_summary() in text


def test_matrix_covers_every_fault_the_server_has() -> None:
    from robust_server import ALL_FAULTS

    assert set(ALL_FAULTS) - set(ROWS) == {"items_not_list"}  # page-only, in PAGE_MATRIX


if __name__ == "__main__":  # print the tables for docs/maintainers/reliability.md
    print(render_summary())
    print()
    print(render_matrix())
    print()
    print(render_page_matrix())
