"""A typed program using the facade; `make typecheck` runs `mypy --strict` on it.

Run it against a mock server: ``INTERCOM_ACCESS_TOKEN=x python examples/typed_usage.py http://127.0.0.1:4010``.
"""

from __future__ import annotations

import asyncio
import sys

from intercom_ext import NotFoundError, RawResponse, v2_11


def newest_emails(client: v2_11.Intercom, limit: int) -> list[str]:
    # Every response attribute is `T | None`: mypy --strict makes us handle a missing value.
    emails: list[str] = []
    for contact in client.contacts.list(per_page=50, max_items=limit):
        if contact.email is not None:
            emails.append(contact.email)
    return emails


def age_in_days(contact: v2_11.models.Contact, now: int) -> int | None:
    if contact.created_at is None:  # absent, null or not an integer (then contact.raw("created_at"))
        return None
    return (now - contact.created_at) // 86_400


def describe(client: v2_11.Intercom, contact_id: str) -> str:
    try:
        contact: v2_11.models.Contact = client.contacts.get(contact_id, timeout=5.0)
    except NotFoundError as err:
        return f"missing ({err.request_id})"
    raw: RawResponse[v2_11.models.Contact] = client.with_raw_response.contacts.get(contact_id)
    return f"{contact.id} status={raw.status_code}"


async def count_async(base_url: str) -> int:
    async with v2_11.AsyncIntercom(base_url=base_url) as client:
        n = 0
        async for _contact in client.contacts.list(max_pages=2):
            n += 1
        return n


def main(base_url: str) -> None:
    with v2_11.Intercom(base_url=base_url) as client:
        print(newest_emails(client, 5))
        print(describe(client, "6657a"))
    print(asyncio.run(count_async(base_url)))


if __name__ == "__main__":
    main(sys.argv[1])
