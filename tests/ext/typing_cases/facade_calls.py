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

# Required body fields: given as keywords, or as the body model; an optional body may be left out.
client.tickets.create(ticket_type_id="1", contacts=[])
client.tickets.create(body=v2_11.models.CreateTicketRequest(ticket_type_id="1", contacts=[]))
client.tickets.create()
client.tickets.create(ticket_type_id="1")  # error: No overload variant of "create" of "TicketsResource" matches argument type "str"
client.tickets.create(company_id="c1")  # error: No overload variant of "create" of "TicketsResource" matches argument type "str"

# body= and fields together.
client.contacts.create(body=v2_11.models.CreateContactRequest(email="a@b.c"), email="x")  # error: No overload variant of "create" of "ContactsResource" matches argument types "CreateContactRequest", "str"

# Enum values: the member or its value, nothing else.
Filter(field="email", operator="=", value="a@b.c")
Filter(field="email", operator=Operator.EQ, value="a@b.c")
Filter(field="email", operator="==", value="a@b.c")  # error: Argument "operator" to "SingleFilterSearchRequest" has incompatible type "Literal['==']"
client.contacts.search(query=Filter(field="email", operator="~", value="example.com"))
client.articles.create(title="t", author_id=1, state="published")
client.articles.create(title="t", author_id=1, state="archived")  # error: No overload variant of "create" of "ArticlesResource" matches argument types "str", "int", "str"

# Raw responses keep the signatures (overloads included).
raw = client.with_raw_response.tickets.create(ticket_type_id="1", contacts=[])
reveal_type(raw.parsed)  # note: Revealed type is "intercom_v2_11.models.ticket.Ticket"
client.with_raw_response.tickets.create(ticket_type_id="1")  # error: No overload variant
page = client.with_raw_response.contacts.list(per_page=2)
reveal_type(page.parsed)  # note: Revealed type is "intercom_v2_11.models.contact_list.ContactList"
# fmt: on
