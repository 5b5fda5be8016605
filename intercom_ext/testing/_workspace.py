"""The fake's state (one in-memory Intercom workspace) and the operations it models.

Each handler is registered for ``(METHOD, path template)`` as the spec writes it and receives the
workspace and the :class:`Call`; it returns the JSON body of a 200 (or ``(status, body)``) or raises
:class:`FakeAPIError`. Items are stored as plain dicts and rendered on the way out, so every response
carries every property the version's schema requires (``None`` where the schema allows it).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._errors import FakeAPIError, bad_request, missing, not_found
from ._search import matches, sort_items, validate_query

__all__ = ["HANDLERS", "Call", "Workspace"]

WORKSPACE_ID = "fakeapp1"
MAX_PER_PAGE = 150
SCROLL_PAGE = 50
SCROLL_EXPIRY = 60.0

Json = dict[str, Any]
Handler = Callable[["Workspace", "Call"], Any]
HANDLERS: dict[tuple[str, str], Handler] = {}


def op(method: str, path: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[(method, path)] = fn
        return fn

    return register


@dataclass
class Call:
    """One request as a handler sees it."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    version: str

    def json(self) -> Json:
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise bad_request("the request body must be a JSON object")
        return self.body

    def int_query(self, name: str, default: int) -> int:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise bad_request(f"{name} must be an integer", field=name) from None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps(["fake", offset]).encode()).decode().rstrip("=")


def _offset(cursor: Any) -> int:
    if cursor in (None, ""):
        return 0
    try:
        raw = base64.urlsafe_b64decode(str(cursor) + "=" * (-len(str(cursor)) % 4))
        tag, offset = json.loads(raw)
        if tag == "fake" and isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, binascii.Error, TypeError):
        pass
    raise bad_request("starting_after is not a cursor this server issued", field="starting_after")


def _per_page(value: Any, default: int = 50) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise bad_request("per_page must be an integer", field="per_page") from None
    if not 1 <= number <= MAX_PER_PAGE:
        raise bad_request(f"per_page must be between 1 and {MAX_PER_PAGE}", field="per_page")
    return number


