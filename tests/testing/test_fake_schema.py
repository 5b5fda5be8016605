"""Every response FakeIntercom sends validates against its version's response schema.

A scenario drives every operation the fake models (plus its error answers) through plain HTTP for
each manifest version; each response is checked with jsonschema (OpenAPI 3.0 semantics, the same
validator the spec repairs use) against the schema the repaired spec gives for that operation and
status (an undocumented error status against the spec's ``error`` schema). The scenario must reach
every modelled operation of the version.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from codegen.repairs.contradicting_examples import schema_errors
from intercom_ext import _versions
from intercom_ext.testing import FakeIntercom
from intercom_ext.testing._fake import _shape
from intercom_ext.testing._workspace import HANDLERS
from tests._specs import repaired_spec

VERSIONS = [v.name for v in _versions.VERSIONS]


class CapturingFake(FakeIntercom):
    """Keeps (method, path template, status, JSON body) of every answer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: list[tuple[str, str, int, Any]] = []

    def handle(self, method: str, target: str, headers: Any, raw_body: bytes) -> Any:
        status, out, payload = super().handle(method, target, headers, raw_body)
        route, _, _ = self._route(method, target.split("?")[0])
        template = route.template if route is not None else target
        self.answers.append((method, template, status, json.loads(payload) if payload else None))
        return status, out, payload


def _response_schema(spec: dict[str, Any], method: str, template: str, status: int) -> Any:
    op = spec["paths"].get(template, {}).get(method.lower())
    if op is None:
        return None
    response = op["responses"].get(str(status))
    if response is None:
        if status >= 400:
            return {"$ref": "#/components/schemas/error"}
        raise AssertionError(f"{method} {template}: status {status} is not documented")
    media = (response.get("content") or {}).get("application/json")
    return media.get("schema") if media else None


