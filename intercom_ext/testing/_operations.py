"""The operations FakeIntercom models, one handler each, registered with ``@op(METHOD, path template)``.

A handler receives the :class:`~._workspace.Workspace` and the :class:`~._workspace.Call` and
returns the JSON body of a 200 (or ``(status, body)``), or raises ``FakeAPIError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ._errors import FakeAPIError, bad_request, missing, not_found
from ._search import matches, sort_items, validate_query
from ._workspace import (
    SCROLL_EXPIRY,
    SCROLL_PAGE,
    TICKET_STATES,
    WORKSPACE_ID,
    Call,
    Json,
    Render,
    Workspace,
    cursor_page,
    number_page,
    op,
    per_page_of,
)

__all__: list[str] = []


class _View(Mapping[str, Any]):
    """An item as search sees it: fields the stored record holds as the API shows them are read from
    it; any other field renders the item (once). Searching 10,000 contacts by email renders none."""

    def __init__(self, record: Json, render: Render, stored: frozenset[str]) -> None:
        self.record = record
        self._render = render
        self._stored = stored
        self._full: Json | None = None

    def full(self) -> Json:
        if self._full is None:
            self._full = self._render(self.record)
        return self._full

    def __getitem__(self, key: str) -> Any:
        if key in self._stored:
            return self.record.get(key)
        return self.full()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._stored or key in self.full()

    def __iter__(self) -> Iterator[str]:
        return iter(self.full())

    def __len__(self) -> int:
        return len(self.full())


def _search(
    call: Call,
    records: Iterable[Json],
    render: Render,
    stored: frozenset[str],
    aliases: Mapping[str, Callable[[Json], Any]],
    key: str,
    kind: str,
) -> Json:
    body = call.json()
    query = body.get("query")
    if query is None:
        raise missing("query")
    validate_query(query)
    on_views = {name: (lambda view, fn=fn: fn(view.record)) for name, fn in aliases.items()}
    found = [v for v in (_View(r, render, stored) for r in records) if matches(v, query, on_views)]
    ordered = sort_items(found, body.get("sort"), on_views)
    pagination = body.get("pagination") or {}
    if not isinstance(pagination, Mapping):
        raise bad_request("pagination must be an object", field="pagination")
    per_page = per_page_of(pagination.get("per_page"), 50)
    views = [v for v in ordered if isinstance(v, _View)]
    return cursor_page(views, per_page, pagination.get("starting_after"), key, kind, render=_View.full)  # type: ignore[arg-type]


# -- contacts ---------------------------------------------------------------------------------------

_CONTACT_ALIASES: dict[str, Callable[[Json], Any]] = {
    "tag_id": lambda c: list(c["tag_ids"]),
    "company_id": lambda c: list(c["company_ids"]),
    "segment_id": lambda c: [],
}
#: Stored as the API shows them (search reads these without rendering the contact).
_CONTACT_STORED = frozenset(
    {"id", "role", "email", "external_id", "phone", "name", "owner_id", "created_at", "updated_at",
     "signed_up_at", "last_seen_at", "custom_attributes", "unsubscribed_from_emails", "language_override"}
)  # fmt: skip


def _visible_contacts(ws: Workspace) -> list[Json]:
    return [c for c in ws.contacts.values() if not c.get("archived")]


@op("GET", "/contacts")
def list_contacts(ws: Workspace, call: Call) -> Json:
    per_page = per_page_of(call.query.get("per_page"), 50)
    return cursor_page(
        _visible_contacts(ws), per_page, call.query.get("starting_after"), "data", "list", ws.render_contact
    )


@op("POST", "/contacts")
def create_contact(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.create_contact(call.json()))


@op("GET", "/contacts/{contact_id}")
def show_contact(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.contact(call.params["contact_id"]))


@op("GET", "/contacts/find_by_external_id/{external_id}")
def find_contact_by_external_id(ws: Workspace, call: Call) -> Json:
    return ws.render_contact(ws.find_contact({"external_id": call.params["external_id"]}))


_CONTACT_FIELDS = (
    "role",
    "external_id",
    "email",
    "phone",
    "name",
    "avatar",
    "signed_up_at",
    "last_seen_at",
    "owner_id",
    "unsubscribed_from_emails",
    "language_override",
)


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
    return {
        "type": "contact",
        "id": contact["id"],
        "external_id": contact.get("external_id"),
        "deleted": True,
    }


@op("POST", "/contacts/{contact_id}/archive")
def archive_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    contact["archived"] = True
    return {
        "type": "contact",
        "id": contact["id"],
        "external_id": contact.get("external_id"),
        "archived": True,
    }


@op("POST", "/contacts/{contact_id}/unarchive")
def unarchive_contact(ws: Workspace, call: Call) -> Json:
    contact = ws.contact(call.params["contact_id"])
    contact["archived"] = False
    return {
        "type": "contact",
        "id": contact["id"],
        "external_id": contact.get("external_id"),
        "archived": False,
    }


@op("POST", "/contacts/merge")
def merge_contacts(ws: Workspace, call: Call) -> Json:
    body = call.json()
    if not body.get("from") or not body.get("into"):
        raise missing("from" if not body.get("from") else "into")
    lead, user = ws.contact(str(body["from"])), ws.contact(str(body["into"]))
    if lead["role"] != "lead" or user["role"] != "user":
        raise bad_request("merge takes a lead (from) into a user (into)", field="from")
    for key, value in lead.items():
        if (
            key not in ("id", "role", "custom_attributes", "tag_ids", "company_ids", "note_ids")
            and user.get(key) is None
        ):
            user[key] = value
    user["custom_attributes"] = {**lead.get("custom_attributes", {}), **user.get("custom_attributes", {})}
    for key in ("tag_ids", "company_ids", "note_ids"):
        user[key] = list(dict.fromkeys(user[key] + lead[key]))
    for note_id in lead["note_ids"]:
        ws.notes[note_id]["contact_id"] = user["id"]
    for cv in ws.conversations.values():
        cv["contact_ids"] = [user["id"] if i == lead["id"] else i for i in cv["contact_ids"]]
    del ws.contacts[lead["id"]]
    user["updated_at"] = ws.now()
    return ws.render_contact(user)


@op("POST", "/contacts/search")
def search_contacts(ws: Workspace, call: Call) -> Json:
    return _search(
        call, _visible_contacts(ws), ws.render_contact, _CONTACT_STORED, _CONTACT_ALIASES, "data", "list"
    )


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
    counts = ws.user_counts()
    return number_page(found, call, "data", "list", render=lambda c: ws.render_company(c, counts))


@op("POST", "/companies/list")
def list_companies(ws: Workspace, call: Call) -> Json:
    items = list(ws.companies.values())
    if (call.query.get("order") or (call.json().get("order") if call.body else None)) == "asc":
        items.reverse()
    counts = ws.user_counts()
    return number_page(items, call, "data", "list", render=lambda c: ws.render_company(c, counts))


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
    chunk = [
        ws.companies[i]
        for i in scroll["ids"][scroll["offset"] : scroll["offset"] + SCROLL_PAGE]
        if i in ws.companies
    ]
    scroll["offset"] += SCROLL_PAGE
    scroll["used"] = now
    counts = ws.user_counts() if chunk else {}
    if not chunk:
        ws.scroll = None
    return {
        "type": "list",
        "data": [ws.render_company(c, counts) for c in chunk],
        "total_count": len(scroll["ids"]),
        "scroll_param": scroll["param"],
    }


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
    items = [ws.companies[i] for i in contact["company_ids"] if i in ws.companies]
    return number_page(items, call, "companies", "list", render=ws.render_company)


@op("GET", "/companies/{company_id}/contacts")
def list_company_contacts(ws: Workspace, call: Call) -> Json:
    company = ws.company(call.params["company_id"])
    items = [c for c in ws.contacts.values() if company["id"] in c["company_ids"]]
    return number_page(items, call, "data", "list", render=ws.render_contact)


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
        same = [t for t in ws.tags.values() if t["name"] == name]
        tag = same[0] if same else {"id": ws.next_id(), "name": name}
        ws.tags[tag["id"]] = tag
    for ref in body.get("users") or []:
        contact = ws.find_contact(ref)
        if tag["id"] not in contact["tag_ids"]:
            contact["tag_ids"].append(tag["id"])
    for ref in body.get("companies") or []:
        company = (
            ws.company(str(ref["id"]))
            if ref.get("id")
            else next(
                (c for c in ws.companies.values() if c["company_id"] == str(ref.get("company_id"))), None
            )
        )
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
    note = {
        "id": ws.next_id(),
        "contact_id": contact["id"],
        "admin_id": admin["id"],
        "body": str(body["body"]),
        "created_at": ws.now(),
    }
    ws.notes[note["id"]] = note
    contact["note_ids"].append(note["id"])
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
        **me,
        "avatar": {"type": "avatar", "image_url": None},
        "email_verified": True,
        "app": {
            "type": "app",
            "id_code": WORKSPACE_ID,
            "name": "Fake Intercom",
            "region": "US",
            "timezone": "UTC",
            "created_at": 1_600_000_000,
            "identity_verification": False,
        },
    }


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

_CONVERSATION_ALIASES: dict[str, Callable[[Json], Any]] = {
    "contact_ids": lambda cv: list(cv["contact_ids"]),
    "teammate_ids": lambda cv: list(cv["teammates"]),
    "tag_ids": lambda cv: list(cv["tags"]),
}
_CONVERSATION_STORED = frozenset(
    {"id", "title", "created_at", "updated_at", "waiting_since", "snoozed_until", "state", "read",
     "admin_assignee_id", "team_assignee_id", "custom_attributes"}
)  # fmt: skip


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
        "type": "user_message",
        "id": cv["source"]["id"],
        "created_at": cv["created_at"],
        "subject": body.get("subject") or "",
        "body": str(body["body"]),
        "message_type": "inapp",
        "conversation_id": cv["id"],
    }


@op("GET", "/conversations")
def list_conversations(ws: Workspace, call: Call) -> Json:
    per_page = per_page_of(call.query.get("per_page"), 20)
    return cursor_page(
        list(ws.conversations.values()),
        per_page,
        call.query.get("starting_after"),
        "conversations",
        "conversation.list",
        lambda cv: ws.render_conversation(cv, parts=False),
    )


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


def _part(
    ws: Workspace, part_type: str, author_type: str, author_id: str, body: Any = None, **extra: Any
) -> Json:
    return {
        "id": ws.next_id(),
        "part_type": part_type,
        "author_type": author_type,
        "author_id": author_id,
        "body": None if body is None else str(body),
        "created_at": ws.now(),
        **extra,
    }


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
            raise bad_request(
                "snoozed_until must be a time in the future (epoch seconds)", field="snoozed_until"
            )
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
        cv["parts"].append(
            _part(ws, "assignment", "admin", admin["id"], body.get("body"), assigned_to=assigned)
        )
    else:
        raise bad_request("message_type must be close, open, snoozed or assignment", field="message_type")
    cv["updated_at"] = ws.now()
    return ws.render_conversation(cv)


@op("POST", "/conversations/search")
def search_conversations(ws: Workspace, call: Call) -> Json:
    return _search(
        call,
        ws.conversations.values(),
        lambda cv: ws.render_conversation(cv, parts=False),
        _CONVERSATION_STORED,
        _CONVERSATION_ALIASES,
        "conversations",
        "conversation.list",
    )


# -- tickets ----------------------------------------------------------------------------------------

_TICKET_ALIASES: dict[str, Callable[[Json], Any]] = {
    "contact_ids": lambda t: list(t["contact_ids"]),
    "ticket_type_id": lambda t: t["ticket_type_id"],
    "state": lambda t: t["state"],
    "tag_ids": lambda t: list(t["tags"]),
}
_TICKET_STORED = frozenset(
    {"id", "ticket_id", "category", "created_at", "updated_at", "open", "ticket_attributes"}
)


@op("GET", "/ticket_states")
def list_ticket_states(ws: Workspace, call: Call) -> Json:
    return {"type": "list", "data": [ws.render_ticket_state(s, detailed=True) for s in TICKET_STATES]}


@op("GET", "/ticket_types")
def list_ticket_types(ws: Workspace, call: Call) -> Json:
    return {
        "type": "ticket_type_attributes.list",
        "ticket_types": [ws.render_ticket_type(t) for t in ws.ticket_types.values()],
    }


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
        "id": ident,
        "name": body["name"],
        "description": body.get("description") or "",
        "category": body.get("category") or "Customer",
        "icon": body.get("icon") or "🎟️",
        "archived": bool(body.get("is_internal", False)) and False,
        "created_at": now,
        "updated_at": now,
    }
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
    return ws.render_ticket(
        ws.create_ticket(str(body["ticket_type_id"]), contacts, body.get("ticket_attributes"))
    )


@op("GET", "/tickets/{ticket_id}")
def get_ticket(ws: Workspace, call: Call) -> Json:
    return ws.render_ticket(ws.ticket(call.params["ticket_id"]))


@op("PUT", "/tickets/{ticket_id}")
def update_ticket(ws: Workspace, call: Call) -> Json:
    ticket = ws.ticket(call.params["ticket_id"])
    body = call.json()
    state = body.get("state")
    if body.get("ticket_state_id") is not None:
        ids = {str(i + 1): name for i, name in enumerate(TICKET_STATES)}
        if str(body["ticket_state_id"]) not in ids:
            raise not_found("Ticket state", body["ticket_state_id"])
        state = ids[str(body["ticket_state_id"])]
    if state is not None:
        if state not in TICKET_STATES:
            raise bad_request(f"state must be one of {', '.join(TICKET_STATES)}", field="state")
        if state != ticket["state"]:
            ticket["parts"].append(
                _part(
                    ws,
                    "ticket_state_updated_by_admin",
                    "admin",
                    str(body.get("admin_id") or "1"),
                    ticket_state=state,
                    previous_ticket_state=ticket["state"],
                )
            )
            ticket["state"] = state
    if isinstance(body.get("ticket_attributes"), Mapping):
        ticket["ticket_attributes"].update(body["ticket_attributes"])
    for key in ("open", "is_shared", "snoozed_until"):
        if key in body:
            ticket[key] = body[key]
    assignment: Mapping[str, Any] = (
        body["assignment"] if isinstance(body.get("assignment"), Mapping) else body
    )
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
    return _search(
        call, ws.tickets.values(), ws.render_ticket, _TICKET_STORED, _TICKET_ALIASES, "tickets", "ticket.list"
    )


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
        raise bad_request(
            f"You already have '{body['name']}' in your {body['model']} data", "parameter_invalid", "name"
        )
    now = ws.now()
    ws.counter += 1
    data_type = (
        "string"
        if body["data_type"] == "options"
        else ("date" if body["data_type"] == "datetime" else body["data_type"])
    )
    attr = {
        "id": ws.counter,
        "model": body["model"],
        "name": body["name"],
        "full_name": f"custom_attributes.{body['name']}",
        "label": body["name"],
        "description": body.get("description") or "",
        "data_type": data_type,
        "options": [o["value"] if isinstance(o, Mapping) else o for o in body.get("options") or []],
        "api_writable": True,
        "messenger_writable": bool(body.get("messenger_writable", False)),
        "custom": True,
        "archived": False,
        "created_at": now,
        "updated_at": now,
        "admin_id": "1",
    }
    ws.data_attributes[str(attr["id"])] = attr
    return ws.render_data_attribute(attr)


@op("PUT", "/data_attributes/{data_attribute_id}")
def update_data_attribute(ws: Workspace, call: Call) -> Json:
    attr = ws.data_attributes.get(call.params["data_attribute_id"])
    if attr is None:
        raise not_found("Data attribute", call.params["data_attribute_id"])
    if not attr["custom"]:
        raise FakeAPIError(
            422, "parameter_invalid", f"'{attr['name']}' is a standard attribute and cannot be changed"
        )
    body = call.json()
    for key in ("archived", "description", "messenger_writable"):
        if key in body:
            attr[key] = body[key]
    if "options" in body:
        attr["options"] = [o["value"] if isinstance(o, Mapping) else o for o in body["options"] or []]
    attr["updated_at"] = ws.now()
    return ws.render_data_attribute(attr)
