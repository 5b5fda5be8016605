"""The fake's state (one in-memory Intercom workspace), its rendering and its paging helpers.

Items are stored as plain dicts and rendered on the way out, so every response carries every
property the version's schema requires (``None`` where the schema allows it). The operations are in
``_operations.py``, registered into :data:`HANDLERS` for ``(METHOD, path template)``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._errors import FakeAPIError, bad_request, missing, not_found

__all__ = ["HANDLERS", "TICKET_STATES", "Call", "Handler", "Workspace", "cursor_page", "number_page", "op"]

WORKSPACE_ID = "fakeapp1"
MAX_PER_PAGE = 150
SCROLL_PAGE = 50
SCROLL_EXPIRY = 60.0

Json = dict[str, Any]
TICKET_STATES = ("submitted", "in_progress", "waiting_on_customer", "resolved")
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


def per_page_of(value: Any, default: int = 50) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise bad_request("per_page must be an integer", field="per_page") from None
    if not 1 <= number <= MAX_PER_PAGE:
        raise bad_request(f"per_page must be between 1 and {MAX_PER_PAGE}", field="per_page")
    return number


Render = Callable[[Json], Json]


def _same(item: Json) -> Json:
    return item


def cursor_page(
    items: Sequence[Json], per_page: int, starting_after: Any, key: str, kind: str, render: Render = _same
) -> Json:
    """One page of a cursor listing: ``pages.next.starting_after`` while more remain. ``items`` are
    stored records; only the page's are rendered."""
    start = _offset(starting_after)
    chunk = [render(item) for item in items[start : start + per_page]]
    total_pages = max(1, -(-len(items) // per_page))
    pages: Json = {
        "type": "pages",
        "page": start // per_page + 1,
        "per_page": per_page,
        "total_pages": total_pages,
    }
    if start + per_page < len(items):
        pages["next"] = {"per_page": per_page, "starting_after": _cursor(start + per_page)}
    return {"type": kind, key: chunk, "total_count": len(items), "pages": pages}


def number_page(
    items: Sequence[Json], call: Call, key: str, kind: str, default: int = 15, render: Render = _same
) -> Json:
    """One page of a page-number listing (``page``, ``per_page``); the client asks for page + 1."""
    per_page = per_page_of(call.query.get("per_page"), default)
    page = call.int_query("page", 1)
    if page < 1:
        raise bad_request("page must be >= 1", field="page")
    chunk = [render(item) for item in items[(page - 1) * per_page : page * per_page]]
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
    no_priority: str = "not_priority"
    """A conversation's priority when none was set: ``not_priority``; 2.16 on ``none``."""
    assignee_ids_non_null: bool = False
    """2.16 on: assignee ids are integers: a conversation's never null (left out when unassigned),
    a ticket's ``0`` when unassigned."""

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
            "1": {
                "id": "1",
                "name": "Ada Admin",
                "email": "ada@fake-intercom.example",
                "job_title": "Support lead",
                "away_mode_enabled": False,
                "away_mode_reassign": False,
                "has_inbox_seat": True,
                "team_ids": [1],
            },
            "2": {
                "id": "2",
                "name": "Bob Admin",
                "email": "bob@fake-intercom.example",
                "job_title": "Engineer",
                "away_mode_enabled": False,
                "away_mode_reassign": False,
                "has_inbox_seat": True,
                "team_ids": [1],
            },
        }
        self.teams = {"1": {"id": "1", "name": "Support", "admin_ids": [1, 2]}}
        self.ticket_types = {
            "1": {
                "id": "1",
                "category": "Customer",
                "name": "Bug report",
                "description": "A problem to fix",
                "icon": "🐞",
                "archived": False,
                "created_at": now,
                "updated_at": now,
            },
        }
        standard = [
            ("name", "string"),
            ("email", "string"),
            ("phone", "string"),
            ("external_id", "string"),
            ("created_at", "date"),
            ("updated_at", "date"),
            ("last_seen_at", "date"),
        ]
        for name, data_type in standard:
            self.counter += 1
            self.data_attributes[str(self.counter)] = {
                "id": self.counter,
                "model": "contact",
                "name": name,
                "full_name": name,
                "label": name.replace("_", " ").title(),
                "description": "",
                "data_type": data_type,
                "custom": False,
                "archived": False,
                "options": [],
                "api_writable": name != "created_at",
                "created_at": now,
                "updated_at": now,
            }
        self.counter = 100

    # -- rendering ---------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def render_contact(self, c: Json) -> Json:
        out: Json = {
            "type": "contact",
            "id": c["id"],
            "workspace_id": WORKSPACE_ID,
            "external_id": c.get("external_id"),
            "role": c["role"],
            "phone": c.get("phone"),
            "formatted_phone": c.get("phone"),
            "name": c.get("name"),
            "avatar": None,
            "owner_id": c.get("owner_id"),
            "social_profiles": {"type": "list", "data": []},
            "has_hard_bounced": False,
            "marked_email_as_spam": False,
            "unsubscribed_from_emails": bool(c.get("unsubscribed_from_emails", False)),
            "created_at": c["created_at"],
            "updated_at": c["updated_at"],
            "signed_up_at": c.get("signed_up_at"),
            "last_seen_at": c.get("last_seen_at"),
            "last_replied_at": c.get("last_replied_at"),
            "last_contacted_at": c.get("last_contacted_at"),
            "last_email_opened_at": None,
            "last_email_clicked_at": None,
            "language_override": c.get("language_override"),
            "browser": None,
            "browser_version": None,
            "browser_language": None,
            "os": None,
            "location": {"type": "location", "country": None, "region": None, "city": None},
            "custom_attributes": dict(c.get("custom_attributes") or {}),
        }
        if c.get("email") is not None:
            out["email"] = c["email"]
            out["email_domain"] = _email_domain(c["email"]) or ""
        tag_ids, company_ids = c.get("tag_ids", []), c.get("company_ids", [])
        note_ids = c.get("note_ids", [])
        base = f"/contacts/{c['id']}"
        out["tags"] = {
            "type": "list",
            "data": [{"type": "tag", "id": t, "url": self._url(f"/tags/{t}")} for t in tag_ids],
            "url": self._url(f"{base}/tags"),
            "total_count": len(tag_ids),
            "has_more": False,
        }
        out["notes"] = {
            "type": "list",
            "data": [{"type": "note", "id": n, "url": self._url(f"/notes/{n}")} for n in note_ids],
            "url": self._url(f"{base}/notes"),
            "total_count": len(note_ids),
            "has_more": False,
        }
        out["companies"] = {
            "type": "list",
            "data": [{"type": "company", "id": i, "url": self._url(f"/companies/{i}")} for i in company_ids],
            "url": self._url(f"{base}/companies"),
            "total_count": len(company_ids),
            "has_more": False,
        }
        return out

    def user_counts(self) -> dict[str, int]:
        """Contacts per company id (computed once for a listing, not once per company)."""
        counts: dict[str, int] = {}
        for c in self.contacts.values():
            for ident in c.get("company_ids", []):
                counts[ident] = counts.get(ident, 0) + 1
        return counts

    def render_company(self, co: Json, counts: Mapping[str, int] | None = None) -> Json:
        if counts is None:
            users = sum(1 for c in self.contacts.values() if co["id"] in c.get("company_ids", []))
        else:
            users = counts.get(co["id"], 0)
        return {
            "type": "company",
            "id": co["id"],
            "name": co.get("name") or "",
            "app_id": WORKSPACE_ID,
            "company_id": co["company_id"],
            "remote_created_at": co.get("remote_created_at") or 0,
            "created_at": co["created_at"],
            "updated_at": co["updated_at"],
            "last_request_at": 0,
            "size": co.get("size") or 0,
            "website": co.get("website") or "",
            "industry": co.get("industry") or "",
            "monthly_spend": int(co.get("monthly_spend") or 0),
            "session_count": 0,
            "user_count": users,
            "custom_attributes": _as_strings(co.get("custom_attributes") or {}),
            "tags": {
                "type": "tag.list",
                "tags": [
                    self.render_tag_basic(self.tags[t]) for t in co.get("tag_ids", []) if t in self.tags
                ],
            },
            "segments": {"type": "segment.list", "segments": []},
            **({"plan": {"type": "plan", "id": "1", "name": co["plan"]}} if co.get("plan") else {}),
        }

    def render_tag_basic(self, t: Json) -> Json:
        return {"type": "tag", "id": t["id"], "name": t["name"]}

    def render_tag(self, t: Json, applied: Json | None = None) -> Json:
        applied = applied or {}
        by = applied.get("by")
        return {
            "type": "tag",
            "id": t["id"],
            "name": t["name"],
            "applied_at": applied.get("at"),
            "applied_by": {"type": "admin", "id": by} if by else None,
        }

    def render_admin(self, a: Json) -> Json:
        return {"type": "admin", **copy.deepcopy(a), "avatar": None}

    def render_team(self, t: Json) -> Json:
        return {"type": "team", **copy.deepcopy(t), "admin_priority_level": {}}

    def render_note(self, n: Json) -> Json:
        return {
            "type": "note",
            "id": n["id"],
            "created_at": n["created_at"],
            "contact": {"type": "contact", "id": n["contact_id"]},
            "author": self.render_admin(self.admins[n["admin_id"]]),
            "body": n["body"],
        }

    def _author(self, kind: str, ident: str) -> Json:
        if kind == "admin":
            admin = self.admins.get(ident) or self.admins["1"]
            return {"type": "admin", "id": admin["id"], "name": admin["name"], "email": admin["email"]}
        contact = self.contacts.get(ident, {})
        return {
            "type": "user" if contact.get("role", "user") == "user" else "lead",
            "id": ident,
            "name": contact.get("name"),
            "email": contact.get("email") or f"{ident}@contacts.fake-intercom.example",
        }

    def render_conversation(self, cv: Json, parts: bool = True) -> Json:
        out: Json = {
            "type": "conversation",
            "id": cv["id"],
            "title": cv.get("title"),
            "created_at": cv["created_at"],
            "updated_at": cv["updated_at"],
            "waiting_since": cv.get("waiting_since"),
            "snoozed_until": cv.get("snoozed_until"),
            "open": cv["state"] != "closed",
            "state": cv["state"],
            "read": bool(cv.get("read", False)),
            "priority": cv.get("priority", self.no_priority),
            **{  # unassigned: null where the version allows it (2.16 on: the key is left out)
                key: cv.get(key)
                for key in ("admin_assignee_id", "team_assignee_id")
                if cv.get(key) is not None or not self.assignee_ids_non_null
            },
            "tags": {
                "type": "tag.list",
                "tags": [self.render_tag(self.tags[t], a) for t, a in cv["tags"].items() if t in self.tags],
            },
            "source": {
                "type": "conversation",
                "id": cv["source"]["id"],
                "delivered_as": "customer_initiated",
                "subject": cv["source"].get("subject") or "",
                "body": cv["source"]["body"],
                "author": self._author("contact", cv["contact_ids"][0]),
                "attachments": [],
                "url": None,
                "redacted": False,
            },
            "contacts": {
                "type": "contact.list",
                "contacts": [
                    {"type": "contact", "id": i, "external_id": self.contacts.get(i, {}).get("external_id")}
                    for i in cv["contact_ids"]
                ],
            },
            "teammates": {
                "type": "admin.list",
                "teammates": [{"type": "admin", "id": a} for a in cv["teammates"]],
            },
            "custom_attributes": dict(cv.get("custom_attributes") or {}),
            "statistics": {
                "type": "conversation_statistics",
                "count_conversation_parts": len(cv["parts"]) + 1,
            },
            "linked_objects": {"type": "list", "total_count": 0, "has_more": False, "data": []},
            "ai_agent_participated": False,
        }
        if parts:
            out["conversation_parts"] = {
                "type": "conversation_part.list",
                "total_count": len(cv["parts"]),
                "conversation_parts": [
                    {
                        "type": "conversation_part",
                        "id": p["id"],
                        "part_type": p["part_type"],
                        "body": p.get("body"),
                        "created_at": p["created_at"],
                        "updated_at": p["created_at"],
                        "notified_at": p["created_at"],
                        "assigned_to": p.get("assigned_to"),
                        "author": self._author(p["author_type"], p["author_id"]),
                        "attachments": [],
                        "external_id": None,
                        "redacted": False,
                    }
                    for p in cv["parts"]
                ],
            }
        return out

    def render_ticket_type(self, tt: Json, states: bool = True) -> Json:
        out = {
            "type": "ticket_type",
            **copy.deepcopy(tt),
            "workspace_id": WORKSPACE_ID,
            "ticket_type_attributes": {"type": "ticket_type_attributes.list", "ticket_type_attributes": []},
        }
        if self.ticket_state_objects and states:
            out["ticket_states"] = {
                "type": "list",
                "data": [self.render_ticket_state(s) for s in TICKET_STATES],
            }
        return out

    def render_ticket_state(self, state: str, detailed: bool = False) -> Json:
        ident = str(TICKET_STATES.index(state) + 1)
        label = state.replace("_", " ").capitalize()
        out: Json = {
            "type": "ticket_state",
            "id": ident,
            "category": state,
            "internal_label": label,
            "external_label": label,
        }
        if detailed:
            out["archived"] = False
            out["ticket_types"] = {
                "type": "list",
                "data": [self.render_ticket_type(t, states=False) for t in self.ticket_types.values()],
            }
        return out

    def render_ticket(self, t: Json) -> Json:
        state: Any = self.render_ticket_state(t["state"]) if self.ticket_state_objects else t["state"]
        return {
            "type": "ticket",
            "id": t["id"],
            "ticket_id": t["ticket_id"],
            "category": t["category"],
            "ticket_attributes": dict(t.get("ticket_attributes") or {}),
            "ticket_state": state,
            "ticket_type": self.render_ticket_type(self.ticket_types[t["ticket_type_id"]]),
            "contacts": {
                "type": "contact.list",
                "contacts": [
                    {"type": "contact", "id": i, "external_id": self.contacts.get(i, {}).get("external_id")}
                    for i in t["contact_ids"]
                ],
            },
            **{  # "0" when unassigned; integers from 2.16 on
                key: int(t.get(key) or 0) if self.assignee_ids_non_null else str(t.get(key) or "0")
                for key in ("admin_assignee_id", "team_assignee_id")
            },
            "created_at": t["created_at"],
            "updated_at": t["updated_at"],
            "open": t["open"],
            "snoozed_until": t.get("snoozed_until") or 0,
            "linked_objects": {"type": "list", "total_count": 0, "has_more": False, "data": []},
            "ticket_parts": {
                "type": "ticket_part.list",
                "total_count": len(t["parts"]),
                "ticket_parts": [self.render_ticket_part(t, p) for p in t["parts"]],
            },
            "is_shared": bool(t.get("is_shared", False)),
            "ticket_state_internal_label": t["state"].replace("_", " ").title(),
            "ticket_state_external_label": t["state"].replace("_", " ").title(),
            "tags": {
                "type": "tag.list",
                "tags": [self.render_tag(self.tags[g], a) for g, a in t["tags"].items() if g in self.tags],
            },
        }

    def render_ticket_part(self, t: Json, p: Json) -> Json:
        out = {
            "type": "ticket_part",
            "id": p["id"],
            "part_type": p["part_type"],
            "body": p.get("body"),
            "ticket_state": p.get("ticket_state", t["state"]),
            "created_at": p["created_at"],
            "updated_at": p["created_at"],
            "author": self._author(p["author_type"], p["author_id"]),
            "attachments": [],
            "redacted": False,
        }
        if p.get("previous_ticket_state"):
            out["previous_ticket_state"] = p["previous_ticket_state"]
        return out

    def render_data_attribute(self, d: Json) -> Json:
        return {
            "type": "data_attribute",
            **copy.deepcopy(d),
            "messenger_writable": bool(d.get("messenger_writable")),
            "ui_writable": True,
        }

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
                    422,
                    "parameter_mismatch",
                    f"Custom attribute '{name}' is a {attr['data_type']}: got {value!r}",
                    name,
                )
            if attr.get("options") and value is not None and value not in attr["options"]:
                raise FakeAPIError(422, "parameter_mismatch", f"'{value}' is not an option of '{name}'", name)
            out[name] = value
        return out

    # -- creating (also used by seed) --------------------------------------------------------------

    def create_contact(self, fields: Mapping[str, Any], ident: str | None = None) -> Json:
        role = fields.get("role") or "user"
        if role not in ("user", "lead"):
            raise bad_request("role must be user or lead", field="role")
        email, external_id = fields.get("email"), fields.get("external_id")
        if not (email or external_id or fields.get("role")):
            raise bad_request("a contact needs one of email, external_id or role", "parameter_not_found")
        for c in self.contacts.values():
            same_email = email and c.get("email") == email and c["role"] == role == "user"
            if same_email or (external_id and c.get("external_id") == external_id):
                raise FakeAPIError(
                    409, "conflict", f"A contact matching those details already exists with id={c['id']}"
                )
        now = self.now()
        contact: Json = {
            "id": self._fresh(self.contacts, ident),
            "role": role,
            "email": email,
            "external_id": _str(external_id),
            "phone": fields.get("phone"),
            "name": fields.get("name"),
            "owner_id": fields.get("owner_id"),
            "created_at": int(fields.get("created_at") or now),
            "updated_at": int(fields.get("updated_at") or now),
            "signed_up_at": fields.get("signed_up_at"),
            "last_seen_at": fields.get("last_seen_at"),
            "unsubscribed_from_emails": bool(fields.get("unsubscribed_from_emails", False)),
            "language_override": fields.get("language_override"),
            "custom_attributes": self.custom_attributes("contact", fields.get("custom_attributes")),
            "tag_ids": [],
            "company_ids": [],
            "note_ids": [],
            "archived": False,
        }
        self.contacts[contact["id"]] = contact
        return contact

    def _fresh(self, table: Mapping[str, Any], ident: Any) -> str:
        """A new id, or the one a seed row asks for (which must be unused)."""
        if ident is None:
            return self.next_id(hex_id=True)
        if str(ident) in table:
            raise ValueError(f"seed: id {ident!r} is taken")
        return str(ident)

    def upsert_company(self, fields: Mapping[str, Any], ident: str | None = None) -> Json:
        company_id = fields.get("company_id")
        existing = next(
            (c for c in self.companies.values() if company_id and c["company_id"] == str(company_id)), None
        )
        now = self.now()
        if existing is None:
            if not company_id and not fields.get("name"):
                raise bad_request(
                    "a company needs a company_id or a name", "parameter_not_found", "company_id"
                )
            existing = {
                "id": self._fresh(self.companies, ident),
                "company_id": str(company_id or fields.get("name")),
                "created_at": now,
                "tag_ids": [],
                "custom_attributes": {},
            }
            self.companies[existing["id"]] = existing
        for key in ("name", "plan", "size", "website", "industry", "monthly_spend", "remote_created_at"):
            if fields.get(key) is not None:
                existing[key] = fields[key]
        existing["custom_attributes"] = self.custom_attributes(
            "company", fields.get("custom_attributes"), existing["custom_attributes"]
        )
        existing["updated_at"] = now
        return existing

    def create_conversation(
        self, contact: Json, body: str, subject: str | None = None, at: int | None = None
    ) -> Json:
        now = at if at is not None else self.now()
        cv: Json = {
            "id": self.next_id(),
            "created_at": now,
            "updated_at": now,
            "state": "open",
            "waiting_since": now,
            "source": {"id": self.next_id(), "body": body, "subject": subject},
            "contact_ids": [contact["id"]],
            "teammates": [],
            "parts": [],
            "tags": {},
            "custom_attributes": {},
            "read": False,
            "admin_assignee_id": None,
            "team_assignee_id": None,
        }
        self.conversations[cv["id"]] = cv
        return cv

    def create_ticket(
        self, type_id: str, contacts: list[Json], attributes: Any, at: int | None = None
    ) -> Json:
        if str(type_id) not in self.ticket_types:
            raise not_found("Ticket type", type_id)
        if not contacts:
            raise bad_request("a ticket needs at least one contact", "parameter_not_found", "contacts")
        now = at if at is not None else self.now()
        ident = self.next_id()
        ticket: Json = {
            "id": ident,
            "ticket_id": ident,
            "ticket_type_id": str(type_id),
            "category": self.ticket_types[str(type_id)]["category"],
            "state": "submitted",
            "open": True,
            "contact_ids": [c["id"] for c in contacts],
            "created_at": now,
            "updated_at": now,
            "parts": [],
            "tags": {},
            "ticket_attributes": dict(attributes) if isinstance(attributes, Mapping) else {},
        }
        self.tickets[ident] = ticket
        return ticket

    def seed(
        self, rng: random.Random, contacts: Any, companies: Any, conversations: Any, tickets: Any
    ) -> None:
        now = self.now()

        def rows(spec: Any, make: Callable[[int], Json]) -> Iterable[Json]:
            if isinstance(spec, int):
                start = self.counter
                return (make(start + i) for i in range(spec))
            return iter(spec or [])

        made_companies = [
            self.upsert_company(row, row.get("id"))
            for row in rows(
                companies,
                lambda i: {
                    "company_id": f"company-{i}",
                    "name": f"Company {i}",
                    "size": rng.randint(1, 500),
                    "industry": "Software",
                },
            )
        ]
        for row in rows(
            contacts,
            lambda i: {
                "email": f"user{i}@example.com",
                "name": f"User {i}",
                "created_at": now - rng.randint(0, 90 * 86400),
            },
        ):
            row = dict(row)
            row.setdefault("updated_at", row.get("created_at", now))
            contact = self.create_contact(row, row.get("id"))
            if made_companies and isinstance(contacts, int):
                contact["company_ids"].append(rng.choice(made_companies)["id"])
        people = list(self.contacts.values())
        if conversations and not people:
            raise ValueError("seed(conversations=...) needs contacts to start them")
        for row in rows(conversations, lambda i: {"body": f"Hello, question {i}"}):
            who = self.find_contact(row["from"]) if "from" in row else rng.choice(people)
            conversation = self.create_conversation(who, str(row.get("body", "Hello")), row.get("subject"))
            if row.get("state") in ("open", "closed"):
                conversation["state"] = row["state"]
        if tickets and not people:
            raise ValueError("seed(tickets=...) needs contacts to open them")
        for row in rows(tickets, lambda i: {"ticket_attributes": {"_default_title_": f"Ticket {i}"}}):
            self.create_ticket(
                row.get("ticket_type_id", "1"), [rng.choice(people)], row.get("ticket_attributes")
            )


def _as_strings(attributes: Mapping[str, Any]) -> Json:
    """Company custom attributes as every version's schema gives them: string values."""
    return {
        k: json.dumps(v) if isinstance(v, bool) else str(v) for k, v in attributes.items() if v is not None
    }


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