def scenario(fake: FakeIntercom) -> None:
    h = {"Authorization": "Bearer test-token", "Intercom-Version": fake.header}
    with httpx.Client(base_url=fake.url, headers=h) as http:
        ops = {(o.method, _shape(o.template)) for o in fake._routes if o.handler is not None}

        def call(method: str, path: str, body: Any = None, **params: Any) -> Any:
            response = http.request(method, path, json=body, params=params)
            return response.json() if response.content else None

        def has(method: str, template: str) -> bool:
            return (method, _shape(template)) in ops

        call("POST", "/data_attributes", {"name": "plan", "model": "contact", "data_type": "string"})
        attr = call("POST", "/data_attributes", {"name": "seats", "model": "company", "data_type": "integer"})
        call("PUT", f"/data_attributes/{attr['id']}", {"description": "Seats bought"})
        call("GET", "/data_attributes", model="contact")
        ada = call(
            "POST",
            "/contacts",
            {"email": "ada@example.com", "name": "Ada", "custom_attributes": {"plan": "pro"}},
        )
        call("POST", "/contacts", {"email": "ada@example.com"})  # 409
        call("POST", "/contacts", {"email": "x@example.com", "custom_attributes": {"nope": 1}})  # 400
        lead = call("POST", "/contacts", {"role": "lead", "name": "Lead"})
        bob = call("POST", "/contacts", {"email": "bob@example.com", "external_id": "ext-bob"})
        call("GET", f"/contacts/{ada['id']}")
        call("GET", "/contacts/missing")  # 404
        if has("GET", "/contacts/find_by_external_id/{external_id}"):
            call("GET", "/contacts/find_by_external_id/ext-bob")
        call("PUT", f"/contacts/{ada['id']}", {"name": "Ada L."})
        fake.seed(contacts=5, companies=3, conversations=2, tickets=1)
        page = call("GET", "/contacts", per_page=2)
        call("GET", "/contacts", per_page=2, starting_after=page["pages"]["next"]["starting_after"])
        query = {
            "operator": "AND",
            "value": [
                {"field": "email", "operator": "~", "value": "example.com"},
                {"field": "role", "operator": "=", "value": "user"},
            ],
        }
        call("POST", "/contacts/search", {"query": query, "pagination": {"per_page": 2}})
        call("POST", "/contacts/search", {"query": {"field": "email", "operator": "??", "value": 1}})  # 400
        call("POST", "/contacts/merge", {"from": lead["id"], "into": bob["id"]})
        call("POST", f"/contacts/{bob['id']}/archive")
        call("POST", f"/contacts/{bob['id']}/unarchive")
        company = call(
            "POST", "/companies", {"company_id": "acme", "name": "Acme", "custom_attributes": {"seats": 3}}
        )
        call("GET", f"/companies/{company['id']}")
        call("PUT", f"/companies/{company['id']}", {"name": "Acme Inc"} if fake.version != "2.11" else None)
        call("GET", "/companies", company_id="acme")
        call("GET", "/companies", per_page=2)
        call("POST", "/companies/list", per_page=2, page=1)
        scroll = call("GET", "/companies/scroll")
        call("GET", "/companies/scroll")  # 400 scroll_exists
        call("GET", "/companies/scroll", scroll_param=scroll["scroll_param"])
        call("POST", f"/contacts/{ada['id']}/companies", {"id": company["id"]})
        call("GET", f"/contacts/{ada['id']}/companies")
        call("GET", f"/companies/{company['id']}/contacts")
        call("DELETE", f"/contacts/{ada['id']}/companies/{company['id']}")
        tag = call("POST", "/tags", {"name": "vip"})
        call("GET", "/tags")
        call("GET", f"/tags/{tag['id']}")
        call("POST", f"/contacts/{ada['id']}/tags", {"id": tag["id"]})
        call("GET", f"/contacts/{ada['id']}/tags")
        call("GET", f"/contacts/{ada['id']}")
        call("DELETE", f"/contacts/{ada['id']}/tags/{tag['id']}")
        call("POST", f"/contacts/{ada['id']}/notes", {"body": "Called her", "admin_id": "1"})
        note_page = call("GET", f"/contacts/{ada['id']}/notes")
        call("GET", f"/notes/{note_page['data'][0]['id']}")
        call("GET", "/me")
        call("GET", "/admins")
        call("GET", "/admins/1")
        call("PUT", "/admins/1/away", {"away_mode_enabled": True, "away_mode_reassign": False})
        call("GET", "/teams")
        call("GET", "/teams/1")
        message = call("POST", "/conversations", {"from": {"type": "user", "id": ada["id"]}, "body": "Help"})
        cid = message["conversation_id"]
        call("GET", f"/conversations/{cid}")
        call("GET", "/conversations", per_page=1)
        call("PUT", f"/conversations/{cid}", {"read": True})
        call(
            "POST",
            f"/conversations/{cid}/reply",
            {"message_type": "comment", "type": "admin", "admin_id": "1", "body": "On it"},
        )
        call(
            "POST",
            f"/conversations/{cid}/reply",
            {"message_type": "comment", "type": "user", "intercom_user_id": ada["id"], "body": "Thanks"},
        )
        call(
            "POST",
            f"/conversations/{cid}/parts",
            {"message_type": "assignment", "type": "admin", "admin_id": "1", "assignee_id": "2"},
        )
        call(
            "POST",
            f"/conversations/{cid}/parts",
            {"message_type": "snoozed", "admin_id": "1", "snoozed_until": int(fake.clock()) + 3600},
        )
        call("POST", f"/conversations/{cid}/parts", {"message_type": "open", "admin_id": "1"})
        call(
            "POST", f"/conversations/{cid}/parts", {"message_type": "close", "type": "admin", "admin_id": "1"}
        )
        call("POST", f"/conversations/{cid}/tags", {"id": tag["id"], "admin_id": "1"})
        call(
            "POST", "/conversations/search", {"query": {"field": "state", "operator": "=", "value": "closed"}}
        )
        call("DELETE", f"/conversations/{cid}/tags/{tag['id']}", {"admin_id": "1"})
        call("GET", "/ticket_types")
        if has("GET", "/ticket_states"):
            call("GET", "/ticket_states")
        call("GET", "/ticket_types/1")
        call("POST", "/ticket_types", {"name": "Question", "description": "A question"})
        ticket = call(
            "POST",
            "/tickets",
            {
                "ticket_type_id": "1",
                "contacts": [{"id": ada["id"]}],
                "ticket_attributes": {"_default_title_": "Broken"},
            },
        )
        call("GET", f"/tickets/{ticket['id']}")
        call(
            "PUT",
            f"/tickets/{ticket['id']}",
            {"ticket_state_id": "2"} if has("GET", "/ticket_states") else {"state": "in_progress"},
        )
        call(
            "POST",
            f"/tickets/{ticket['id']}/reply",
            {"message_type": "comment", "type": "admin", "admin_id": "1", "body": "Looking"},
        )
        call("POST", f"/tickets/{ticket['id']}/tags", {"id": tag["id"], "admin_id": "1"})
        call("POST", "/tickets/search", {"query": {"field": "open", "operator": "=", "value": True}})
        call("DELETE", f"/tickets/{ticket['id']}/tags/{tag['id']}", {"admin_id": "1"})
        if has("DELETE", "/tickets/{ticket_id}"):
            call("DELETE", f"/tickets/{ticket['id']}")
        if has("DELETE", "/conversations/{conversation_id}"):
            call("DELETE", f"/conversations/{cid}")
        call("DELETE", f"/tags/{tag['id']}")
        call("DELETE", f"/companies/{company['id']}")
        call("DELETE", f"/contacts/{ada['id']}")
        call("GET", "/segments")  # 501: not modelled
        http.get("/contacts", headers={"Authorization": ""})  # 401
        http.get("/contacts", headers={"Intercom-Version": "1.0"})  # 400


@pytest.mark.parametrize("version", VERSIONS)
def test_every_response_validates_against_the_spec(version: str) -> None:
    spec = repaired_spec(version)
    with CapturingFake(version=version) as fake:
        scenario(fake)
    problems = []
    served = set()
    for method, template, status, body in fake.answers:
        if status == 501:
            assert body["errors"][0]["code"] == "not_implemented"
            continue
        served.add((method, template))
        schema = _response_schema(spec, method, template, status)
        if schema is None:
            assert body is None or status >= 400, (
                f"{method} {template} {status} sent a body the spec has no schema for"
            )
            if status >= 400:
                schema = {"$ref": "#/components/schemas/error"}
            else:
                continue
        for error in schema_errors(spec, schema, body)[:3]:
            problems.append(f"{method} {template} {status}: {error}")
    assert not problems, "\n".join(problems)
    modelled = {(o.method, o.template) for o in fake._routes if o.handler is not None}
    assert modelled - served == set(), f"the scenario misses {sorted(modelled - served)}"
    statuses = {status for *_, status, _ in fake.answers}
    assert {200, 400, 401, 404, 409, 501} <= statuses


def test_every_handler_is_an_operation_of_some_version() -> None:
    """A handler registered under a path no version has would never be reached."""
    known = set()
    for version in VERSIONS:
        known |= {(o.method, _shape(o.template)) for o in FakeIntercom(version=version)._routes}
    assert {(m, _shape(t)) for m, t in HANDLERS} - known == set()
