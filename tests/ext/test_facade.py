"""The generated version facades: full coverage, headers, every list/search operation paginated in
its style (>= 3 pages, each item exactly once, sync and async), bodies, errors and raw access."""

from __future__ import annotations

import asyncio
import importlib
import json
from types import ModuleType
from typing import Any

import httpx
import pytest

from codegen.spec import operations
from intercom_ext import NotFoundError, RawResponse
from tests._specs import VERSIONS, repaired_spec
from tests.contract.contract_args import build_call

FACADES = {v.name: importlib.import_module(f"{v.package}.facade") for v in VERSIONS}
PAGED = [(name, op) for name, facade in FACADES.items() for op in facade.OPERATIONS if op.style is not None]


def _client(facade: ModuleType, handler: Any, *, is_async: bool = False) -> Any:
    transport = httpx.MockTransport(handler)
    if is_async:
        return facade.AsyncIntercom(token="tok_secret", http_client=httpx.AsyncClient(transport=transport))
    return facade.Intercom(token="tok_secret", http_client=httpx.Client(transport=transport))


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
def test_every_operation_has_exactly_one_friendly_method(version: str) -> None:
    facade = FACADES[version]
    spec_ops = {(m.upper(), p) for p, m, _ in operations(repaired_spec(version))}
    facade_ops = {(op.method, op.path) for op in facade.OPERATIONS}
    assert facade_ops == spec_ops
    names = [(op.resource, op.verb) for op in facade.OPERATIONS]
    assert len(names) == len(set(names)), "friendly name collision"
    client = facade.Intercom(token="t")
    aclient = facade.AsyncIntercom(token="t")
    for op in facade.OPERATIONS:
        assert callable(getattr(getattr(client, op.resource), op.verb))
        assert callable(getattr(getattr(aclient, op.resource), op.verb))
        assert callable(getattr(getattr(client.with_raw_response, op.resource), op.verb))
        assert callable(getattr(getattr(aclient.with_raw_response, op.resource), op.verb))


def test_friendly_names_follow_the_documented_rule() -> None:
    ops = {(op.resource, op.verb): (op.method, op.path) for op in FACADES["2.11"].OPERATIONS}
    assert ops[("contacts", "list")] == ("GET", "/contacts")
    assert ops[("contacts", "get")] == ("GET", "/contacts/{contact_id}")
    assert ops[("contacts", "search")] == ("POST", "/contacts/search")
    assert ops[("contacts", "archive")] == ("POST", "/contacts/{contact_id}/archive")
    assert ops[("contacts", "list_companies")] == ("GET", "/contacts/{contact_id}/companies")
    assert ops[("companies", "attach_contact")] == ("POST", "/contacts/{contact_id}/companies")
    assert ops[("companies", "scroll")] == ("GET", "/companies/scroll")
    assert ops[("data_attributes", "create")] == ("POST", "/data_attributes")
    assert ops[("tags", "attach_to_contact")] == ("POST", "/contacts/{contact_id}/tags")


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.name)
def test_headers_and_version_pinned_from_metadata(version: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"type": "admin", "id": "1"})

    client = _client(FACADES[version.name], handler)
    client.admins.identify()
    client.admins.identify(extra_headers={"Intercom-Version": "override"})
    first, second = seen
    meta = importlib.import_module(f"{version.package}._metadata")
    assert first.headers["Intercom-Version"] == meta.VERSION_HEADER == version.header
    assert first.headers["Authorization"] == "Bearer tok_secret"
    assert first.headers["Accept"] == "application/json"
    assert first.headers["User-Agent"].startswith("intercom-sdk-python/")
    assert second.headers["Intercom-Version"] == "override"


# -- pagination: a server for each style --------------------------------------------------------

PAGES = 3
PER_PAGE = 2


def _page_number(style: str, request: httpx.Request) -> int:
    if style == "SEARCH":
        cursor = (json.loads(request.content or b"{}").get("pagination") or {}).get("starting_after")
        return int(cursor[1:]) if cursor else 1
    if style == "CURSOR":
        cursor = request.url.params.get("starting_after")
        return int(cursor[1:]) if cursor else 1
    if style == "SCROLL":
        scroll = request.url.params.get("scroll_param")
        return int(scroll[1:]) + 1 if scroll else 1
    return int(request.url.params.get("page", "1"))


