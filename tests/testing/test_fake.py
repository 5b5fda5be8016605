"""FakeIntercom as a user's tests see it: state, pagination, search, errors, limits, faults, records."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fake_calls import (
    TOKEN,
    admin_reply,
    call,
    contact_reply,
    data_attribute,
    http,
    manage,
    search,
    set_custom,
    start_conversation,
    tag_contact,
)

from intercom_ext import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    v2_11,
    v2_14,
    v2_16,
)
from intercom_ext.testing import FakeClock, FakeIntercom, free_port, newest_stable_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> FakeIntercom:
    with FakeIntercom(version="2.11") as f:
        yield f


@pytest.fixture
def client(fake: FakeIntercom) -> v2_11.Intercom:
    with v2_11.Intercom(token=TOKEN, base_url=fake.url, max_retries=0) as c:
        yield c


# -- contacts ---------------------------------------------------------------------------------------


def test_contacts_are_stateful_and_updates_are_partial(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    ada = client.contacts.create(email="ada@example.com", name="Ada", phone="+44 1")
    assert client.contacts.get(ada.id).email == "ada@example.com"
    updated = client.contacts.update(ada.id, name="Ada Lovelace")
    assert (updated.name, updated.email, updated.phone) == ("Ada Lovelace", "ada@example.com", "+44 1")
    assert client.contacts.get(ada.id).name == "Ada Lovelace"
    client.contacts.delete(ada.id)
    with pytest.raises(NotFoundError) as err:
        client.contacts.get(ada.id)
    assert err.value.errors[0].code == "not_found"
    assert err.value.request_id


def test_a_duplicate_email_is_a_409(client: v2_11.Intercom) -> None:
    first = client.contacts.create(email="ada@example.com")
    with pytest.raises(ConflictError) as err:
        client.contacts.create(email="ada@example.com")
    assert first.id in str(err.value)


def test_custom_attributes_are_checked_against_data_attributes(
    fake: FakeIntercom, client: v2_11.Intercom
) -> None:
    ada = client.contacts.create(email="ada@example.com")
    unknown = set_custom(fake, ada.id, plan="pro")
    assert unknown.status_code == 400
    assert "plan" in unknown.json()["errors"][0]["message"]
    data_attribute(fake, "plan")
    data_attribute(fake, "seats", "integer")
    assert set_custom(fake, ada.id, plan="pro").status_code == 200
    assert set_custom(fake, ada.id, seats="three").status_code == 422
    assert set_custom(fake, ada.id, seats=3).status_code == 200
    assert client.contacts.get(ada.id).custom_attributes.to_dict() == {"plan": "pro", "seats": 3}


def test_merge_moves_a_lead_into_a_user(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    lead = client.contacts.create(role="lead", phone="+1 555")
    user = client.contacts.create(email="ada@example.com")
    tag_contact(fake, lead.id, "trial")
    merged = call(fake, "POST", "/contacts/merge", {"from": lead.id, "into": user.id}).json()
    assert (merged["id"], merged["phone"], merged["tags"]["total_count"]) == (user.id, "+1 555", 1)
    assert call(fake, "GET", f"/contacts/{lead.id}").status_code == 404


# -- pagination, scroll -----------------------------------------------------------------------------


def test_cursor_pages_walk_every_contact_once(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    fake.seed(contacts=23)
    pages = list(client.contacts.list(per_page=10).pages())
    assert [len(p.data) for p in pages] == [10, 10, 3]
    ids = [c.id for c in client.contacts.list(per_page=10)]
    assert len(ids) == len(set(ids)) == 23
    cursors = [r.query.get("starting_after") for r in fake.requests if r.operation == "contacts.list"]
    assert cursors[0] is None and all(cursors[1:3])


def test_page_number_lists_and_the_scroll(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    fake.seed(companies=120)
    assert len(list(client.companies.list(per_page=50))) == 120
    assert [r.query.get("page") for r in fake.requests if r.operation == "companies.list"] == [None, "2", "3"]
    assert len({c.id for c in client.companies.scroll()}) == 120


def test_a_second_scroll_while_one_is_open_is_scroll_exists_until_it_expires() -> None:
    clock = FakeClock()
    with FakeIntercom(version="2.11", clock=clock) as fake:
        fake.seed(companies=60)
        first = call(fake, "GET", "/companies/scroll").json()
        assert len(first["data"]) == 50
        second = call(fake, "GET", "/companies/scroll")
        assert (second.status_code, second.json()["errors"][0]["code"]) == (400, "scroll_exists")
        clock.advance(61)
        assert call(fake, "GET", "/companies/scroll", scroll_param=first["scroll_param"]).status_code == 404
        assert call(fake, "GET", "/companies/scroll").status_code == 200


# -- search -----------------------------------------------------------------------------------------


def _emails(result: dict[str, object]) -> list[str]:
    return sorted(c["email"] for c in result["data"])  # type: ignore[attr-defined, index]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"field": "email", "operator": "=", "value": "ada@example.com"}, ["ada@example.com"]),
        ({"field": "email", "operator": "!=", "value": "ada@example.com"}, ["bob@corp.io", "cy@example.com"]),
        ({"field": "name", "operator": "IN", "value": ["Ada", "Cy"]}, ["ada@example.com", "cy@example.com"]),
        ({"field": "name", "operator": "NIN", "value": ["Ada", "Cy"]}, ["bob@corp.io"]),
        ({"field": "created_at", "operator": ">", "value": 1_700_000_100}, ["bob@corp.io", "cy@example.com"]),
        ({"field": "created_at", "operator": "<", "value": 1_700_000_100}, ["ada@example.com"]),
        ({"field": "email", "operator": "~", "value": "EXAMPLE"}, ["ada@example.com", "cy@example.com"]),
        ({"field": "email", "operator": "!~", "value": "example"}, ["bob@corp.io"]),
        ({"field": "email", "operator": "^", "value": "bo"}, ["bob@corp.io"]),
        ({"field": "email", "operator": "$", "value": ".io"}, ["bob@corp.io"]),
        ({"field": "custom_attributes.plan", "operator": "=", "value": "pro"}, ["cy@example.com"]),
        (
            {
                "operator": "OR",
                "value": [
                    {"field": "name", "operator": "=", "value": "Ada"},
                    {
                        "operator": "AND",
                        "value": [
                            {"field": "email", "operator": "$", "value": ".io"},
                            {"field": "role", "operator": "=", "value": "user"},
                        ],
                    },
                ],
            },
            ["ada@example.com", "bob@corp.io"],
        ),
    ],
)
def test_the_search_query_language(query: dict[str, object], expected: list[str]) -> None:
    with FakeIntercom(version="2.11", clock=lambda: 1_700_000_000) as fake:
        data_attribute(fake, "plan")
        fake.seed(
            contacts=[
                {"email": "ada@example.com", "name": "Ada", "created_at": 1_700_000_000},
                {"email": "bob@corp.io", "name": "Bob", "created_at": 1_700_000_200},
                {
                    "email": "cy@example.com",
                    "name": "Cy",
                    "created_at": 1_700_000_300,
                    "custom_attributes": {"plan": "pro"},
                },
            ]
        )
        assert _emails(search(fake, "contacts", query)) == expected


def test_search_pages_sorts_and_rejects_bad_queries(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    fake.seed(contacts=7)
    models = v2_11.models
    query = models.SingleFilterSearchRequest(
        field="email", operator=models.SingleFilterSearchRequestOperator("~"), value="example.com"
    )
    found = list(client.contacts.search(query=query, pagination=models.StartingAfterPaging(per_page=3)))
    assert len({c.id for c in found}) == 7
    assert [r.body["pagination"].get("starting_after") is None for r in fake.requests[-3:]] == [
        True,
        False,
        False,
    ]
    everyone = {"field": "email", "operator": "~", "value": "@"}
    ordered = search(fake, "contacts", everyone, sort={"field": "created_at", "order": "descending"})
    stamps = [c["created_at"] for c in ordered["data"]]
    assert stamps == sorted(stamps, reverse=True) and ordered["total_count"] == 7
    bad = call(
        fake, "POST", "/contacts/search", {"query": {"field": "email", "operator": "LIKE", "value": "x"}}
    )
    assert bad.status_code == 400 and "LIKE" in bad.json()["errors"][0]["message"]


# -- conversations, tags, tickets -------------------------------------------------------------------


def test_reply_assign_snooze_and_close_a_conversation(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    ada = client.contacts.create(email="ada@example.com")
    cid = start_conversation(fake, ada.id, "My invoice is wrong")
    admin_reply(fake, cid, "Looking into it")
    assert manage(fake, cid, "assignment", assignee_id="2").status_code == 200
    snooze_until = int(fake.clock()) + 3600
    assert manage(fake, cid, "snoozed", snoozed_until=snooze_until).json()["state"] == "snoozed"
    reopened = contact_reply(fake, cid, ada.id, "Any news?")
    assert reopened["state"] == "open"
    closed = manage(fake, cid, "close", body="Fixed")
    assert closed.json()["state"] == "closed"
    conversation = client.conversations.get(cid)
    assert (conversation.state, conversation.admin_assignee_id, conversation.open_) == ("closed", 2, False)
    parts = [(p.part_type, p.author.type_) for p in conversation.conversation_parts.conversation_parts]
    assert parts == [
        ("comment", "admin"),
        ("assignment", "admin"),
        ("snoozed", "admin"),
        ("comment", "user"),
        ("close", "admin"),
    ]
    state = {"field": "state", "operator": "=", "value": "closed"}
    assert [c["id"] for c in search(fake, "conversations", state)["conversations"]] == [cid]
    assert manage(fake, cid, "snoozed", snoozed_until=1).status_code == 400


def test_tags_on_contacts_conversations_and_tickets(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    ada = client.contacts.create(email="ada@example.com")
    tag_id = tag_contact(fake, ada.id, "vip")
    assert [t.name for t in client.contacts.list_tags(ada.id)] == ["vip"]
    cid = start_conversation(fake, ada.id, "Hi")
    assert (
        call(fake, "POST", f"/conversations/{cid}/tags", {"id": tag_id, "admin_id": "1"}).status_code == 200
    )
    ticket = call(
        fake, "POST", "/tickets", {"ticket_type_id": "1", "contacts": [{"email": "ada@example.com"}]}
    )
    tid = ticket.json()["id"]
    tagged = call(fake, "POST", f"/tickets/{tid}/tags", {"id": tag_id, "admin_id": "1"}).json()
    assert tagged["applied_by"] == {"type": "admin", "id": "1"}
    assert search(fake, "contacts", {"field": "tag_id", "operator": "=", "value": tag_id})["total_count"] == 1
    assert client.conversations.get(cid).tags.tags[0].name == "vip"
    untag = call(fake, "DELETE", f"/contacts/{ada.id}/tags/{tag_id}")
    assert untag.status_code == 200 and list(client.contacts.list_tags(ada.id)) == []


def test_tickets_states_and_replies_2_14() -> None:
    with FakeIntercom(version="2.14") as fake, v2_14.Intercom(token=TOKEN, base_url=fake.url) as client:
        ada = client.contacts.create(email="ada@example.com")
        ticket = client.tickets.create(ticket_type_id="1", contacts=[{"id": ada.id}])  # type: ignore[list-item]
        states = {s["category"]: s["id"] for s in call(fake, "GET", "/ticket_states").json()["data"]}
        client.tickets.update(ticket.id, ticket_state_id=states["resolved"])
        assert client.tickets.get(ticket.id).ticket_state.category == "resolved"
        reply = call(
            fake,
            "POST",
            f"/tickets/{ticket.id}/reply",
            {"message_type": "note", "type": "admin", "admin_id": "1", "body": "Done"},
        )
        assert reply.json()["part_type"] == "note"
        found = search(fake, "tickets", {"field": "state", "operator": "=", "value": "resolved"})
        assert [t["id"] for t in found["tickets"]] == [ticket.id]


def test_admins_teams_and_notes(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    assert client.admins.identify().name == "Ada Admin"
    assert [a.id for a in client.admins.list()] == ["1", "2"]
    assert [t.name for t in client.teams.list()] == ["Support"]
    ada = client.contacts.create(email="ada@example.com")
    call(fake, "POST", f"/contacts/{ada.id}/notes", {"body": "Called her", "admin_id": "2"})
    notes = list(client.notes.list(ada.id))
    assert [(n.body, n.author.name) for n in notes] == [("Called her", "Bob Admin")]


# -- errors, auth, version, rate limits -------------------------------------------------------------


def test_token_and_version_are_checked(fake: FakeIntercom) -> None:
    with http(fake, Authorization="") as anonymous:
        denied = anonymous.get("/contacts")
    assert denied.status_code == 401
    assert denied.json()["type"] == "error.list"
    assert denied.headers["x-request-id"] == denied.json()["request_id"]
    with http(fake, **{"Intercom-Version": "2.14"}) as other:
        wrong = other.get("/contacts")
    assert wrong.status_code == 400 and "2.11" in wrong.json()["errors"][0]["message"]
    with FakeIntercom(version="2.11", token="the-right-one") as strict:
        with pytest.raises(AuthenticationError):
            v2_11.Intercom(token="another", base_url=strict.url).admins.identify()
        assert v2_11.Intercom(token="the-right-one", base_url=strict.url).admins.identify().id == "1"


def test_unmodelled_operations_answer_501_naming_the_operation(client: v2_11.Intercom) -> None:
    with pytest.raises(APIStatusError) as err:
        list(client.segments.list())
    assert err.value.status_code == 501
    assert "segments.list" in str(err.value)


def test_rate_limit_windows_and_headers() -> None:
    clock = FakeClock(1_700_000_000)
    with FakeIntercom(version="2.11", rate_limit=(3, 10), clock=clock) as fake:
        client = v2_11.Intercom(token=TOKEN, base_url=fake.url, max_retries=0)
        remaining = [
            client.with_raw_response.admins.identify().headers["X-RateLimit-Remaining"] for _ in range(3)
        ]
        assert remaining == ["2", "1", "0"]
        with pytest.raises(RateLimitError) as err:
            client.admins.identify()
        assert err.value.response.headers["X-RateLimit-Reset"] == "1700000010"
        clock.advance(10)
        assert client.admins.identify().id == "1"


# -- faults, records, seed, reset -------------------------------------------------------------------


def test_faults_for_the_next_requests_and_a_share() -> None:
    with FakeIntercom(version="2.11") as fake:
        client = v2_11.Intercom(token=TOKEN, base_url=fake.url, max_retries=0)
        fake.fail(503, times=2)
        statuses = [call(fake, "GET", "/me").status_code for _ in range(3)]
        assert statuses == [503, 503, 200]
        fake.drop(times=1)
        with pytest.raises(APIConnectionError):
            client.admins.identify()
        assert fake.requests[-1].status == 0
        fake.fail(429, times=None, share=0.5, path="/me", retry_after=2)
        answers = [call(fake, "GET", "/me") for _ in range(40)]
        limited = [a for a in answers if a.status_code == 429]
        assert 5 < len(limited) < 35 and limited[0].headers["retry-after"] == "2"
        assert call(fake, "GET", "/teams").status_code == 200  # another path: untouched
        fake.clear_faults()
        assert call(fake, "GET", "/me").status_code == 200


def test_a_retrying_client_gets_through_injected_errors(fake: FakeIntercom) -> None:
    fake.fail(500, times=2)
    slept: list[float] = []
    client = v2_11.Intercom(token=TOKEN, base_url=fake.url, max_retries=3, sleep=slept.append)
    assert client.admins.identify().id == "1"
    assert [r.status for r in fake.requests] == [500, 500, 200] and len(slept) == 2


def test_requests_are_recorded_without_the_token(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    client.contacts.create(email="ada@example.com", name="Ada")
    [request] = fake.requests
    assert (request.method, request.path, request.operation, request.status) == (
        "POST",
        "/contacts",
        "contacts.create",
        200,
    )
    assert request.body == {"email": "ada@example.com", "name": "Ada"}
    assert request.headers["Intercom-Version"] == "2.11"
    assert TOKEN not in repr(fake.requests) and not any(k.lower() == "authorization" for k in request.headers)
    assert TOKEN not in repr(fake)


def test_seed_is_deterministic_and_reset_starts_again() -> None:
    def emails(fake: FakeIntercom) -> list[str]:
        return [c["email"] for c in call(fake, "GET", "/contacts", per_page=150).json()["data"]]

    with FakeIntercom(version="2.11", seed=7) as a, FakeIntercom(version="2.11", seed=7) as b:
        a.seed(contacts=5, companies=2, conversations=3, tickets=2)
        b.seed(contacts=5, companies=2, conversations=3, tickets=2)
        assert emails(a) == emails(b) and len(emails(a)) == 5
        assert call(a, "GET", "/conversations").json()["total_count"] == 3
        a.reset()
        assert a.requests == [] and emails(a) == [] and call(a, "GET", "/admins").status_code == 200
        a.seed(contacts=[{"email": "ada@example.com", "name": "Ada"}])
        assert emails(a) == ["ada@example.com"]


def test_an_async_client_and_the_default_version() -> None:
    assert newest_stable_version() == "2.16"

    async def run(url: str) -> list[str]:
        async with v2_16.AsyncIntercom(token=TOKEN, base_url=url) as client:
            await asyncio.gather(*(client.contacts.create(email=f"u{i}@example.com") for i in range(10)))
            # contacts.list takes no per_page since 2.14 (the SDK refuses it); pages of 4 via extra_query
            return [c.email async for c in client.contacts.list(extra_query={"per_page": 4})]

    with FakeIntercom() as fake:
        assert fake.version == "2.16"
        assert len(asyncio.run(run(fake.url))) == 10


def test_another_process_uses_the_fake_through_the_cli(fake: FakeIntercom, tmp_path: Path) -> None:
    fake.seed(contacts=3)
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": TOKEN}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "intercom_ext",
            "call",
            "contacts",
            "list",
            "--version",
            "2.11",
            "--base-url",
            fake.url,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert len(json.loads(out.stdout)) == 3


def test_a_fixed_port_and_the_free_port_helper() -> None:
    port = free_port()
    with FakeIntercom(version="2.11", port=port) as fake:
        assert fake.url == f"http://127.0.0.1:{port}"
        assert httpx.get(f"{fake.url}/me", headers={"Authorization": "Bearer x"}).status_code == 200
    with pytest.raises(RuntimeError):
        _ = fake.url
    with pytest.raises(ValueError, match=r"2\.11"):
        FakeIntercom(version="1.0")


def test_the_export_runs_against_the_fake(fake: FakeIntercom, client: v2_11.Intercom) -> None:
    fake.seed(contacts=40, companies=30)
    exported = list(client.contacts.export(concurrency=2, per_page=15))
    assert len({c.id for c in exported}) == 40
    assert len({c.id for c in client.companies.export()}) == 30
    with pytest.raises(RequestValidationError):  # the SDK refuses an unknown operator before sending
        client.contacts.search(query={"field": "x", "operator": "?", "value": 1}).first_page()  # type: ignore[arg-type]
    bad = call(fake, "POST", "/contacts/search", {"query": {"field": "x", "operator": "?", "value": 1}})
    assert bad.status_code == 400  # and so does the fake, as Intercom does
