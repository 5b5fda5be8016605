"""A tour of the SDK (the README quickstart) against a local Prism mock of Intercom API 2.11.

``make demo`` starts Prism from the repaired 2.11 spec on a free loopback port and runs this with
``INTERCOM_BASE_URL`` pointing at it. Nothing leaves the machine and no token is needed: the mock
accepts any bearer token, so an embedded placeholder is used unless ``INTERCOM_ACCESS_TOKEN`` is set.

    python tests/contract/prism_server.py 2.11 -- python examples/tour.py

It lists companies page by page, creates a contact, gets it back, searches conversations, and shows
the two kinds of errors a caller handles: a documented 404 and a request the API rejects (422).
Exits non-zero if any step does not behave as described.
"""

from __future__ import annotations

import os
import sys

from intercom_ext import NotFoundError, UnprocessableEntityError, v2_11

BASE_URL = os.environ.get("INTERCOM_BASE_URL", "http://127.0.0.1:4010")
TOKEN = os.environ.get("INTERCOM_ACCESS_TOKEN") or "demo-token-for-the-local-mock"


def step(title: str) -> None:
    print(f"\n== {title}")


def main() -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the SDK's log lines
    print(f"Intercom API 2.11 mock at {BASE_URL}")
    with v2_11.Intercom(token=TOKEN, base_url=BASE_URL, max_retries=0) as client:
        step("List companies, one page at a time (cursor pagination, lazy; the mock repeats its example)")
        pages = list(client.companies.list(per_page=1, max_pages=2).pages())
        for number, page in enumerate(pages, 1):
            names = [company.name for company in page.data or []]
            print(f"page {number}: {type(page).__name__} with {len(names)} company(ies): {names}")
        assert pages and all(isinstance(p, v2_11.models.CompanyList) for p in pages)

        step("Create a contact (body fields as keywords)")
        created = client.contacts.create(email="ada@example.com", name="Ada Lovelace", role="user")
        print(f"created {type(created).__name__} id={created.id} email={created.email}")
        assert isinstance(created, v2_11.models.Contact) and created.id is not None

        step("Get it back (a typed model: v2_11.models.Contact)")
        contact = client.contacts.get(created.id)
        print(f"got {type(contact).__name__} id={contact.id} role={contact.role} email={contact.email}")

        step("Search open conversations (POST /conversations/search, paginated)")
        query = v2_11.models.SingleFilterSearchRequest(
            field="state", operator=v2_11.models.SingleFilterSearchRequestOperator("="), value="open"
        )
        paging = v2_11.models.StartingAfterPaging(per_page=5)
        found = list(client.conversations.search(query=query, pagination=paging, max_items=5))
        for conversation in found:
            print(f"conversation {conversation.id}: state={conversation.state}")
        assert all(isinstance(c, v2_11.models.ConversationListItem) for c in found)

        step("A documented error: 404 (the mock answers the spec's 404 when asked with Prefer)")
        try:
            client.companies.get_by_id("does-not-exist", extra_headers={"Prefer": "code=404"})
        except NotFoundError as err:
            print(f"NotFoundError {err.status_code}: {[(e.code, e.message) for e in err.errors]}")
        else:
            raise AssertionError("expected NotFoundError")

        step("A request the API rejects: per_page above the documented maximum (150)")
        try:
            next(iter(client.conversations.list(per_page=500)))
        except UnprocessableEntityError as err:
            problems = [v.get("message") for v in err.response.json().get("validation", [])]
            print(f"UnprocessableEntityError {err.status_code}: {problems}")
        else:
            raise AssertionError("expected UnprocessableEntityError")
    print("\nTour complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