def cursor_page(items: list[Json], per_page: int, starting_after: Any, key: str, kind: str) -> Json:
    """One page of a cursor listing: ``pages.next.starting_after`` while more remain."""
    start = _offset(starting_after)
    chunk = items[start : start + per_page]
    total_pages = max(1, -(-len(items) // per_page))
    pages: Json = {"type": "pages", "page": start // per_page + 1, "per_page": per_page, "total_pages": total_pages}
    if start + per_page < len(items):
        pages["next"] = {"per_page": per_page, "starting_after": _cursor(start + per_page)}
    return {"type": kind, key: chunk, "total_count": len(items), "pages": pages}


def number_page(items: list[Json], call: Call, key: str, kind: str, default: int = 15) -> Json:
    """One page of a page-number listing (``page``, ``per_page``); the client asks for page + 1."""
    per_page = _per_page(call.query.get("per_page"), default)
    page = call.int_query("page", 1)
    if page < 1:
        raise bad_request("page must be >= 1", field="page")
    chunk = items[(page - 1) * per_page : page * per_page]
    total_pages = max(1, -(-len(items) // per_page))
    pages = {"type": "pages", "page": page, "per_page": per_page, "total_pages": total_pages}
    return {"type": kind, key: chunk, "total_count": len(items), "pages": pages}


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _email_domain(email: str | None) -> str | None:
    return email.rsplit("@", 1)[1] if email and "@" in email else None


@dataclass
class Workspace:
    """Everything the fake knows; guarded by the server's lock."""

    version: str
    clock: Callable[[], float]
    base_url: str = "http://127.0.0.1"
    contacts: dict[str, Json] = field(default_factory=dict)
    companies: dict[str, Json] = field(default_factory=dict)
    tags: dict[str, Json] = field(default_factory=dict)
    notes: dict[str, Json] = field(default_factory=dict)
    admins: dict[str, Json] = field(default_factory=dict)
    teams: dict[str, Json] = field(default_factory=dict)
    conversations: dict[str, Json] = field(default_factory=dict)
    tickets: dict[str, Json] = field(default_factory=dict)
    ticket_types: dict[str, Json] = field(default_factory=dict)
    data_attributes: dict[str, Json] = field(default_factory=dict)
    scroll: Json | None = None
    counter: int = 0
    ticket_state_objects: bool = False
    """2.14 on: a ticket's ``ticket_state`` is an object (``GET /ticket_states``), before a string."""

    def __post_init__(self) -> None:
        self._defaults()

    # -- ids, time --------------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def next_id(self, hex_id: bool = False) -> str:
        self.counter += 1
        return f"{0x656000000000000000000000 + self.counter:024x}" if hex_id else str(self.counter)

    def _defaults(self) -> None:
        now = self.now()
        self.admins = {
            "1": {"id": "1", "name": "Ada Admin", "email": "ada@fake-intercom.example", "job_title": "Support lead",
                  "away_mode_enabled": False, "away_mode_reassign": False, "has_inbox_seat": True, "team_ids": [1]},
            "2": {"id": "2", "name": "Bob Admin", "email": "bob@fake-intercom.example", "job_title": "Engineer",
                  "away_mode_enabled": False, "away_mode_reassign": False, "has_inbox_seat": True, "team_ids": [1]},
        }  # fmt: skip
        self.teams = {"1": {"id": "1", "name": "Support", "admin_ids": [1, 2]}}
        self.ticket_types = {
            "1": {"id": "1", "category": "Customer", "name": "Bug report", "description": "A problem to fix",
                  "icon": "🐞", "archived": False, "created_at": now, "updated_at": now},
        }  # fmt: skip
        standard = [("name", "string"), ("email", "string"), ("phone", "string"), ("external_id", "string"),
                    ("created_at", "date"), ("updated_at", "date"), ("last_seen_at", "date")]  # fmt: skip
        for name, data_type in standard:
            self.counter += 1
            self.data_attributes[str(self.counter)] = {
                "id": self.counter, "model": "contact", "name": name, "full_name": name,
                "label": name.replace("_", " ").title(), "description": "", "data_type": data_type,
                "custom": False, "archived": False, "options": [], "api_writable": name != "created_at",
                "created_at": now, "updated_at": now,
            }  # fmt: skip
        self.counter = 100

    # -- rendering ---------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def render_contact(self, c: Json) -> Json:
        out: Json = {
            "type": "contact", "id": c["id"], "workspace_id": WORKSPACE_ID, "external_id": c.get("external_id"),
            "role": c["role"], "phone": c.get("phone"), "formatted_phone": c.get("phone"), "name": c.get("name"),
            "avatar": None, "owner_id": c.get("owner_id"), "social_profiles": {"type": "list", "data": []},
            "has_hard_bounced": False, "marked_email_as_spam": False,
            "unsubscribed_from_emails": bool(c.get("unsubscribed_from_emails", False)),
            "created_at": c["created_at"], "updated_at": c["updated_at"], "signed_up_at": c.get("signed_up_at"),
            "last_seen_at": c.get("last_seen_at"), "last_replied_at": c.get("last_replied_at"),
            "last_contacted_at": c.get("last_contacted_at"), "last_email_opened_at": None,
            "last_email_clicked_at": None, "language_override": c.get("language_override"), "browser": None,
            "browser_version": None, "browser_language": None, "os": None,
            "location": {"type": "location", "country": None, "region": None, "city": None},
            "custom_attributes": dict(c.get("custom_attributes") or {}),
        }  # fmt: skip
        if c.get("email") is not None:
            out["email"] = c["email"]
            out["email_domain"] = _email_domain(c["email"]) or ""
        tag_ids, company_ids = c.get("tag_ids", []), c.get("company_ids", [])
        note_ids = [n for n, note in self.notes.items() if note["contact_id"] == c["id"]]
        base = f"/contacts/{c['id']}"
        out["tags"] = {
            "type": "list", "data": [{"type": "tag", "id": t, "url": self._url(f"/tags/{t}")} for t in tag_ids],
            "url": self._url(f"{base}/tags"), "total_count": len(tag_ids), "has_more": False,
        }  # fmt: skip
        out["notes"] = {
            "type": "list", "data": [{"type": "note", "id": n, "url": self._url(f"/notes/{n}")} for n in note_ids],
            "url": self._url(f"{base}/notes"), "total_count": len(note_ids), "has_more": False,
        }  # fmt: skip
        out["companies"] = {
            "type": "list",
            "data": [{"type": "company", "id": i, "url": self._url(f"/companies/{i}")} for i in company_ids],
            "url": self._url(f"{base}/companies"), "total_count": len(company_ids), "has_more": False,
        }  # fmt: skip
        return out

    def render_company(self, co: Json) -> Json:
        users = sum(1 for c in self.contacts.values() if co["id"] in c.get("company_ids", []))
        return {
            "type": "company", "id": co["id"], "name": co.get("name") or "", "app_id": WORKSPACE_ID,
            "company_id": co["company_id"], "remote_created_at": co.get("remote_created_at") or 0,
            "created_at": co["created_at"], "updated_at": co["updated_at"], "last_request_at": 0,
            "size": co.get("size") or 0, "website": co.get("website") or "", "industry": co.get("industry") or "",
            "monthly_spend": int(co.get("monthly_spend") or 0), "session_count": 0, "user_count": users,
            "custom_attributes": _as_strings(co.get("custom_attributes") or {}),
            "tags": {"type": "tag.list", "tags": [self.render_tag_basic(self.tags[t]) for t in co.get("tag_ids", [])
                                                  if t in self.tags]},
            "segments": {"type": "segment.list", "segments": []},
            **({"plan": {"type": "plan", "id": "1", "name": co["plan"]}} if co.get("plan") else {}),
        }  # fmt: skip

    def render_tag_basic(self, t: Json) -> Json:
        return {"type": "tag", "id": t["id"], "name": t["name"]}

    def render_tag(self, t: Json, applied: Json | None = None) -> Json:
        applied = applied or {}
        by = applied.get("by")
        return {
            "type": "tag", "id": t["id"], "name": t["name"], "applied_at": applied.get("at"),
            "applied_by": {"type": "admin", "id": by} if by else None,
        }  # fmt: skip

    def render_admin(self, a: Json) -> Json:
        return {"type": "admin", **copy.deepcopy(a), "avatar": None}

    def render_team(self, t: Json) -> Json:
        return {"type": "team", **copy.deepcopy(t), "admin_priority_level": {}}

    def render_note(self, n: Json) -> Json:
        return {
            "type": "note", "id": n["id"], "created_at": n["created_at"],
            "contact": {"type": "contact", "id": n["contact_id"]}, "author": self.render_admin(self.admins[n["admin_id"]]),
            "body": n["body"],
        }  # fmt: skip

    def _author(self, kind: str, ident: str) -> Json:
        if kind == "admin":
            admin = self.admins.get(ident) or self.admins["1"]
            return {"type": "admin", "id": admin["id"], "name": admin["name"], "email": admin["email"]}
        contact = self.contacts.get(ident, {})
        return {
            "type": "user" if contact.get("role", "user") == "user" else "lead", "id": ident,
            "name": contact.get("name"), "email": contact.get("email") or f"{ident}@contacts.fake-intercom.example",
        }  # fmt: skip

    def render_conversation(self, cv: Json, parts: bool = True) -> Json:
        out: Json = {
            "type": "conversation", "id": cv["id"], "title": cv.get("title"), "created_at": cv["created_at"],
            "updated_at": cv["updated_at"], "waiting_since": cv.get("waiting_since"),
            "snoozed_until": cv.get("snoozed_until"), "open": cv["state"] != "closed", "state": cv["state"],
            "read": bool(cv.get("read", False)), "priority": cv.get("priority", "not_priority"),
            "admin_assignee_id": cv.get("admin_assignee_id"), "team_assignee_id": cv.get("team_assignee_id"),
            "tags": {"type": "tag.list", "tags": [self.render_tag(self.tags[t], a) for t, a in cv["tags"].items()
                                                  if t in self.tags]},
            "source": {
                "type": "conversation", "id": cv["source"]["id"], "delivered_as": "customer_initiated",
                "subject": cv["source"].get("subject") or "", "body": cv["source"]["body"],
                "author": self._author("contact", cv["contact_ids"][0]), "attachments": [], "url": None,
                "redacted": False,
            },
            "contacts": {"type": "contact.list", "contacts": [
                {"type": "contact", "id": i, "external_id": self.contacts.get(i, {}).get("external_id")}
                for i in cv["contact_ids"]]},
            "teammates": {"type": "admin.list", "teammates": [{"type": "admin", "id": a} for a in cv["teammates"]]},
            "custom_attributes": dict(cv.get("custom_attributes") or {}),
            "statistics": {"type": "conversation_statistics", "count_conversation_parts": len(cv["parts"]) + 1},
            "linked_objects": {"type": "list", "total_count": 0, "has_more": False, "data": []},
            "ai_agent_participated": False,
        }  # fmt: skip
        if parts:
            out["conversation_parts"] = {
                "type": "conversation_part.list", "total_count": len(cv["parts"]),
                "conversation_parts": [{
                    "type": "conversation_part", "id": p["id"], "part_type": p["part_type"], "body": p.get("body"),
                    "created_at": p["created_at"], "updated_at": p["created_at"], "notified_at": p["created_at"],
                    "assigned_to": p.get("assigned_to"), "author": self._author(p["author_type"], p["author_id"]),
                    "attachments": [], "external_id": None, "redacted": False,
                } for p in cv["parts"]],
            }  # fmt: skip
        return out

    def render_ticket_type(self, tt: Json, states: bool = True) -> Json:
        out = {
            "type": "ticket_type", **copy.deepcopy(tt), "workspace_id": WORKSPACE_ID,
            "ticket_type_attributes": {"type": "ticket_type_attributes.list", "ticket_type_attributes": []},
        }
        if self.ticket_state_objects and states:
            out["ticket_states"] = {"type": "list", "data": [self.render_ticket_state(s) for s in _TICKET_STATES]}
        return out

    def render_ticket_state(self, state: str, detailed: bool = False) -> Json:
        ident = str(_TICKET_STATES.index(state) + 1)
        label = state.replace("_", " ").capitalize()
        out: Json = {"type": "ticket_state", "id": ident, "category": state, "internal_label": label,
                     "external_label": label}  # fmt: skip
        if detailed:
            out["archived"] = False
            out["ticket_types"] = {"type": "list", "data": [self.render_ticket_type(t, states=False)
                                                            for t in self.ticket_types.values()]}  # fmt: skip
        return out

    def render_ticket(self, t: Json) -> Json:
        state: Any = self.render_ticket_state(t["state"]) if self.ticket_state_objects else t["state"]
        return {
            "type": "ticket", "id": t["id"], "ticket_id": t["ticket_id"], "category": t["category"],
            "ticket_attributes": dict(t.get("ticket_attributes") or {}), "ticket_state": state,
            "ticket_type": self.render_ticket_type(self.ticket_types[t["ticket_type_id"]]),
            "contacts": {"type": "contact.list", "contacts": [
                {"type": "contact", "id": i, "external_id": self.contacts.get(i, {}).get("external_id")}
                for i in t["contact_ids"]]},
            "admin_assignee_id": t.get("admin_assignee_id") or "0", "team_assignee_id": t.get("team_assignee_id") or "0",
            "created_at": t["created_at"], "updated_at": t["updated_at"], "open": t["open"],
            "snoozed_until": t.get("snoozed_until") or 0,
            "linked_objects": {"type": "list", "total_count": 0, "has_more": False, "data": []},
            "ticket_parts": {"type": "ticket_part.list", "total_count": len(t["parts"]),
                             "ticket_parts": [self.render_ticket_part(t, p) for p in t["parts"]]},
            "is_shared": bool(t.get("is_shared", False)),
            "ticket_state_internal_label": t["state"].replace("_", " ").title(),
            "ticket_state_external_label": t["state"].replace("_", " ").title(),
            "tags": {"type": "tag.list", "tags": [self.render_tag(self.tags[g], a) for g, a in t["tags"].items()
                                                  if g in self.tags]},
        }  # fmt: skip

    def render_ticket_part(self, t: Json, p: Json) -> Json:
        out = {
            "type": "ticket_part", "id": p["id"], "part_type": p["part_type"], "body": p.get("body"),
            "ticket_state": p.get("ticket_state", t["state"]), "created_at": p["created_at"],
            "updated_at": p["created_at"], "author": self._author(p["author_type"], p["author_id"]),
            "attachments": [], "redacted": False,
        }  # fmt: skip
        if p.get("previous_ticket_state"):
            out["previous_ticket_state"] = p["previous_ticket_state"]
        return out

    def render_data_attribute(self, d: Json) -> Json:
        return {"type": "data_attribute", **copy.deepcopy(d), "messenger_writable": bool(d.get("messenger_writable")),
                "ui_writable": True}  # fmt: skip

    # -- look-ups ----------------------------------------------------------------------------------

    def contact(self, ident: str) -> Json:
        if ident not in self.contacts:
            raise not_found("User", ident)
        return self.contacts[ident]

    def company(self, ident: str) -> Json:
        if ident not in self.companies:
            raise not_found("Company", ident)
        return self.companies[ident]

    def tag(self, ident: Any) -> Json:
        if str(ident) not in self.tags:
            raise not_found("Tag", ident)
        return self.tags[str(ident)]

    def admin(self, ident: Any, field_name: str = "admin_id") -> Json:
        if ident is None:
            raise missing(field_name)
        if str(ident) not in self.admins:
            raise not_found("Admin", ident)
        return self.admins[str(ident)]

    def conversation(self, ident: str) -> Json:
        if ident not in self.conversations:
            raise not_found("Conversation", ident)
        return self.conversations[ident]

    def ticket(self, ident: str) -> Json:
        if ident not in self.tickets:
            raise not_found("Ticket", ident)
        return self.tickets[ident]

    def find_contact(self, ref: Mapping[str, Any]) -> Json:
        """``{"id"}``, ``{"intercom_user_id"}``, ``{"external_id"}``/``{"user_id"}`` or ``{"email"}``."""
        ident = ref.get("id") or ref.get("intercom_user_id")
        if ident:
            return self.contact(str(ident))
        for key, attr in (("external_id", "external_id"), ("user_id", "external_id"), ("email", "email")):
            if ref.get(key):
                for c in self.contacts.values():
                    if c.get(attr) == ref[key]:
                        return c
                raise not_found("User", ref[key])
        raise bad_request("a contact is given by id, external_id or email", "parameter_not_found")

    def custom_attributes(self, model: str, given: Any, current: Mapping[str, Any] | None = None) -> Json:
        """Custom attributes merged into ``current``, each checked against its data attribute."""
        if given is None:
            return dict(current or {})
        if not isinstance(given, Mapping):
            raise bad_request("custom_attributes must be an object", field="custom_attributes")
        defined = {d["name"]: d for d in self.data_attributes.values() if d["model"] == model and d["custom"]}
        out = dict(current or {})
        for name, value in given.items():
            attr = defined.get(name)
            if attr is None or attr["archived"]:
                raise bad_request(f"Custom attribute '{name}' does not exist", "parameter_not_found", name)
            if value is not None and not _type_ok(attr["data_type"], value):
                raise FakeAPIError(
                    422, "parameter_mismatch", f"Custom attribute '{name}' is a {attr['data_type']}: got {value!r}", name
                )
            if attr.get("options") and value is not None and value not in attr["options"]:
                raise FakeAPIError(422, "parameter_mismatch", f"'{value}' is not an option of '{name}'", name)
            out[name] = value
        return out

    # -- creating (also used by seed) --------------------------------------------------------------

    def create_contact(self, fields: Mapping[str, Any]) -> Json:
        role = fields.get("role") or "user"
        if role not in ("user", "lead"):
            raise bad_request("role must be user or lead", field="role")
        email, external_id = fields.get("email"), fields.get("external_id")
        if not (email or external_id or fields.get("role")):
            raise bad_request("a contact needs one of email, external_id or role", "parameter_not_found")
        for c in self.contacts.values():
            same_email = email and c.get("email") == email and c["role"] == role == "user"
            if same_email or (external_id and c.get("external_id") == external_id):
                raise FakeAPIError(409, "conflict", f"A contact matching those details already exists with id={c['id']}")
        now = self.now()
        contact: Json = {
            "id": self.next_id(hex_id=True), "role": role, "email": email, "external_id": _str(external_id),
            "phone": fields.get("phone"), "name": fields.get("name"), "owner_id": fields.get("owner_id"),
            "created_at": int(fields.get("created_at") or now), "updated_at": int(fields.get("updated_at") or now),
            "signed_up_at": fields.get("signed_up_at"), "last_seen_at": fields.get("last_seen_at"),
            "unsubscribed_from_emails": bool(fields.get("unsubscribed_from_emails", False)),
            "language_override": fields.get("language_override"),
            "custom_attributes": self.custom_attributes("contact", fields.get("custom_attributes")),
            "tag_ids": [], "company_ids": [], "archived": False,
        }  # fmt: skip
        self.contacts[contact["id"]] = contact
        return contact

    def upsert_company(self, fields: Mapping[str, Any]) -> Json:
        company_id = fields.get("company_id")
        existing = next((c for c in self.companies.values() if company_id and c["company_id"] == str(company_id)), None)
        now = self.now()
        if existing is None:
            if not company_id and not fields.get("name"):
                raise bad_request("a company needs a company_id or a name", "parameter_not_found", "company_id")
            existing = {"id": self.next_id(hex_id=True), "company_id": str(company_id or fields.get("name")),
                        "created_at": now, "tag_ids": [], "custom_attributes": {}}  # fmt: skip
            self.companies[existing["id"]] = existing
        for key in ("name", "plan", "size", "website", "industry", "monthly_spend", "remote_created_at"):
            if fields.get(key) is not None:
                existing[key] = fields[key]
        existing["custom_attributes"] = self.custom_attributes(
            "company", fields.get("custom_attributes"), existing["custom_attributes"]
        )
        existing["updated_at"] = now
        return existing

    def create_conversation(self, contact: Json, body: str, subject: str | None = None, at: int | None = None) -> Json:
        now = at if at is not None else self.now()
        cv: Json = {
            "id": self.next_id(), "created_at": now, "updated_at": now, "state": "open", "waiting_since": now,
            "source": {"id": self.next_id(), "body": body, "subject": subject}, "contact_ids": [contact["id"]],
            "teammates": [], "parts": [], "tags": {}, "custom_attributes": {}, "read": False,
            "admin_assignee_id": None, "team_assignee_id": None,
        }  # fmt: skip
        self.conversations[cv["id"]] = cv
        return cv

    def create_ticket(self, type_id: str, contacts: list[Json], attributes: Any, at: int | None = None) -> Json:
        if str(type_id) not in self.ticket_types:
            raise not_found("Ticket type", type_id)
        if not contacts:
            raise bad_request("a ticket needs at least one contact", "parameter_not_found", "contacts")
        now = at if at is not None else self.now()
        ident = self.next_id()
        ticket: Json = {
            "id": ident, "ticket_id": ident, "ticket_type_id": str(type_id),
            "category": self.ticket_types[str(type_id)]["category"], "state": "submitted", "open": True,
            "contact_ids": [c["id"] for c in contacts], "created_at": now, "updated_at": now, "parts": [], "tags": {},
            "ticket_attributes": dict(attributes) if isinstance(attributes, Mapping) else {},
        }  # fmt: skip
        self.tickets[ident] = ticket
        return ticket

    def seed(self, rng: random.Random, contacts: Any, companies: Any, conversations: Any, tickets: Any) -> None:
        now = self.now()

        def rows(spec: Any, make: Callable[[int], Json]) -> Iterable[Json]:
            if isinstance(spec, int):
                start = self.counter
                return (make(start + i) for i in range(spec))
            return iter(spec or [])

        made_companies = [
            self.upsert_company(row)
            for row in rows(companies, lambda i: {"company_id": f"company-{i}", "name": f"Company {i}",
                                                  "size": rng.randint(1, 500), "industry": "Software"})
        ]  # fmt: skip
        for row in rows(contacts, lambda i: {"email": f"user{i}@example.com", "name": f"User {i}",
                                             "created_at": now - rng.randint(0, 90 * 86400)}):  # fmt: skip
            row = dict(row)
            row.setdefault("updated_at", row.get("created_at", now))
            contact = self.create_contact(row)
            if made_companies and isinstance(contacts, int):
                contact["company_ids"].append(rng.choice(made_companies)["id"])
        people = list(self.contacts.values())
        if conversations and not people:
            raise ValueError("seed(conversations=...) needs contacts to start them")
        for row in rows(conversations, lambda i: {"body": f"Hello, question {i}"}):
            who = self.find_contact(row["from"]) if "from" in row else rng.choice(people)
            self.create_conversation(who, str(row.get("body", "Hello")), row.get("subject"))
        if tickets and not people:
            raise ValueError("seed(tickets=...) needs contacts to open them")
        for row in rows(tickets, lambda i: {"ticket_attributes": {"_default_title_": f"Ticket {i}"}}):
            self.create_ticket(row.get("ticket_type_id", "1"), [rng.choice(people)], row.get("ticket_attributes"))


def _as_strings(attributes: Mapping[str, Any]) -> Json:
    """Company custom attributes as every version's schema gives them: string values."""
    return {k: json.dumps(v) if isinstance(v, bool) else str(v) for k, v in attributes.items() if v is not None}


def _type_ok(data_type: str, value: Any) -> bool:
    if data_type == "string":
        return isinstance(value, str)
    if data_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if data_type == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if data_type == "boolean":
        return isinstance(value, bool)
    if data_type == "date":
        if isinstance(value, int) and not isinstance(value, bool):
            return True
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc)
        except ValueError:
            return False
        return True
    return True


def _search(ws: Workspace, call: Call, items: list[Json], key: str, kind: str, aliases: Any) -> Json:
    body = call.json()
    query = body.get("query")
    if query is None:
        raise missing("query")
    validate_query(query)
    found = [item for item in items if matches(item, query, aliases)]
    found = [dict(i) for i in sort_items(found, body.get("sort"), aliases)]
    pagination = body.get("pagination") or {}
    if not isinstance(pagination, Mapping):
        raise bad_request("pagination must be an object", field="pagination")
    per_page = _per_page(pagination.get("per_page"), 50)
    return cursor_page(found, per_page, pagination.get("starting_after"), key, kind)


# -- contacts ---------------------------------------------------------------------------------------

_CONTACT_ALIASES = {
    "tag_id": lambda c: [t["id"] for t in c["tags"]["data"]],
    "company_id": lambda c: [t["id"] for t in c["companies"]["data"]],
    "segment_id": lambda c: [],
}


def _visible_contacts(ws: Workspace) -> list[Json]:
    return [ws.render_contact(c) for c in ws.contacts.values() if not c.get("archived")]


@op("GET", "/contacts")
def list_contacts(ws: Workspace, call: Call) -> Json:
    per_page = _per_page(call.query.get("per_page"), 50)
    return cursor_page(_visible_contacts(ws), per_page, call.query.get("starting_after"), "data", "list")


@op("POST", "/contacts")
def create_contact(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.create_contact(call.json()))


@op("GET", "/contacts/{contact_id}")
def show_contact(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.contact(call.params["contact_id"]))


@op("GET", "/contacts/find_by_external_id/{external_id}")
def find_contact_by_external_id(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.find_contact({"external_id": call.params["external_id"]}))


_CONTACT_FIELDS = ("role", "external_id", "email", "phone", "name", "avatar", "signed_up_at", "last_seen_at",
                   "owner_id", "unsubscribed_from_emails", "language_override")  # fmt: skip


@op("PUT", "/contacts/{contact_id}")
def update_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    body = call.json()
    for key in _CONTACT_FIELDS:
        if key in body and key != "avatar":
            contact[key] = body[key]
    contact["custom_attributes"] = ws.custom_attributes(
        "contact", body.get("custom_attributes"), contact.get("custom_attributes")
    )
    contact["updated_at"] = ws.now()
    return ws.render_contact(contact)


@op("DELETE", "/contacts/{contact_id}")
def delete_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    del ws.contacts[contact["id"]]
    return {"type": "contact", "id": contact["id"], "external_id": contact.get("external_id"), "deleted": True}


@op("POST", "/contacts/{contact_id}/archive")
def archive_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    contact["archived"] = True
    return {"type": "contact", "id": contact["id"], "external_id": contact.get("external_id"), "archived": True}


@op("POST", "/contacts/{contact_id}/unarchive")
def unarchive_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    contact["archived"] = False
    return {"type": "contact", "id": contact["id"], "external_id": contact.get("external_id"), "archived": False}


@op("POST", "/contacts/merge")
def merge_contacts(ws: Workspace, call: Call) -> Json:
    body = call.json()
    if not body.get("from") or not body.get("into"):
        raise missing("from" if not body.get("from") else "into")
    lead, user = ws.contact(str(body["from"])), ws.contact(str(body["into"]))
    if lead["role"] != "lead" or user["role"] != "user":
        raise bad_request("merge takes a lead (from) into a user (into)", field="from")
    for key, value in lead.items():
        if key not in ("id", "role", "custom_attributes", "tag_ids", "company_ids") and user.get(key) is None:
            user[key] = value
    user["custom_attributes"] = {**lead.get("custom_attributes", {}), **user.get("custom_attributes", {})}
    for key in ("tag_ids", "company_ids"):
        user[key] = list(dict.fromkeys(user[key] + lead[key]))
    for cv in ws.conversations.values():
        cv["contact_ids"] = [user["id"] if i == lead["id"] else i for i in cv["contact_ids"]]
    del ws.contacts[lead["id"]]
    user["updated_at"] = ws.now()
    return ws.render_contact(user)


@op("POST", "/contacts/search")
def search_contacts(ws: Workspace, call: Call) -> Json:
    return _search(ws, call, _visible_contacts(ws), "data", "list", _CONTACT_ALIASES)


# -- companies --------------------------------------------------------------------------------------


@op("POST", "/companies")
def create_or_update_company(ws: Workspace, call: Call) -> Json:
    return ws.render_company(ws.upsert_company(call.json()))


@op("GET", "/companies/{company_id}")
def get_company(ws: Workspace, call: Call) -> Json:
    return ws.render_company(ws.company(call.params["company_id"]))


@op("PUT", "/companies/{company_id}")
def update_company(ws: Workspace, call: Call) -> Json:
    company = ws.company(call.params["company_id"])
    fields = {k: v for k, v in call.json().items() if k != "company_id"}
    return ws.render_company(ws.upsert_company({**fields, "company_id": company["company_id"]}))


@op("DELETE", "/companies/{company_id}")
def delete_company(ws: Workspace, call: Call) -> Json:
    company = ws.company(call.params["company_id"])
    del ws.companies[company["id"]]
    for c in ws.contacts.values():
        if company["id"] in c["company_ids"]:
            c["company_ids"].remove(company["id"])
    return {"id": company["id"], "object": "company", "deleted": True}


@op("GET", "/companies")
def retrieve_companies(ws: Workspace, call: Call) -> Json:
    found = list(ws.companies.values())
    for key in ("company_id", "name"):
        if call.query.get(key):
            found = [c for c in found if c.get(key) == call.query[key]]
    if call.query.get("tag_id"):
        found = [c for c in found if call.query["tag_id"] in c["tag_ids"]]
    if (call.query.get("company_id") or call.query.get("name")) and not found:
        raise not_found("Company", call.query.get("company_id") or call.query.get("name"))
    return number_page([ws.render_company(c) for c in found], call, "data", "list")


@op("POST", "/companies/list")
def list_companies(ws: Workspace, call: Call) -> Json:
    items = [ws.render_company(c) for c in ws.companies.values()]
    if (call.query.get("order") or (call.json().get("order") if call.body else None)) == "asc":
        items.reverse()
    return number_page(items, call, "data", "list")


@op("GET", "/companies/scroll")
def scroll_companies(ws: Workspace, call: Call) -> Json:
    """One scroll of the app open at a time: a new one while another is open is 400 ``scroll_exists``;
    a scroll unused for a minute expires (404 with its ``scroll_param``); it ends on its empty page."""
    now = ws.clock()
    if ws.scroll is not None and now - ws.scroll["used"] > SCROLL_EXPIRY:
        ws.scroll = None
    param = call.query.get("scroll_param")
    if not param:
        if ws.scroll is not None:
            raise bad_request("scroll already exists for this workspace", "scroll_exists")
        ws.scroll = {"param": f"scroll-{ws.next_id()}", "ids": list(ws.companies), "offset": 0, "used": now}
    elif ws.scroll is None or ws.scroll["param"] != param:
        raise FakeAPIError(404, "not_found", "scroll_param is unknown or expired: restart the scroll")
    scroll = ws.scroll
    chunk = [ws.companies[i] for i in scroll["ids"][scroll["offset"] : scroll["offset"] + SCROLL_PAGE] if i in ws.companies]
    scroll["offset"] += SCROLL_PAGE
    scroll["used"] = now
    if not chunk:
        ws.scroll = None
    return {
        "type": "list", "data": [ws.render_company(c) for c in chunk], "total_count": len(scroll["ids"]),
        "scroll_param": scroll["param"],
    }  # fmt: skip


@op("POST", "/contacts/{contact_id}/companies")
def attach_company(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    ident = call.json().get("id")
    if not ident:
        raise missing("id")
    company = ws.company(str(ident))
    if company["id"] not in contact["company_ids"]:
        contact["company_ids"].append(company["id"])
    return ws.render_company(company)


@op("DELETE", "/contacts/{contact_id}/companies/{company_id}")
def detach_company(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    company = ws.company(call.params["company_id"])
    if company["id"] not in contact["company_ids"]:
        raise not_found("Company attached to this contact", company["id"])
    contact["company_ids"].remove(company["id"])
    return ws.render_company(company)


@op("GET", "/contacts/{contact_id}/companies")
def list_contact_companies(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    items = [ws.render_company(ws.companies[i]) for i in contact["company_ids"] if i in ws.companies]
    return number_page(items, call, "companies", "list")


@op("GET", "/companies/{company_id}/contacts")
def list_company_contacts(ws: Workspace, call: Call) -> Json:
    company = ws.company(call.params["company_id"])
    items = [ws.render_contact(c) for c in ws.contacts.values() if company["id"] in c["company_ids"]]
    return number_page(items, call, "data", "list")


# -- tags -------------------------------------------------------------------------------------------


@op("GET", "/tags")
def list_tags(ws: Workspace, call: Call) -> Json:
    return {"type": "list", "data": [ws.render_tag(t) for t in ws.tags.values()]}


@op("POST", "/tags")
def create_or_update_tag(ws: Workspace, call: Call) -> Json:
    body = call.json()
    name = body.get("name")
    if not name:
        raise missing("name")
    if body.get("id"):
        tag = ws.tag(body["id"])
        tag["name"] = name
    else:
        tag = next((t for t in ws.tags.values() if t["name"] == name), None) or {"id": ws.next_id(), "name": name}
        ws.tags[tag["id"]] = tag
    for ref in body.get("users") or []:
        contact = ws.find_contact(ref)
        if tag["id"] not in contact["tag_ids"]:
            contact["tag_ids"].append(tag["id"])
    for ref in body.get("companies") or []:
        company = (
            ws.company(str(ref["id"])) if ref.get("id")
            else next((c for c in ws.companies.values() if c["company_id"] == str(ref.get("company_id"))), None)
        )  # fmt: skip
        if company is None:
            raise not_found("Company", ref.get("company_id"))
        if ref.get("untag"):
            company["tag_ids"] = [t for t in company["tag_ids"] if t != tag["id"]]
        elif tag["id"] not in company["tag_ids"]:
            company["tag_ids"].append(tag["id"])
    return ws.render_tag_basic(tag)


@op("GET", "/tags/{tag_id}")
def find_tag(ws: Workspace, call: Call) -> Json:
    return ws.render_tag_basic(ws.tag(call.params["tag_id"]))


@op("DELETE", "/tags/{tag_id}")
def delete_tag(ws: Workspace, call: Call) -> tuple[int, None]:
    tag = ws.tag(call.params["tag_id"])
    del ws.tags[tag["id"]]
    for c in ws.contacts.values():
        c["tag_ids"] = [t for t in c["tag_ids"] if t != tag["id"]]
    return 200, None


@op("GET", "/contacts/{contact_id}/tags")
def list_contact_tags(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    return {"type": "list", "data": [ws.render_tag(ws.tags[t]) for t in contact["tag_ids"] if t in ws.tags]}


@op("POST", "/contacts/{contact_id}/tags")
def tag_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    tag = ws.tag(call.json().get("id") or "")
    if tag["id"] not in contact["tag_ids"]:
        contact["tag_ids"].append(tag["id"])
    return ws.render_tag(tag)


@op("DELETE", "/contacts/{contact_id}/tags/{tag_id}")
def untag_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    tag = ws.tag(call.params["tag_id"])
    if tag["id"] not in contact["tag_ids"]:
        raise not_found("Tag on this contact", tag["id"])
    contact["tag_ids"].remove(tag["id"])
    return ws.render_tag(tag)


def _tag_item(ws: Workspace, call: Call, item: Json) -> Json:
    body = call.json()
    admin = ws.admin(body.get("admin_id"))
    tag = ws.tag(body.get("id") or "")
    applied = {"at": ws.now(), "by": admin["id"]}
    item["tags"][tag["id"]] = applied
    return ws.render_tag(tag, applied)


def _untag_item(ws: Workspace, call: Call, item: Json) -> Json:
    ws.admin(call.json().get("admin_id"))
    tag = ws.tag(call.params["tag_id"])
    if tag["id"] not in item["tags"]:
        raise not_found("Tag on this item", tag["id"])
    return ws.render_tag(tag, item["tags"].pop(tag["id"]))


@op("POST", "/conversations/{conversation_id}/tags")
def tag_conversation(ws: Workspace, call: Call) -> Json:
    return _tag_item(ws, call, ws.conversation(call.params["conversation_id"]))


@op("DELETE", "/conversations/{conversation_id}/tags/{tag_id}")
def untag_conversation(ws: Workspace, call: Call) -> Json:
    return _untag_item(ws, call, ws.conversation(call.params["conversation_id"]))


@op("POST", "/tickets/{ticket_id}/tags")
def tag_ticket(ws: Workspace, call: Call) -> Json:
    return _tag_item(ws, call, ws.ticket(call.params["ticket_id"]))


@op("DELETE", "/tickets/{ticket_id}/tags/{tag_id}")
def untag_ticket(ws: Workspace, call: Call) -> Json:
    return _untag_item(ws, call, ws.ticket(call.params["ticket_id"]))


# -- notes, admins, teams -----------------------------------------------------------------------------


@op("POST", "/contacts/{contact_id}/notes")
def create_note(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    body = call.json()
    if not body.get("body"):
        raise missing("body")
    admin = ws.admin(body.get("admin_id") or "1")
    note = {"id": ws.next_id(), "contact_id": contact["id"], "admin_id": admin["id"], "body": str(body["body"]),
            "created_at": ws.now()}  # fmt: skip
    ws.notes[note["id"]] = note
    return ws.render_note(note)


@op("GET", "/contacts/{contact_id}/notes")
def list_notes(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    notes = [ws.render_note(n) for n in reversed(ws.notes.values()) if n["contact_id"] == contact["id"]]
    return number_page(notes, call, "data", "list", default=50)


@op("GET", "/notes/{note_id}")
def get_note(ws: Workspace, call: Call) -> Json:
    if call.params["note_id"] not in ws.notes:
        raise not_found("Note", call.params["note_id"])
    return ws.render_note(ws.notes[call.params["note_id"]])


@op("GET", "/me")
def identify_admin(ws: Workspace, call: Call) -> Json:
    me = ws.render_admin(ws.admins["1"])
    return {
        **me, "avatar": {"type": "avatar", "image_url": None}, "email_verified": True,
        "app": {"type": "app", "id_code": WORKSPACE_ID, "name": "Fake Intercom", "region": "US",
                "timezone": "UTC", "created_at": 1_600_000_000, "identity_verification": False},
    }  # fmt: skip


@op("GET", "/admins")
def list_admins(ws: Workspace, call: Call) -> Json:
    return {"type": "admin.list", "admins": [ws.render_admin(a) for a in ws.admins.values()]}


@op("GET", "/admins/{admin_id}")
def get_admin(ws: Workspace, call: Call) -> Json:
    return ws.render_admin(ws.admin(call.params["admin_id"]))


@op("PUT", "/admins/{admin_id}/away")
def set_away(ws: Workspace, call: Call) -> Json:
    admin = ws.admin(call.params["admin_id"])
    body = call.json()
    for key in ("away_mode_enabled", "away_mode_reassign"):
        if key in body:
            admin[key] = bool(body[key])
    return ws.render_admin(admin)


@op("GET", "/teams")
def list_teams(ws: Workspace, call: Call) -> Json:
    return {"type": "team.list", "teams": [ws.render_team(t) for t in ws.teams.values()]}


@op("GET", "/teams/{team_id}")
def get_team(ws: Workspace, call: Call) -> Json:
    if call.params["team_id"] not in ws.teams:
        raise not_found("Team", call.params["team_id"])
    return ws.render_team(ws.teams[call.params["team_id"]])


# -- conversations ----------------------------------------------------------------------------------

_CONVERSATION_ALIASES = {
    "contact_ids": lambda cv: [c["id"] for c in cv["contacts"]["contacts"]],
    "teammate_ids": lambda cv: [t["id"] for t in cv["teammates"]["teammates"]],
    "tag_ids": lambda cv: [t["id"] for t in cv["tags"]["tags"]],
}


@op("POST", "/conversations")
def create_conversation(ws: Workspace, call: Call) -> Json:
    body = call.json()
    sender = body.get("from")
    if not isinstance(sender, Mapping) or not sender.get("id"):
        raise missing("from")
    if sender.get("type") not in ("user", "lead", "contact"):
        raise bad_request("from.type must be user, lead or contact", field="from")
    if not body.get("body"):
        raise missing("body")
    cv = ws.create_conversation(ws.contact(str(sender["id"])), str(body["body"]), body.get("subject"))
    return {
        "type": "user_message", "id": cv["source"]["id"], "created_at": cv["created_at"],
        "subject": body.get("subject") or "", "body": str(body["body"]), "message_type": "inapp",
        "conversation_id": cv["id"],
    }  # fmt: skip


@op("GET", "/conversations")
def list_conversations(ws: Workspace, call: Call) -> Json:
    items = [ws.render_conversation(cv, parts=False) for cv in ws.conversations.values()]
    per_page = _per_page(call.query.get("per_page"), 20)
    return cursor_page(items, per_page, call.query.get("starting_after"), "conversations", "conversation.list")


@op("GET", "/conversations/{conversation_id}")
def get_conversation(ws: Workspace, call: Call) -> Json:
    return ws.render_conversation(ws.conversation(call.params["conversation_id"]))


@op("PUT", "/conversations/{conversation_id}")
def update_conversation(ws: Workspace, call: Call) -> Json:
    cv = ws.conversation(call.params["conversation_id"])
    body = call.json()
    if "read" in body:
        cv["read"] = bool(body["read"])
    if "title" in body:
        cv["title"] = body["title"]
    if isinstance(body.get("custom_attributes"), Mapping):
        cv["custom_attributes"].update(body["custom_attributes"])
    cv["updated_at"] = ws.now()
    return ws.render_conversation(cv)


@op("DELETE", "/conversations/{conversation_id}")
def delete_conversation(ws: Workspace, call: Call) -> Json:
    cv = ws.conversation(call.params["conversation_id"])
    del ws.conversations[cv["id"]]
    return {"id": cv["id"], "object": "conversation", "deleted": True}


def _part(ws: Workspace, part_type: str, author_type: str, author_id: str, body: Any = None, **extra: Any) -> Json:
    return {"id": ws.next_id(), "part_type": part_type, "author_type": author_type, "author_id": author_id,
            "body": None if body is None else str(body), "created_at": ws.now(), **extra}  # fmt: skip


@op("POST", "/conversations/{conversation_id}/reply")
def reply_conversation(ws: Workspace, call: Call) -> Json:
    cv = ws.conversation(call.params["conversation_id"])
    body = call.json()
    message_type = body.get("message_type")
    if body.get("type") == "admin":
        admin = ws.admin(body.get("admin_id"))
        if message_type not in ("comment", "note", "quick_reply"):
            raise bad_request("message_type must be comment, note or quick_reply", field="message_type")
        cv["parts"].append(_part(ws, message_type, "admin", admin["id"], body.get("body")))
        if admin["id"] not in cv["teammates"]:
            cv["teammates"].append(admin["id"])
        if message_type != "note":
            cv["waiting_since"] = None
    elif body.get("type") == "user":
        if message_type != "comment":
            raise bad_request("a contact replies with message_type comment", field="message_type")
        if not body.get("body"):
            raise missing("body")
        contact = ws.find_contact(body)
        cv["parts"].append(_part(ws, "comment", "contact", contact["id"], body["body"]))
        if contact["id"] not in cv["contact_ids"]:
            cv["contact_ids"].append(contact["id"])
        cv["state"], cv["snoozed_until"] = "open", None
        cv["waiting_since"] = cv.get("waiting_since") or ws.now()
    else:
        raise bad_request("type must be admin or user", field="type")
    cv["updated_at"] = ws.now()
    return ws.render_conversation(cv)


@op("POST", "/conversations/{conversation_id}/parts")
def manage_conversation(ws: Workspace, call: Call) -> Json:
    cv = ws.conversation(call.params["conversation_id"])
    body = call.json()
    admin = ws.admin(body.get("admin_id"))
    kind = body.get("message_type")
    if kind == "close":
        cv["state"], cv["snoozed_until"] = "closed", None
        cv["parts"].append(_part(ws, "close", "admin", admin["id"], body.get("body")))
    elif kind == "open":
        cv["state"], cv["snoozed_until"] = "open", None
        cv["parts"].append(_part(ws, "open", "admin", admin["id"]))
    elif kind == "snoozed":
        until = body.get("snoozed_until")
        if not isinstance(until, int) or until <= ws.now():
            raise bad_request("snoozed_until must be a time in the future (epoch seconds)", field="snoozed_until")
        cv["state"], cv["snoozed_until"] = "snoozed", until
        cv["parts"].append(_part(ws, "snoozed", "admin", admin["id"]))
    elif kind == "assignment":
        assignee = str(body.get("assignee_id") or "")
        if assignee in ("", "0"):
            cv["admin_assignee_id"] = None
            cv["team_assignee_id"] = None
            assigned: Json | None = None
        elif body.get("type") == "team":
            if assignee not in ws.teams:
                raise not_found("Team", assignee)
            cv["team_assignee_id"] = int(assignee)
            assigned = {"type": "team", "id": assignee}
        else:
            ws.admin(assignee, "assignee_id")
            cv["admin_assignee_id"] = int(assignee)
            assigned = {"type": "admin", "id": assignee}
        cv["parts"].append(_part(ws, "assignment", "admin", admin["id"], body.get("body"), assigned_to=assigned))
    else:
        raise bad_request("message_type must be close, open, snoozed or assignment", field="message_type")
    cv["updated_at"] = ws.now()
    return ws.render_conversation(cv)


@op("POST", "/conversations/search")
def search_conversations(ws: Workspace, call: Call) -> Json:
    items = [ws.render_conversation(cv, parts=False) for cv in ws.conversations.values()]
    return _search(ws, call, items, "conversations", "conversation.list", _CONVERSATION_ALIASES)


# -- tickets ----------------------------------------------------------------------------------------

_TICKET_STATES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
_TICKET_ALIASES = {
    "contact_ids": lambda t: [c["id"] for c in t["contacts"]["contacts"]],
    "ticket_type_id": lambda t: t["ticket_type"]["id"],
    "state": lambda t: t["ticket_state"],
}


@op("GET", "/ticket_states")
def list_ticket_states(ws: Workspace, call: Call) -> Json:
    return {"type": "list", "data": [ws.render_ticket_state(s, detailed=True) for s in _TICKET_STATES]}


@op("GET", "/ticket_types")
def list_ticket_types(ws: Workspace, call: Call) -> Json:
    return {"type": "ticket_type_attributes.list",
            "ticket_types": [ws.render_ticket_type(t) for t in ws.ticket_types.values()]}  # fmt: skip


@op("GET", "/ticket_types/{ticket_type_id}")
def get_ticket_type(ws: Workspace, call: Call) -> Json:
    if call.params["ticket_type_id"] not in ws.ticket_types:
        raise not_found("Ticket type", call.params["ticket_type_id"])
    return ws.render_ticket_type(ws.ticket_types[call.params["ticket_type_id"]])


@op("POST", "/ticket_types")
def create_ticket_type(ws: Workspace, call: Call) -> Json:
    body = call.json()
    if not body.get("name"):
        raise missing("name")
    now = ws.now()
    ident = ws.next_id()
    ws.ticket_types[ident] = {
        "id": ident, "name": body["name"], "description": body.get("description") or "",
        "category": body.get("category") or "Customer", "icon": body.get("icon") or "🎟️",
        "archived": bool(body.get("is_internal", False)) and False, "created_at": now, "updated_at": now,
    }  # fmt: skip
    return ws.render_ticket_type(ws.ticket_types[ident])


@op("POST", "/tickets")
def create_ticket(ws: Workspace, call: Call) -> Json:
    body = call.json()
    if not body.get("ticket_type_id"):
        raise missing("ticket_type_id")
    refs = body.get("contacts")
    if not isinstance(refs, list) or not refs:
        raise missing("contacts")
    contacts = [ws.find_contact(ref) for ref in refs]
    return ws.render_ticket(ws.create_ticket(str(body["ticket_type_id"]), contacts, body.get("ticket_attributes")))


@op("GET", "/tickets/{ticket_id}")
def get_ticket(ws: Workspace, call: Call) -> Json:
    return ws.render_ticket(ws.ticket(call.params["ticket_id"]))


@op("PUT", "/tickets/{ticket_id}")
def update_ticket(ws: Workspace, call: Call) -> Json:
    ticket = ws.ticket(call.params["ticket_id"])
    body = call.json()
    state = body.get("state")
    if body.get("ticket_state_id") is not None:
        ids = {str(i + 1): name for i, name in enumerate(_TICKET_STATES)}
        if str(body["ticket_state_id"]) not in ids:
            raise not_found("Ticket state", body["ticket_state_id"])
        state = ids[str(body["ticket_state_id"])]
    if state is not None:
        if state not in _TICKET_STATES:
            raise bad_request(f"state must be one of {', '.join(_TICKET_STATES)}", field="state")
        if state != ticket["state"]:
            ticket["parts"].append(_part(ws, "ticket_state_updated_by_admin", "admin", str(body.get("admin_id") or "1"),
                                         ticket_state=state, previous_ticket_state=ticket["state"]))  # fmt: skip
            ticket["state"] = state
    if isinstance(body.get("ticket_attributes"), Mapping):
        ticket["ticket_attributes"].update(body["ticket_attributes"])
    for key in ("open", "is_shared", "snoozed_until"):
        if key in body:
            ticket[key] = body[key]
    assignment = body.get("assignment") if isinstance(body.get("assignment"), Mapping) else body
    if assignment.get("assignee_id") is not None:
        assignee = str(assignment["assignee_id"])
        ws.admin(assignee, "assignee_id")
        ticket["admin_assignee_id"] = assignee
    ticket["updated_at"] = ws.now()
    return ws.render_ticket(ticket)


@op("DELETE", "/tickets/{ticket_id}")
def delete_ticket(ws: Workspace, call: Call) -> Json:
    ticket = ws.ticket(call.params["ticket_id"])
    del ws.tickets[ticket["id"]]
    return {"id": ticket["id"], "object": "ticket", "deleted": True}


@op("POST", "/tickets/{ticket_id}/reply")
def reply_ticket(ws: Workspace, call: Call) -> Json:
    ticket = ws.ticket(call.params["ticket_id"])
    body = call.json()
    if body.get("type") == "admin":
        admin = ws.admin(body.get("admin_id"))
        kind = body.get("message_type")
        if kind not in ("comment", "note", "quick_reply"):
            raise bad_request("message_type must be comment, note or quick_reply", field="message_type")
        part = _part(ws, kind, "admin", admin["id"], body.get("body"))
    elif body.get("type") == "user":
        if not body.get("body"):
            raise missing("body")
        part = _part(ws, "comment", "contact", ws.find_contact(body)["id"], body["body"])
    else:
        raise bad_request("type must be admin or user", field="type")
    ticket["parts"].append(part)
    ticket["updated_at"] = ws.now()
    rendered = ws.render_ticket_part(ticket, part)
    rendered.pop("ticket_state")
    return rendered


@op("POST", "/tickets/search")
def search_tickets(ws: Workspace, call: Call) -> Json:
    items = [ws.render_ticket(t) for t in ws.tickets.values()]
    return _search(ws, call, items, "tickets", "ticket.list", _TICKET_ALIASES)


# -- data attributes --------------------------------------------------------------------------------


@op("GET", "/data_attributes")
def list_data_attributes(ws: Workspace, call: Call) -> Json:
    model = call.query.get("model")
    archived = call.query.get("include_archived") in ("true", "True", "1")
    items = [
        ws.render_data_attribute(d)
        for d in ws.data_attributes.values()
        if (model is None or d["model"] == model) and (archived or not d["archived"])
    ]
    return {"type": "list", "data": items}


@op("POST", "/data_attributes")
def create_data_attribute(ws: Workspace, call: Call) -> Json:
    body = call.json()
    for key in ("name", "model", "data_type"):
        if not body.get(key):
            raise missing(key)
    if body["model"] not in ("contact", "company"):
        raise bad_request("model must be contact or company", field="model")
    if body["data_type"] not in ("string", "integer", "float", "boolean", "date", "datetime", "options"):
        raise bad_request("unknown data_type", field="data_type")
    if any(d["name"] == body["name"] and d["model"] == body["model"] for d in ws.data_attributes.values()):
        raise bad_request(f"You already have '{body['name']}' in your {body['model']} data", "parameter_invalid", "name")
    now = ws.now()
    ws.counter += 1
    data_type = "string" if body["data_type"] == "options" else ("date" if body["data_type"] == "datetime" else body["data_type"])
    attr = {
        "id": ws.counter, "model": body["model"], "name": body["name"],
        "full_name": f"custom_attributes.{body['name']}", "label": body["name"],
        "description": body.get("description") or "", "data_type": data_type,
        "options": [o["value"] if isinstance(o, Mapping) else o for o in body.get("options") or []],
        "api_writable": True, "messenger_writable": bool(body.get("messenger_writable", False)), "custom": True,
        "archived": False, "created_at": now, "updated_at": now, "admin_id": "1",
    }  # fmt: skip
    ws.data_attributes[str(attr["id"])] = attr
    return ws.render_data_attribute(attr)


@op("PUT", "/data_attributes/{data_attribute_id}")
def update_data_attribute(ws: Workspace, call: Call) -> Json:
    attr = ws.data_attributes.get(call.params["data_attribute_id"])
    if attr is None:
        raise not_found("Data attribute", call.params["data_attribute_id"])
    if not attr["custom"]:
        raise FakeAPIError(422, "parameter_invalid", f"'{attr['name']}' is a standard attribute and cannot be changed")
    body = call.json()
    for key in ("archived", "description", "messenger_writable"):
        if key in body:
            attr[key] = body[key]
    if "options" in body:
        attr["options"] = [o["value"] if isinstance(o, Mapping) else o for o in body["options"] or []]
    attr["updated_at"] = ws.now()
    return ws.render_data_attribute(attr)
