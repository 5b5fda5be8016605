"""The raw-response wrappers: a facade-style method, wrapped, returns status, headers and the parsed
result with the same parameters; list methods give their first page raw."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
from ext_helpers import get_kwargs, json_response, make_async, make_sync

from intercom_ext import (
    AsyncAPIClient,
    AsyncPager,
    PaginationStyle,
    SyncAPIClient,
    SyncPager,
    async_to_raw_page_wrapper,
    async_to_raw_response_wrapper,
    json_parser,
    to_raw_page_wrapper,
    to_raw_response_wrapper,
)


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/contacts":
        return json_response(200, {"data": [{"id": "1"}], "pages": {}}, {"x-request-id": "req-list"})
    contact_id = request.url.path.rsplit("/", 1)[-1]
    return json_response(201, {"id": contact_id}, {"x-request-id": f"req-{contact_id}"})


class Contacts:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def get(self, contact_id: str, *, note: str = "") -> dict[str, Any]:
        return self._client.request(get_kwargs(f"/contacts/{contact_id}"), json_parser(dict))

    def list(self) -> SyncPager[dict[str, Any], Any]:
        return self._client.paginate(
            get_kwargs("/contacts"), dict, style=PaginationStyle.CURSOR, items=lambda page: page["data"]
        )


class AsyncContacts:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def get(self, contact_id: str) -> dict[str, Any]:
        return await self._client.request(get_kwargs(f"/contacts/{contact_id}"), json_parser(dict))

    def list(self) -> AsyncPager[dict[str, Any], Any]:
        return self._client.paginate(
            get_kwargs("/contacts"), dict, style=PaginationStyle.CURSOR, items=lambda page: page["data"]
        )


def test_sync_wrapper_returns_status_headers_and_parsed() -> None:
    client, rec, _ = make_sync(handler)
    contacts = Contacts(client)
    raw = to_raw_response_wrapper(contacts.get)("42", note="x")
    assert (raw.status_code, raw.request_id, raw.parsed) == (201, "req-42", {"id": "42"})
    assert raw.http_response.request.url.path == "/contacts/42"
    assert to_raw_response_wrapper(contacts.get).__name__ == "get"  # help() shows the method's own docs
    # the plain method is unaffected afterwards
    assert contacts.get("7") == {"id": "7"}
    assert len(rec.requests) == 2


def test_sync_page_wrapper_fetches_the_first_page_once() -> None:
    client, rec, _ = make_sync(handler)
    raw = to_raw_page_wrapper(Contacts(client).list)()
    assert (raw.status_code, raw.request_id, raw.parsed["data"]) == (200, "req-list", [{"id": "1"}])
    assert len(rec.requests) == 1


def test_threads_each_see_their_own_response() -> None:
    client, _, _ = make_sync(handler)
    get = to_raw_response_wrapper(Contacts(client).get)
    seen: dict[str, str | None] = {}

    def work(contact_id: str) -> None:
        for _ in range(20):
            raw = get(contact_id)
            assert raw.parsed == {"id": contact_id}
            seen[contact_id] = raw.request_id

    threads = [threading.Thread(target=work, args=(str(i),)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {str(i): f"req-{i}" for i in range(8)}


async def test_async_wrappers_across_concurrent_tasks() -> None:
    client, rec, _ = make_async(handler)
    contacts = AsyncContacts(client)
    get = async_to_raw_response_wrapper(contacts.get)
    results = await asyncio.gather(*(get(str(i)) for i in range(10)))
    assert [(r.parsed["id"], r.request_id) for r in results] == [(str(i), f"req-{i}") for i in range(10)]
    page = await async_to_raw_page_wrapper(contacts.list)()
    assert (page.status_code, page.request_id) == (200, "req-list")
    assert len(rec.requests) == 11
    await client.close()
