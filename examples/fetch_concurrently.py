"""Fetch many contacts concurrently with the async client.

    INTERCOM_ACCESS_TOKEN=... python examples/fetch_concurrently.py 6657a 6657b 6657c [--concurrency 8]

One ``AsyncIntercom`` (one connection pool) is shared by every task; a semaphore bounds the
requests in flight, and the client's rate limiter (on by default, fed by ``X-RateLimit-*``) paces
them so that the tasks together stay under the workspace's limit. A contact that does not exist
is reported, not fatal: ``return_exceptions``-style handling per task.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from intercom_ext import NotFoundError, v2_11


async def fetch_all(
    client: v2_11.AsyncIntercom, contact_ids: list[str], *, concurrency: int = 8
) -> dict[str, v2_11.models.Contact | None]:
    """Every contact by id (``None`` for those that do not exist), fetched ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(contact_id: str) -> tuple[str, v2_11.models.Contact | None]:
        async with gate:
            try:
                return contact_id, await client.contacts.get(contact_id)
            except NotFoundError:
                return contact_id, None

    pairs = await asyncio.gather(*(one(contact_id) for contact_id in contact_ids))
    return dict(pairs)


async def run(contact_ids: list[str], concurrency: int) -> int:
    async with v2_11.AsyncIntercom(base_url=os.environ.get("INTERCOM_BASE_URL")) as client:
        contacts = await fetch_all(client, contact_ids, concurrency=concurrency)
    for contact_id, contact in contacts.items():
        print(f"{contact_id}: " + ("not found" if contact is None else f"{contact.email} ({contact.role})"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("contact_ids", nargs="+")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    return asyncio.run(run(args.contact_ids, args.concurrency))


if __name__ == "__main__":
    sys.exit(main())
