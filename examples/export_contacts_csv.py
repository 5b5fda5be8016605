"""Export contacts to a CSV file: every contact, across pages, one page in memory at a time.

    INTERCOM_ACCESS_TOKEN=... python examples/export_contacts_csv.py contacts.csv [--limit N] [--region eu]

``client.contacts.list()`` is a lazy pager over the cursor pagination (``per_page`` up to 150);
each item is a typed ``v2_11.models.Contact`` whose attributes are ``T | None``. For a large
workspace, ``client.contacts.export(...)`` (or the ``intercom-sdk export contacts`` command) reads
``updated_at`` windows concurrently and can resume after a crash.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from intercom_ext import IntercomError, v2_11

FIELDS = ["id", "external_id", "email", "name", "role", "created_at", "updated_at"]


def export_contacts(client: v2_11.Intercom, out: Path, *, limit: int | None = None) -> int:
    """Write one CSV row per contact to ``out``; returns the number of rows written."""
    rows = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for contact in client.contacts.list(per_page=150, max_items=limit):
            writer.writerow(
                {
                    "id": contact.id,
                    "external_id": contact.external_id,
                    "email": contact.email,
                    "name": contact.name,
                    "role": contact.role,  # None when absent: written as an empty cell
                    "created_at": contact.created_at,
                    "updated_at": contact.updated_at,
                }
            )
            rows += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--limit", type=int, default=None, help="stop after N contacts")
    parser.add_argument("--region", choices=["us", "eu", "au"], default=None)
    args = parser.parse_args(argv)
    # The token comes from $INTERCOM_ACCESS_TOKEN; $INTERCOM_BASE_URL (a local mock) wins over the region.
    with v2_11.Intercom(region=args.region, base_url=os.environ.get("INTERCOM_BASE_URL")) as client:
        try:
            rows = export_contacts(client, args.out, limit=args.limit)
        except IntercomError as err:
            print(f"export failed: {err}", file=sys.stderr)
            return 1
    print(f"wrote {rows} contact(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
