"""Realistic flows per API version through the public client, recorded from Prism into cassettes.

``make test`` replays ``tests/cassettes/test_cassettes/*.yaml`` with the network blocked (no server
runs); ``make record`` (``pytest tests/test_cassettes.py --record-mode=rewrite``) starts one Prism per
version from the repaired spec and re-records them. Flows: list + paginate contacts, create a contact
then a note on it, search conversations, scroll companies, tag a contact, a 404 and a 422.

Prism answers from the spec's examples; two flows ask for more with a header, as a client may:
``Prefer: dynamic=true`` makes Prism generate a contact page with a ``next`` cursor (started with
``--seed`` so the recording is reproducible), ``Prefer: code=404`` selects the documented 404. The
422 is Prism's own verdict on a request that violates the spec (``per_page`` above its maximum).

The cassettes never hold the token: ``Authorization`` is not recorded and every other occurrence of
the token is replaced before writing (``test_cassettes_secrets.py`` scans them).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from intercom_ext import NotFoundError, UnprocessableEntityError
from intercom_ext._versions import VERSIONS as MANIFEST_VERSIONS

#: The token the cassettes were recorded with (the mock accepts any bearer token).
RECORDING_TOKEN = "tok_cassette_recording_Zm9vYmFyYmF6"
#: Replay never connects (the network is blocked); the port is not part of request matching.
REPLAY_BASE_URL = "http://127.0.0.1:4010"
#: Seed for Prism's generated (``Prefer: dynamic=true``) answers; chosen so that every version's
#: first generated contact page has contacts and a ``next`` cursor.
PRISM_SEED = "2"
REDACTED = "<redacted>"

#: Every manifest version (``intercom_ext._versions`` is written from openapi/versions.toml), through
#: its ``intercom_ext`` module; a version without cassettes fails until ``make record`` records them.
FACADES: dict[str, ModuleType] = {
    v.name: importlib.import_module(f"intercom_ext.{v.module}") for v in MANIFEST_VERSIONS
}
VERSIONS = list(FACADES)

pytestmark = [pytest.mark.vcr, pytest.mark.block_network]


def _scrub(text: str) -> str:
    return text.replace(RECORDING_TOKEN, REDACTED)


def scrub_request(request: Any) -> Any:
    request.uri = _scrub(request.uri)
    if isinstance(request.body, bytes):
        request.body = request.body.replace(RECORDING_TOKEN.encode(), REDACTED.encode())
    elif isinstance(request.body, str):
        request.body = _scrub(request.body)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    body = response.get("body") or {}
    if isinstance(body.get("string"), bytes):
        body["string"] = body["string"].replace(RECORDING_TOKEN.encode(), REDACTED.encode())
    headers = response.get("headers") or {}
    for name, values in list(headers.items()):
        headers[name] = [_scrub(v) if isinstance(v, str) else v for v in values]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization"],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        # Not the port: it is a free port while recording and never connected to while replaying.
        "match_on": ["method", "scheme", "host", "path", "query", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def base_urls(record_mode: str) -> Iterator[dict[str, str]]:
    """Replaying: a loopback URL nobody listens on. Recording: one seeded Prism per version."""
    if record_mode == "none":
        yield dict.fromkeys(VERSIONS, REPLAY_BASE_URL)
        return

    from tests.contract.prism_server import start_all  # recording only (it needs the dev tools)

    servers = start_all(VERSIONS, seed=PRISM_SEED)
    try:
        yield {name: server.base_url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(version: str, base_urls: dict[str, str]) -> Iterator[Any]:
    with FACADES[version].Intercom(token=RECORDING_TOKEN, base_url=base_urls[version], max_retries=0) as c:
        yield c


def assert_all_played(cassette: Any) -> None:
    """Replaying: every recorded exchange was used (recording plays nothing)."""
    if not cassette.write_protected:
        return
    assert cassette.all_played, f"unused recorded requests in {cassette._path}"


def _played_uris(cassette: Any) -> list[str]:
    return [str(r.uri) for r in cassette.requests]


def test_list_and_paginate_contacts(version: str, client: Any, vcr: Any) -> None:
    models = FACADES[version].models
    pager = client.contacts.list(max_pages=3, extra_headers={"Prefer": "dynamic=true"})
    pages = list(pager.pages())
    assert len(pages) >= 2, "the recorded first page has a next cursor, so a second page is fetched"
    assert all(isinstance(page, models.ContactList) for page in pages)
    contacts = [c for page in pages for c in page.data]
    assert contacts and all(isinstance(c, models.Contact) for c in contacts)
    cursor = pages[0].pages.next_.starting_after
    queries = [parse_qs(urlsplit(uri).query) for uri in _played_uris(vcr)]
    assert "starting_after" not in queries[0]
    assert queries[1]["starting_after"] == [cursor]
    assert_all_played(vcr)


def test_create_contact_then_note(version: str, client: Any, vcr: Any) -> None:
    models = FACADES[version].models
    contact = client.contacts.create(email="ada@example.com", name="Ada Lovelace", role="user")
    assert isinstance(contact, models.Contact) and contact.id
    note = client.notes.create(contact.id, body="<p>Met at the conference</p>")
    assert isinstance(note, models.Note)
    assert note.body
    assert f"/contacts/{contact.id}/notes" in _played_uris(vcr)[1]
    assert_all_played(vcr)


def test_search_conversations(version: str, client: Any, vcr: Any) -> None:
    models = FACADES[version].models
    query = models.SingleFilterSearchRequest(
        field="state", operator=models.SingleFilterSearchRequestOperator("="), value="open"
    )
    found = list(
        client.conversations.search(
            query=query, pagination=models.StartingAfterPaging(per_page=2), max_pages=2
        )
    )
    assert found
    assert all(hasattr(c, "to_dict") and c.id for c in found)
    assert_all_played(vcr)


def test_scroll_companies(version: str, client: Any, vcr: Any) -> None:
    models = FACADES[version].models
    pages = list(client.companies.scroll(max_pages=2).pages())
    assert len(pages) == 2 and all(isinstance(page, models.CompanyScroll) for page in pages)
    assert all(isinstance(c, models.Company) for page in pages for c in page.data)
    queries = [parse_qs(urlsplit(uri).query) for uri in _played_uris(vcr)]
    assert "scroll_param" not in queries[0]
    assert queries[1]["scroll_param"] == [pages[0].scroll_param]
    assert_all_played(vcr)


def test_tag_contact(version: str, client: Any, vcr: Any) -> None:
    models = FACADES[version].models
    tag = client.tags.attach_to_contact("63a07ddf05a32042dffac965", id="7522907")
    assert isinstance(tag, models.Tag) and tag.name
    assert_all_played(vcr)


def test_not_found_raises_typed_error(version: str, client: Any, vcr: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.companies.get_by_id("does-not-exist", extra_headers={"Prefer": "code=404"})
    err = caught.value
    assert err.status_code == 404
    assert err.errors and err.errors[0].code
    assert_all_played(vcr)


def test_request_the_api_rejects_raises_unprocessable(version: str, client: Any, vcr: Any) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        next(iter(client.conversations.list(per_page=500)))  # the spec's maximum is 150
    err = caught.value
    assert err.status_code == 422
    validation = err.response.json()["validation"]
    assert any(v["location"] == ["query", "per_page"] for v in validation), validation
    assert_all_played(vcr)
