# ruff: noqa: E501
"""Calls that mypy must accept or reject (checked by tests/ext/test_facade_typing.py; never run).

A line that must be an error ends with ``# error: <text mypy reports>``; every other line must
type-check; ``# note: <text>`` marks a ``reveal_type`` line.
"""

from typing_extensions import reveal_type

from intercom_ext import v2_11

# fmt: off
client = v2_11.Intercom(token="t")
Filter = v2_11.models.SingleFilterSearchRequest
Operator = v2_11.models.SingleFilterSearchRequestOperator

# Required body fields: keywords, nested objects as dict literals or models; the body is required.
client.tickets.create(ticket_type_id="1", contacts=[{"id": "c1"}])
client.tickets.create(ticket_type_id="1", contacts=[{"email": "a@b.c"}, v2_11.models.CreateTicketRequestContactsItemId(id="c2")])
client.tickets.create()  # error: Missing named argument "ticket_type_id" for "create" of "TicketsResource"
client.tickets.create(ticket_type_id="1")  # error: Missing named argument "contacts" for "create" of "TicketsResource"
client.tickets.create(ticket_type_id="1", contacts=[{"idd": "c1"}])  # error: List item 0 has incompatible type "dict[str, str]"

# A body field named ``body`` is a keyword like any other.
client.notes.create("c1", body="<p>Hi</p>", admin_id="a1")
client.articles.update("123", title="t", body="<p>x</p>")

# Enum values: the member or its value, nothing else (in keywords and in nested dicts).
Filter(field="email", operator="=", value="a@b.c")
Filter(field="email", operator=Operator.EQ, value="a@b.c")
Filter(field="email", operator="==", value="a@b.c")  # error: Argument "operator" to "SingleFilterSearchRequest" has incompatible type "Literal['==']"
client.contacts.search(query=Filter(field="email", operator="~", value="example.com"))
client.contacts.search(query={"field": "email", "operator": "~", "value": "example.com"})
client.contacts.search(query={"field": "email", "operator": "~=", "value": "example.com"})  # error: Argument "query" to "search" of "ContactsResource" has incompatible type "dict[str, str]"
client.articles.create(title="t", author_id=1, state="published")
client.articles.create(title="t", author_id=1, state="archived")  # error: Argument "state" to "create" of "ArticlesResource" has incompatible type "Literal['archived']"

# A union body: one overload per variant (its constants as Literal).
client.conversations.reply("1", type="admin", message_type="comment", admin_id="5", body="Hi")
client.conversations.reply("1", type="user", message_type="comment", email="a@b.c", body="Hi")
client.conversations.reply("1", type="admin", message_type="comment", body="Hi")  # error: No overload variant of "reply" of "ConversationsResource" matches argument types

# Raw responses keep the signatures (overloads included).
raw = client.with_raw_response.tickets.create(ticket_type_id="1", contacts=[{"id": "c1"}])
reveal_type(raw.parsed)  # note: Revealed type is "intercom_v2_11.models.ticket.Ticket"
client.with_raw_response.tickets.create(ticket_type_id="1")  # error: Missing named argument "contacts"
page = client.with_raw_response.contacts.list(per_page=2)
reveal_type(page.parsed)  # note: Revealed type is "intercom_v2_11.models.contact_list.ContactList"
# fmt: on
