"""The reference facade (facade_example.py) end to end over MockTransport with the generated 2.11 models."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

pytest.importorskip("intercom_v2_11.api.contacts.list_contacts")

from ext_helpers import TOKEN, json_response
from facade_example import AsyncIntercom, Intercom
from intercom_v2_11.models.company import Company
from intercom_v2_11.models.contact import Contact
from intercom_v2_11.models.contact_list import ContactList
from intercom_v2_11.models.search_request import SearchRequest

from intercom_ext import NotFoundError

CONTACT: dict[str, Any] = {
    "type": "contact", "id": "c0", "workspace_id": "ws", "external_id": "70", "role": "user",
    "email": "joe@bloggs.com", "phone": None, "name": "Joe Bloggs", "avatar": None, "owner_id": None,
    "social_profiles": {"type": "list", "data": []}, "has_hard_bounced": False, "marked_email_as_spam": False,
    "unsubscribed_from_emails": False, "created_at": 1719492777, "updated_at": 1719492777,
    "signed_up_at": 1719492777, "last_seen_at": None, "last_replied_at": None, "last_contacted_at": None,
    "last_email_opened_at": None, "last_email_clicked_at": None, "language_override": None, "browser": None,
    "browser_version": None, "browser_language": None, "os": None,
    "location": {"type": "location", "country": None, "region": None, "city": None, "country_code": None,
                 "continent_code": None},
    "custom_attributes": {},
}  # fmt: skip
N = 7
PER = 3


def contact(i: int) -> dict[str, Any]:
    return {**CONTACT, "id": f"c{i}"}


def company(i: int) -> dict[str, Any]:
    scalars = dict.fromkeys(("remote_created_at", "created_at", "updated_at", "last_request_at", "size"), 1)
    counts = dict.fromkeys(("monthly_spend", "session_count", "user_count"), 1)
    return {"type": "company", "id": f"co{i}", "name": "n", "app_id": "a", "company_id": "x", "website": "w",
            "industry": "i", **scalars, **counts}  # fmt: skip


def cursor_page(start: int) -> dict[str, Any]:
    pages: dict[str, Any] = {"type": "pages", "page": start // PER + 1, "per_page": PER, "total_pages": 3}
    if start + PER < N:
        pages["next"] = {"per_page": PER, "starting_after": f"cur{start + PER}"}
    return {"type": "list", "data": [contact(i) for i in range(start, min(start + PER, N))], "total_count": N,
            "pages": pages}  # fmt: skip


def handler(request: httpx.Request) -> httpx.Response:
    path, q = request.url.path, request.url.params
    if path == "/contacts" and request.method == "GET":
        after = q.get("starting_after")
        return json_response(200, cursor_page(int(after[3:]) if after else 0))
    if path == "/contacts/search":
        after = json.loads(request.content).get("pagination", {}).get("starting_after")
        return json_response(200, cursor_page(int(after[3:]) if after else 0))
    if path == "/contacts/c1" and request.method == "GET":
        return json_response(200, contact(1), {"x-request-id": "rid-c1"})
    if path == "/contacts/c1" and request.method == "DELETE":
        return json_response(200, {"type": "contact", "id": "c1", "deleted": True})
    if path == "/companies/scroll":
        pos = int(q.get("scroll_param", "s0")[1:])
        data = [company(i) for i in range(pos, min(pos + PER, N))]
        return json_response(
            200, {"type": "list", "data": data, "total_count": None, "scroll_param": f"s{pos + len(data)}"}
        )
    return json_response(
        404,
        {
            "type": "error.list",
            "request_id": "r404",
            "errors": [{"code": "not_found", "message": "Contact Not Found"}],
        },
    )


SEARCH = SearchRequest.from_dict(
    {"query": {"field": "role", "operator": "=", "value": "user"}, "pagination": {"per_page": PER}}
)
IDS = [f"c{i}" for i in range(N)]


def sync_client() -> tuple[Intercom, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(record))
    return Intercom(token=TOKEN, region="eu", http_client=http), seen


def test_sync_facade() -> None:
    client, seen = sync_client()
    contacts = list(client.contacts.list(per_page=PER))
    assert all(isinstance(c, Contact) for c in contacts)
    assert [c.id for c in contacts] == IDS
    assert all(r.url.host == "api.eu.intercom.io" and r.headers["intercom-version"] == "2.11" for r in seen)

    pages = list(client.contacts.list(per_page=PER).pages())
    assert [type(p) for p in pages] == [ContactList] * 3

    assert [c.id for c in client.contacts.search(body=SEARCH, max_items=4)] == IDS[:4]
    assert json.loads(seen[-1].content)["pagination"] == {"per_page": PER, "starting_after": "cur3"}

    got = client.contacts.get("c1", timeout=5.0, extra_headers={"X-Trace": "t"})
    assert isinstance(got, Contact) and got.email == "joe@bloggs.com"
    assert seen[-1].headers["x-trace"] == "t"
    raw = client.contacts.get_raw("c1")
    assert raw.status_code == 200 and raw.request_id == "rid-c1" and raw.parsed.id == "c1"
    assert client.contacts.delete("c1").deleted is True

    with pytest.raises(NotFoundError) as info:
        client.contacts.get("missing")
    assert info.value.request_id == "r404" and info.value.error_codes == ["not_found"]

    companies = list(client.companies.scroll())
    assert all(isinstance(c, Company) for c in companies)
    assert [c.id for c in companies] == [f"co{i}" for i in range(N)]


async def test_async_facade() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncIntercom(token=TOKEN, http_client=http) as client:
        assert [c.id async for c in client.contacts.list(per_page=PER)] == IDS
        assert [c.id async for c in client.contacts.search(body=SEARCH, max_pages=2)] == IDS[:6]
        assert (await client.contacts.get("c1")).id == "c1"
        assert (await client.contacts.get_raw("c1")).request_id == "rid-c1"
    await http.aclose()