def _page_body(style: str, items_key: str, n: int, path: str) -> dict[str, Any]:
    ids = [] if n > PAGES else [f"{n}-{i}" for i in range(PER_PAGE)]
    # items of the declared kind: objects, or strings where the spec lists strings (event types)
    items: list[Any] = ids if items_key in STRING_ITEMS else [{"type": "thing", "id": i} for i in ids]
    body: dict[str, Any] = {"type": "list", items_key: items}
    if style in ("CURSOR", "SEARCH"):
        body["pages"] = {"type": "pages", "page": n, "per_page": PER_PAGE, "total_pages": PAGES}
        if n < PAGES:
            body["pages"]["next"] = {"per_page": PER_PAGE, "starting_after": f"c{n + 1}"}
    elif style == "PAGE":
        body["pages"] = {"type": "pages", "page": n, "per_page": PER_PAGE, "total_pages": PAGES}
        if n < PAGES:
            body["pages"]["next"] = f"https://api.intercom.io{path}?page={n + 1}&per_page={PER_PAGE}"
    else:  # SCROLL
        body["scroll_param"] = f"s{n}"
    return body


def _call_args(method: Any, version: str, http_method: str, path: str) -> tuple[list[Any], dict[str, Any]]:
    """The required arguments of a facade method, from the spec's examples (as the contract
    suite builds them): path ids positional, the rest keywords."""
    call = build_call(repaired_spec(version), path, http_method.lower(), method)
    return call.args, call.kwargs


STRING_ITEMS = {"event_types"}


def _item_id(item: Any) -> Any:
    if isinstance(item, str):
        return item
    return item.to_dict()["id"] if hasattr(item, "to_dict") else item["id"]


EXPECTED = [f"{n}-{i}" for n in range(1, PAGES + 1) for i in range(PER_PAGE)]


def _handler(style: str, items_key: str, path: str, calls: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=_page_body(style, items_key, _page_number(style, request), path))

    return handler


@pytest.mark.parametrize("version, op", PAGED, ids=[f"{v} {op.resource}.{op.verb}" for v, op in PAGED])
def test_list_operation_serves_every_item_once_across_pages_sync(version: str, op: tuple[Any, ...]) -> None:
    resource, verb, http_method, path, style, items_key, *_docs = op
    facade = FACADES[version]
    calls: list[httpx.Request] = []
    client = _client(facade, _handler(style, items_key, path, calls))
    method = getattr(getattr(client, resource), verb)
    args, kwargs = _call_args(method, version, http_method, path)
    pager = method(*args, **kwargs)
    assert calls == [], "pagers fetch lazily"
    assert [_item_id(item) for item in pager] == EXPECTED
    assert len(calls) == PAGES + (1 if style == "SCROLL" else 0)
    pages = list(method(*args, **kwargs).pages())
    assert [type(p).__name__ for p in pages] == [type(pages[0]).__name__] * PAGES
    assert [_item_id(i) for i in method(*args, max_items=3, **kwargs)] == EXPECTED[:3]


@pytest.mark.parametrize("version, op", PAGED, ids=[f"{v} {op.resource}.{op.verb}" for v, op in PAGED])
def test_list_operation_serves_every_item_once_across_pages_async(version: str, op: tuple[Any, ...]) -> None:
    resource, verb, http_method, path, style, items_key, *_docs = op
    facade = FACADES[version]
    calls: list[httpx.Request] = []

    async def run() -> list[Any]:
        async with _client(facade, _handler(style, items_key, path, calls), is_async=True) as client:
            method = getattr(getattr(client, resource), verb)
            args, kwargs = _call_args(method, version, http_method, path)
            return [_item_id(item) async for item in method(*args, **kwargs)]

    assert asyncio.run(run()) == EXPECTED


# -- plain calls -------------------------------------------------------------------------------


def test_get_returns_typed_model_and_404_raises_typed_error() -> None:
    from intercom_ext import v2_11

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/missing"):
            body = {
                "type": "error.list",
                "request_id": "req-1",
                "errors": [{"code": "not_found", "message": "Gone"}],
            }
            return httpx.Response(404, json=body)
        return httpx.Response(200, json={"type": "contact", "id": "c1", "email": "a@b.c"})

    client = _client(FACADES["2.11"], handler)
    contact = client.contacts.get("c1")
    assert isinstance(contact, v2_11.models.Contact)
    assert contact.email == "a@b.c"
    with pytest.raises(NotFoundError) as err:
        client.contacts.get("missing")
    assert err.value.status_code == 404 and err.value.request_id == "req-1"


