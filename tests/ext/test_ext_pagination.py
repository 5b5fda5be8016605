"""Pagination: the four Intercom styles over a fake server, sync and async, bounds, laziness."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from ext_helpers import BASE, json_response, make_async, make_sync

from intercom_ext import (
    AsyncAPIClient,
    AsyncPager,
    InternalServerError,
    PaginationStyle,
    SyncAPIClient,
    SyncPager,
)
from intercom_ext._pagination import apply_paging, initial_paging_of, next_paging

N_ITEMS = 8
PER_PAGE = 3  # -> pages of 3, 3, 2
ALL_IDS = [f"id{i}" for i in range(N_ITEMS)]


class FakeIntercom:
    """Serves ``N_ITEMS`` items in Intercom's four paging styles.

    - ``GET /contacts``            cursor: ``starting_after`` / ``pages.next.starting_after``
    - ``POST /contacts/search``    search: body ``pagination`` / ``pages.next.starting_after``
    - ``GET /companies``           page number with ``pages.next`` as a URL (``null`` on the last page)
    - ``POST /companies/list``     page number with only ``pages.page`` / ``pages.total_pages``
    - ``GET /companies/scroll``    scroll: ``scroll_param`` until an empty page
    """

    def __init__(self, n: int = N_ITEMS) -> None:
        self.items = [{"type": "thing", "id": f"id{i}"} for i in range(n)]
        self.requests: list[httpx.Request] = []
        self.scroll_pos: dict[str, int] = {}

    @staticmethod
    def cursor_for(index: int) -> str:
        return f"WzE2{index:04d}XQ=="  # opaque to the client

    def index_of(self, cursor: str | None) -> int:
        return 0 if not cursor else int(cursor[4:8])

    def _cursor_page(self, start: int, per: int) -> dict[str, Any]:
        chunk = self.items[start : start + per]
        pages: dict[str, Any] = {
            "type": "pages",
            "page": start // per + 1,
            "per_page": per,
            "total_pages": math.ceil(len(self.items) / per),
        }
        if start + per < len(self.items):
            pages["next"] = {"page": start // per + 2, "starting_after": self.cursor_for(start + per)}
        return {"type": "list", "data": chunk, "total_count": len(self.items), "pages": pages}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = request.url.params
        path = request.url.path
        if path == "/contacts" and request.method == "GET":
            per = int(q.get("per_page", PER_PAGE))
            return json_response(200, self._cursor_page(self.index_of(q.get("starting_after")), per))
        if path == "/contacts/search" and request.method == "POST":
            body = json.loads(request.content)
            assert body["query"] == {"field": "role", "operator": "=", "value": "user"}
            pagination = body.get("pagination", {})
            per = int(pagination.get("per_page", PER_PAGE))
            return json_response(200, self._cursor_page(self.index_of(pagination.get("starting_after")), per))
        if path in ("/companies", "/companies/list"):
            page, per = int(q.get("page", 1)), int(q.get("per_page", PER_PAGE))
            total = math.ceil(len(self.items) / per)
            pages: dict[str, Any] = {"type": "pages", "page": page, "per_page": per, "total_pages": total}
            if path == "/companies":
                # next is a URL on ANOTHER host: only its query may be used
                pages["next"] = (
                    f"https://elsewhere.example/companies?page={page + 1}&per_page={per}"
                    if page < total
                    else None
                )
            chunk = self.items[(page - 1) * per : page * per]
            return json_response(
                200, {"type": "list", "data": chunk, "total_count": len(self.items), "pages": pages}
            )
        if path == "/companies/scroll":
            param = q.get("scroll_param")
            if param is None:
                param = f"scroll-{len(self.scroll_pos)}"
                self.scroll_pos[param] = 0
            pos = self.scroll_pos[param]
            chunk = self.items[pos : pos + PER_PAGE]
            self.scroll_pos[param] = pos + len(chunk)
            return json_response(
                200,
                {"type": "list", "data": chunk, "total_count": None, "pages": None, "scroll_param": param},
            )
        return json_response(404, {"type": "error.list", "errors": [{"code": "not_found", "message": path}]})


class Item:
    def __init__(self, id: str) -> None:
        self.id = id


class Page:
    """Stands in for a generated list model (``ContactList`` etc.)."""

    def __init__(self, data: list[Item], total_count: int | None) -> None:
        self.data = data
        self.total_count = total_count

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Page:
        return cls([Item(x["id"]) for x in d["data"]], d.get("total_count"))


def page_items(page: Page) -> list[Item]:
    return page.data


SEARCH_BODY = {
    "query": {"field": "role", "operator": "=", "value": "user"},
    "pagination": {"per_page": PER_PAGE},
}

# (style, first-request kwargs, number of requests for a full pass)
CASES: dict[str, tuple[PaginationStyle, dict[str, Any], int]] = {
    "cursor": (
        PaginationStyle.CURSOR,
        {"method": "get", "url": "/contacts", "params": {"per_page": PER_PAGE}},
        3,
    ),
    "search": (PaginationStyle.SEARCH, {"method": "post", "url": "/contacts/search", "json": SEARCH_BODY}, 3),
    "page-next-url": (
        PaginationStyle.PAGE,
        {"method": "get", "url": "/companies", "params": {"per_page": PER_PAGE}},
        3,
    ),
    "page-total": (
        PaginationStyle.PAGE,
        {"method": "post", "url": "/companies/list", "params": {"page": 1, "per_page": PER_PAGE}},
        3,
    ),
    "scroll": (PaginationStyle.SCROLL, {"method": "get", "url": "/companies/scroll", "params": {}}, 4),
}


def sync_pager(server: FakeIntercom, case: str, **kw: Any) -> tuple[SyncAPIClient, SyncPager[Page, Item]]:
    style, kwargs, _ = CASES[case]
    client, _, _ = make_sync(server)
    return client, client.paginate(kwargs, Page.from_dict, style=style, items=page_items, **kw)


def async_pager(server: FakeIntercom, case: str, **kw: Any) -> tuple[AsyncAPIClient, AsyncPager[Page, Item]]:
    style, kwargs, _ = CASES[case]
    client, _, _ = make_async(server)
    return client, client.paginate(kwargs, Page.from_dict, style=style, items=page_items, **kw)


@pytest.mark.parametrize("case", list(CASES))
def test_sync_items_each_exactly_once(case: str) -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, case)
    assert server.requests == []  # lazy: nothing fetched yet
    ids = [item.id for item in pager]
    assert ids == ALL_IDS
    assert len(server.requests) == CASES[case][2]
    assert {r.url.host for r in server.requests} == {"api.test.intercom.example"}


@pytest.mark.parametrize("case", list(CASES))
def test_sync_pages(case: str) -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, case)
    pages = list(pager.pages())
    assert [len(p.data) for p in pages] == [3, 3, 2]  # the empty scroll page is not yielded
    assert all(isinstance(p, Page) for p in pages)


@pytest.mark.parametrize("case", list(CASES))
async def test_async_items_each_exactly_once(case: str) -> None:
    server = FakeIntercom()
    _, pager = async_pager(server, case)
    assert server.requests == []
    ids = [item.id async for item in pager]
    assert ids == ALL_IDS
    assert len(server.requests) == CASES[case][2]


@pytest.mark.parametrize("case", list(CASES))
async def test_async_pages(case: str) -> None:
    server = FakeIntercom()
    _, pager = async_pager(server, case)
    pages = [p async for p in pager.pages()]
    assert [len(p.data) for p in pages] == [3, 3, 2]


@pytest.mark.parametrize("case", list(CASES))
def test_sync_max_items_and_max_pages(case: str) -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, case, max_items=4)
    assert [i.id for i in pager] == ALL_IDS[:4]
    assert len(server.requests) == 2  # the third page is never fetched

    server = FakeIntercom()
    _, pager = sync_pager(server, case, max_pages=2)
    assert [i.id for i in pager] == ALL_IDS[:6]
    assert len(server.requests) == 2
    assert len(list(pager.pages())) == 2

    server = FakeIntercom()
    _, pager = sync_pager(server, case, max_items=3)
    assert [i.id for i in pager] == ALL_IDS[:3]
    assert len(server.requests) == 1

    server = FakeIntercom()
    _, pager = sync_pager(server, case, max_items=100, max_pages=100)
    assert [i.id for i in pager] == ALL_IDS


@pytest.mark.parametrize("case", list(CASES))
async def test_async_max_items_and_max_pages(case: str) -> None:
    server = FakeIntercom()
    _, pager = async_pager(server, case, max_items=5)
    assert [i.id async for i in pager] == ALL_IDS[:5]
    assert len(server.requests) == 2

    server = FakeIntercom()
    _, pager = async_pager(server, case, max_pages=1)
    assert [i.id async for i in pager] == ALL_IDS[:3]
    assert len(server.requests) == 1


@pytest.mark.parametrize("bound", ["max_items", "max_pages"])
async def test_zero_bounds_fetch_nothing(bound: str) -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, "cursor", **{bound: 0})
    assert list(pager) == []
    _, apager = async_pager(server, "cursor", **{bound: 0})
    assert [i async for i in apager] == []
    assert server.requests == []


def test_invalid_bounds() -> None:
    with pytest.raises(ValueError, match="max_items"):
        sync_pager(FakeIntercom(), "cursor", max_items=-1)
    with pytest.raises(ValueError, match="max_pages"):
        sync_pager(FakeIntercom(), "cursor", max_pages=1.5)


def test_lazy_fetch_one_page_at_a_time_and_reiteration_restarts() -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, "cursor")
    it = iter(pager)
    assert next(it).id == "id0"
    assert len(server.requests) == 1
    for _ in range(2):
        next(it)
    assert len(server.requests) == 1
    assert next(it).id == "id3"
    assert len(server.requests) == 2
    assert [i.id for i in pager] == ALL_IDS  # a new iteration starts from the first page
    assert len(server.requests) == 5


def test_request_parameters_per_style() -> None:
    server = FakeIntercom()
    _, pager = sync_pager(server, "cursor")
    list(pager)
    assert [r.url.params.get("starting_after") for r in server.requests] == [
        None,
        FakeIntercom.cursor_for(3),
        FakeIntercom.cursor_for(6),
    ]
    assert {r.url.params["per_page"] for r in server.requests} == {"3"}

    server = FakeIntercom()
    _, pager = sync_pager(server, "search")
    list(pager)
    bodies = [json.loads(r.content) for r in server.requests]
    assert [b["pagination"] for b in bodies] == [
        {"per_page": 3},
        {"per_page": 3, "starting_after": FakeIntercom.cursor_for(3)},
        {"per_page": 3, "starting_after": FakeIntercom.cursor_for(6)},
    ]
    assert all(b["query"] == SEARCH_BODY["query"] for b in bodies)
    assert SEARCH_BODY["pagination"] == {"per_page": 3}  # the caller's body is not mutated

    for case in ("page-next-url", "page-total"):
        server = FakeIntercom()
        _, pager = sync_pager(server, case)
        list(pager)
        assert [r.url.params.get("page") for r in server.requests] == [
            None if case == "page-next-url" else "1",
            "2",
            "3",
        ]

    server = FakeIntercom()
    _, pager = sync_pager(server, "scroll")
    list(pager)
    assert [r.url.params.get("scroll_param") for r in server.requests] == [
        None,
        "scroll-0",
        "scroll-0",
        "scroll-0",
    ]


def test_error_mid_pagination_is_typed_and_retried() -> None:
    server = FakeIntercom()
    failures = iter([500, 500, 500])

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("starting_after"):
            status = next(failures, None)
            if status:
                return json_response(
                    status, {"type": "error.list", "errors": [{"code": "server_error", "message": "x"}]}
                )
        return server(request)

    client, _, sleep = make_sync(flaky)
    pager = client.paginate(
        CASES["cursor"][1], Page.from_dict, style=PaginationStyle.CURSOR, items=page_items
    )
    seen: list[str] = []
    with pytest.raises(InternalServerError):
        for item in pager:
            seen.append(item.id)
    assert seen == ALL_IDS[:3]
    assert len(sleep.calls) == 2  # the failing page was retried twice first


def test_search_429_on_later_page_retried() -> None:
    server = FakeIntercom()
    limited = iter([True])

    def handler(request: httpx.Request) -> httpx.Response:
        if b"starting_after" in request.content and next(limited, False):
            return json_response(429, {"type": "error.list", "errors": []}, {"retry-after": "1"})
        return server(request)

    client, _, sleep = make_sync(handler)
    pager = client.paginate(
        CASES["search"][1], Page.from_dict, style=PaginationStyle.SEARCH, items=page_items
    )
    assert [i.id for i in pager] == ALL_IDS
    assert sleep.calls == [1.0]


def test_per_call_options_apply_to_every_page() -> None:
    server = FakeIntercom()
    client, _, _ = make_sync(server)
    pager = client.paginate(
        CASES["cursor"][1],
        Page.from_dict,
        style=PaginationStyle.CURSOR,
        items=page_items,
        options={"extra_headers": {"X-Trace": "t1"}, "timeout": 2.0},
    )
    list(pager)
    assert [r.headers["x-trace"] for r in server.requests] == ["t1"] * 3
    assert all(r.extensions["timeout"]["read"] == 2.0 for r in server.requests)


def test_repeated_cursor_stops(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(200, {"data": [{"id": "x"}], "pages": {"next": {"starting_after": "same"}}})

    client, rec, _ = make_sync(handler)
    pager = client.paginate(
        {"method": "get", "url": "/x"}, Page.from_dict, style=PaginationStyle.CURSOR, items=page_items
    )
    assert [i.id for i in pager] == ["x", "x"]
    assert len(rec.requests) == 2
    assert "same next page twice" in caplog.text


def test_invalid_page_json_is_validation_error() -> None:
    from intercom_ext import APIResponseValidationError

    client, _, _ = make_sync(lambda _: httpx.Response(200, text="<html>"))
    pager = client.paginate(
        {"method": "get", "url": "/x"}, Page.from_dict, style=PaginationStyle.CURSOR, items=page_items
    )
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        list(pager)
    client, _, _ = make_sync(lambda _: json_response(200, {"no_data": []}))
    pager = client.paginate(
        {"method": "get", "url": "/x"}, Page.from_dict, style=PaginationStyle.CURSOR, items=page_items
    )
    with pytest.raises(APIResponseValidationError, match="'data'"):
        list(pager)


async def test_async_early_exit_closes_cleanly() -> None:
    server = FakeIntercom()
    _, pager = async_pager(server, "cursor")
    async for item in pager:
        if item.id == "id1":
            break
    assert len(server.requests) == 1


def test_repr() -> None:
    _, pager = sync_pager(FakeIntercom(), "scroll", max_items=3)
    assert repr(pager) == "<SyncPager style=scroll max_items=3 max_pages=None>"


# -- the pager on its own (fetch callable) ----------------------------------------------------------


def test_sync_pager_with_custom_fetch() -> None:
    server = FakeIntercom()
    calls: list[dict[str, Any]] = []

    def fetch(paging: dict[str, Any]) -> tuple[Page, Any]:
        calls.append(paging)
        start = server.index_of(paging.get("starting_after"))
        raw = server._cursor_page(start, PER_PAGE)
        return Page.from_dict(raw), raw

    pager: SyncPager[Page, Item] = SyncPager(fetch, style=PaginationStyle.CURSOR, items=page_items)
    assert [i.id for i in pager] == ALL_IDS
    assert calls == [{}, {"starting_after": server.cursor_for(3)}, {"starting_after": server.cursor_for(6)}]


def test_only_one_page_is_held_while_iterating() -> None:
    """The previous page (model and decoded JSON) is freed before the next one is fetched, so a long
    iteration holds one page at a time (what keeps the benchmark's peak RSS flat)."""
    import gc
    import weakref

    server = FakeIntercom()
    alive_at_fetch: list[int] = []
    previous: list[weakref.ref[Any]] = []

    def fetch(paging: dict[str, Any]) -> tuple[Page, Any]:
        alive_at_fetch.append(sum(ref() is not None for ref in previous))
        start = server.index_of(paging.get("starting_after"))
        page = Page.from_dict(server._cursor_page(start, PER_PAGE))
        raw = _Raw(server._cursor_page(start, PER_PAGE))
        previous.extend([weakref.ref(page), weakref.ref(raw)])
        return page, raw

    gc.disable()  # references only: nothing may wait for the collector
    try:
        pager: SyncPager[Page, Item] = SyncPager(fetch, style=PaginationStyle.CURSOR, items=page_items)
        assert [item.id for item in pager] == ALL_IDS
        assert alive_at_fetch == [0, 0, 0]
    finally:
        gc.enable()


class _Raw(dict[str, Any]):
    """A decoded page that can be weakly referenced."""


# -- pure helpers -----------------------------------------------------------------------------------


def test_next_paging_shapes() -> None:
    C, S, P, SC = (
        PaginationStyle.CURSOR,
        PaginationStyle.SEARCH,
        PaginationStyle.PAGE,
        PaginationStyle.SCROLL,
    )
    assert next_paging(C, {"pages": {"next": {"starting_after": "a"}}}) == {"starting_after": "a"}
    assert next_paging(S, {"pages": {"next": {"page": 2, "starting_after": "b"}}}) == {"starting_after": "b"}
    for raw in (
        {},
        {"pages": None},
        {"pages": {"next": None}},
        {"pages": {"next": {"starting_after": ""}}},
        [],
        None,
    ):
        assert next_paging(C, raw) is None
    assert next_paging(P, {"pages": {"next": "https://h/x?page=3&per_page=5"}}) == {
        "page": "3",
        "per_page": "5",
    }
    assert next_paging(P, {"pages": {"next": "https://h/x?a=1&a=2"}}) == {"a": ["1", "2"]}
    assert next_paging(P, {"pages": {"next": None, "page": 1, "total_pages": 5}}) is None
    assert next_paging(P, {"pages": {"page": 1, "total_pages": 5}}) == {"page": 2}
    assert next_paging(P, {"pages": {"page": 5, "total_pages": 5}}) is None
    assert next_paging(P, {"pages": {"total_pages": 5}}, current_page=2) == {"page": 3}
    assert next_paging(P, {"pages": {"next": {"page": 4}}}) == {"page": 4}
    assert next_paging(P, {"pages": {"next": {"starting_after": "z"}}}) == {"starting_after": "z"}
    assert next_paging(P, {"pages": {"next": "https://h/x", "page": 1, "total_pages": 2}}) == {"page": 2}
    assert next_paging(P, {"pages": {"page": True, "total_pages": 2}}) is None
    assert next_paging(SC, {"scroll_param": "s"}) == {"scroll_param": "s"}
    assert next_paging(SC, {"scroll_param": None}) is None


def test_apply_paging_copies() -> None:
    kwargs = {"method": "get", "url": "/x", "params": {"per_page": 5, "starting_after": "old"}}
    new = apply_paging(PaginationStyle.CURSOR, kwargs, {"starting_after": "new"})
    assert new["params"] == {"per_page": 5, "starting_after": "new"}
    assert kwargs["params"] == {"per_page": 5, "starting_after": "old"}
    assert apply_paging(PaginationStyle.CURSOR, kwargs, {"starting_after": None})["params"] == {"per_page": 5}
    body = {"query": {}, "pagination": {"per_page": 2}}
    new = apply_paging(
        PaginationStyle.SEARCH, {"method": "post", "url": "/s", "json": body}, {"starting_after": "c"}
    )
    assert new["json"] == {"query": {}, "pagination": {"per_page": 2, "starting_after": "c"}}
    assert body == {"query": {}, "pagination": {"per_page": 2}}
    assert apply_paging(PaginationStyle.SEARCH, {"method": "post", "url": "/s"}, {"starting_after": "c"})[
        "json"
    ] == {"pagination": {"starting_after": "c"}}
    with pytest.raises(TypeError):
        apply_paging(PaginationStyle.SEARCH, {"json": [1]}, {"starting_after": "c"})
    assert initial_paging_of(PaginationStyle.SEARCH, {"json": body}) == {"per_page": 2}
    assert initial_paging_of(PaginationStyle.PAGE, {"params": {"page": 4}}) == {"page": 4}
    assert initial_paging_of(PaginationStyle.PAGE, {}) == {}


# -- with the real generated models (skipped if the generated package is absent) -------------------


def company(i: int) -> dict[str, Any]:
    return {
        "type": "company",
        "id": f"co{i}",
        "name": f"Company {i}",
        "app_id": "app",
        "company_id": f"ext{i}",
        "remote_created_at": 1,
        "created_at": 1,
        "updated_at": 1,
        "last_request_at": 1,
        "size": 10,
        "website": "https://example.com",
        "industry": "software",
        "monthly_spend": 100,
        "session_count": 3,
        "user_count": 2,
    }


def test_with_generated_models_scroll_and_page() -> None:
    from intercom_v2_11.models.company import Company
    from intercom_v2_11.models.company_list import CompanyList
    from intercom_v2_11.models.company_scroll import CompanyScroll

    companies = [company(i) for i in range(7)]

    def handler(request: httpx.Request) -> httpx.Response:
        q = request.url.params
        if request.url.path == "/companies/scroll":
            pos = int(q.get("scroll_param", "s0")[1:])
            chunk = companies[pos : pos + 3]
            return json_response(
                200,
                {"type": "list", "data": chunk, "total_count": None, "scroll_param": f"s{pos + len(chunk)}"},
            )
        page, per = int(q.get("page", 1)), int(q["per_page"])
        pages = {
            "type": "pages",
            "page": page,
            "per_page": per,
            "total_pages": math.ceil(len(companies) / per),
        }
        chunk = companies[(page - 1) * per : page * per]
        return json_response(200, {"type": "list", "total_count": 7, "data": chunk, "pages": pages})

    client, rec, _ = make_sync(handler)
    scroll: SyncPager[CompanyScroll, Company] = client.paginate(
        {"method": "GET", "url": "/companies/scroll"},
        CompanyScroll.from_dict,
        style=PaginationStyle.SCROLL,
        items=lambda p: p.data,
    )
    got = list(scroll)
    assert all(isinstance(c, Company) for c in got)
    assert [c.id for c in got] == [f"co{i}" for i in range(7)]

    listed: SyncPager[CompanyList, Company] = client.paginate(
        {"method": "POST", "url": "/companies/list", "params": {"per_page": 3}},
        CompanyList.from_dict,
        style=PaginationStyle.PAGE,
        items=lambda p: p.data,
    )
    assert [c.id for c in listed] == [f"co{i}" for i in range(7)]
    assert [r.method for r in rec.requests[-3:]] == ["POST"] * 3
    assert str(rec.requests[-1].url) == f"{BASE}/companies/list?per_page=3&page=3"
