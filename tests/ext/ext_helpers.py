"""Shared helpers for the intercom_ext runtime tests (no conftest: keeps basenames unique repo-wide)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from intercom_ext import AsyncAPIClient, Backoff, SyncAPIClient

TOKEN = "tok_S3CRET_dG9rZW4tdmFsdWU"
BASE = "https://api.test.intercom.example"
VERSION = "2.11"
NOW = 1_700_000_000.0
#: The default backoff with its jitter pinned to 0: waits of exactly 0.5, 1, 2, ... seconds.
NO_JITTER = Backoff(random=lambda: 0.0)

Handler = Callable[[httpx.Request], httpx.Response]


class SleepRecorder:
    """Injected ``sleep``: records the requested delays and returns immediately."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class AsyncSleepRecorder(SleepRecorder):
    async def __call__(self, seconds: float) -> None:  # type: ignore[override]
        self.calls.append(seconds)


class Recorder:
    """Wraps a handler and records every request it sees."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def make_sync(handler: Handler, **kw: Any) -> tuple[SyncAPIClient, Recorder, SleepRecorder]:
    rec = Recorder(handler)
    sleep = SleepRecorder()
    kw.setdefault("token", TOKEN)
    kw.setdefault("base_url", BASE)
    # These unit tests pin the retry policy alone on a frozen clock: no rate limiter (tested elsewhere).
    kw.setdefault("rate_limiter", None)
    kw.setdefault("backoff", NO_JITTER)
    client = SyncAPIClient(
        version_header=VERSION,
        http_client=httpx.Client(transport=httpx.MockTransport(rec)),
        sleep=sleep,
        clock=lambda: NOW,
        **kw,
    )
    return client, rec, sleep


def make_async(handler: Handler, **kw: Any) -> tuple[AsyncAPIClient, Recorder, AsyncSleepRecorder]:
    rec = Recorder(handler)
    sleep = AsyncSleepRecorder()
    kw.setdefault("token", TOKEN)
    kw.setdefault("base_url", BASE)
    kw.setdefault("rate_limiter", None)
    kw.setdefault("backoff", NO_JITTER)
    client = AsyncAPIClient(
        version_header=VERSION,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)),
        sleep=sleep,
        clock=lambda: NOW,
        **kw,
    )
    return client, rec, sleep


def get_kwargs(url: str = "/contacts", **extra: Any) -> dict[str, Any]:
    return {"method": "get", "url": url, **extra}


def as_json(response: httpx.Response) -> Any:
    return response.json()