def test_body_from_keywords_nested_dicts_or_models_and_clear_errors() -> None:
    from intercom_ext import v2_11

    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"type": "contact", "id": "c1"})

    client = _client(FACADES["2.11"], handler)
    client.contacts.create(email="new@x.io", name="New")
    query = v2_11.models.SingleFilterSearchRequest(field="email", operator="=", value="m@x.io")
    list(client.contacts.search(query=query, max_pages=1))
    list(client.contacts.search(query={"field": "email", "operator": "=", "value": "m@x.io"}, max_pages=1))
    assert bodies == [{"email": "new@x.io", "name": "New"}, *[{"query": query.to_dict()}] * 2]
    # A field the body requires, left out: refused before anything is sent.
    with pytest.raises(TypeError, match=r"create\(\) missing 1 required keyword-only argument: 'body'"):
        client.notes.create("c1", admin_id="a1")  # type: ignore[call-arg]
    assert len(bodies) == 3


def test_raw_response_gives_status_headers_and_parsed_model() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"type": "contact", "id": "c1"}, headers={"X-Request-Id": "r-9"})

    raw = _client(FACADES["2.11"], handler).with_raw_response.contacts.get("c1")
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200 and raw.headers["X-Request-Id"] == "r-9"
    assert raw.parsed.id == "c1"


def test_one_front_door_no_generated_client() -> None:
    """The generator's own client (``client.py``, ``api/``) is not generated; every request goes
    through the facade and the runtime."""
    from intercom_ext import v2_11

    client = v2_11.Intercom(token="tok_secret", region="eu")
    assert not hasattr(client, "generated") and not hasattr(client, "request_raw")
    for name in ("client", "errors", "api"):
        with pytest.raises(ImportError):
            importlib.import_module(f"intercom_v2_11.{name}")
    assert v2_11.models.Contact is importlib.import_module("intercom_v2_11.models").Contact


def test_mypy_sees_facade_signatures_and_return_types(tmp_path: Any) -> None:
    """A wrong keyword, a wrong body type and a wrong use of the result are type errors."""
    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from intercom_ext import v2_11\n"
        "client = v2_11.Intercom(token='t')\n"
        "client.contacts.get('c1', contact_idd='x')\n"
        "client.contacts.create(email=v2_11.models.Contact())\n"
        "for c in client.contacts.list():\n"
        "    c.no_such_attribute\n"
        "reveal_type(client.contacts.get('c1'))\n"
    )
    stdout, _stderr, status = api.run([str(snippet), "--no-error-summary", "--hide-error-context"])
    assert status == 1
    assert 'Unexpected keyword argument "contact_idd"' in stdout
    assert 'Argument "email" to "create" of "ContactsResource" has incompatible type "Contact"' in stdout
    assert '"Contact" has no attribute "no_such_attribute"' in stdout
    assert 'Revealed type is "intercom_v2_11.models.contact.Contact"' in stdout


def test_redirect_success_returns_location_and_text_success_sends_its_accept() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/recording"):
            return httpx.Response(302, headers={"Location": "https://files.example/rec.mp3?sig=1"})
        return httpx.Response(200, text="[00:01] Hello", headers={"Content-Type": "text/plain"})

    client = _client(FACADES["Preview"], handler)
    assert client.calls.get_recording("c1") == "https://files.example/rec.mp3?sig=1"
    assert len(seen) == 1, "the redirect is not followed"
    assert client.calls.get_transcript("c1") == "[00:01] Hello"
    assert seen[-1].headers["Accept"] == "text/plain"


def test_enum_fields_take_the_member_or_its_value_and_send_the_value() -> None:
    from intercom_ext import v2_11

    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"type": "list", "data": []})

    client = _client(FACADES["2.11"], handler)
    Filter = v2_11.models.SingleFilterSearchRequest
    Operator = v2_11.models.SingleFilterSearchRequestOperator
    list(client.contacts.search(query=Filter(field="email", operator="=", value="a")))
    list(client.contacts.search(query=Filter(field="email", operator=Operator.NOT_CONTAINS, value="a")))
    assert [b["query"]["operator"] for b in bodies] == ["=", "!~"]
    assert Operator("=") is Operator.EQ


def test_raw_response_of_a_list_operation_is_its_first_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {
            "type": "list",
            "data": [{"type": "contact", "id": "c1"}],
            "pages": {"next": {"starting_after": "x"}},
        }
        return httpx.Response(200, json=body, headers={"X-Request-Id": "r-1"})

    raw = _client(FACADES["2.11"], handler).with_raw_response.contacts.list(per_page=1)
    assert raw.status_code == 200 and raw.request_id == "r-1"
    assert [c.id for c in raw.parsed.data] == ["c1"]
    assert len(seen) == 1 and seen[0].url.params["per_page"] == "1"


def test_an_enum_query_parameter_takes_its_value_as_a_string() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"type": "list", "data": []})

    client = _client(FACADES["2.11"], handler)
    list(client.data_attributes.list(model="contact"))
    assert seen[0].url.params["model"] == "contact"
