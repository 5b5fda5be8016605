"""Create a ticket for a contact, then tag it.

    INTERCOM_ACCESS_TOKEN=... python examples/create_ticket_and_tag.py --ticket-type-id 1234 \
        --contact-id 6657a --tag-id 7522907 --admin-id 780 [--title "Printer on fire"]

``tickets.create`` takes the body fields as keywords (``ticket_type_id`` and ``contacts`` are
required); ``ticket_attributes`` carries the ticket type's own attributes (``_default_title_``,
``_default_description_``). ``tags.attach_to_ticket`` adds an existing tag (``tags.create`` makes one).
"""

from __future__ import annotations

import argparse
import os
import sys

from intercom_ext import IntercomError, v2_11


def create_and_tag(
    client: v2_11.Intercom, *, ticket_type_id: str, contact_id: str, tag_id: str, admin_id: str, title: str
) -> tuple[str, str]:
    """Create the ticket and attach the tag; returns (ticket id, tag name)."""
    ticket = client.tickets.create(
        ticket_type_id=ticket_type_id,
        contacts=[{"id": contact_id}],
        ticket_attributes={"_default_title_": title},
    )
    if ticket.id is None:
        raise RuntimeError("the API returned a ticket without an id")
    tag = client.tags.attach_to_ticket(ticket.id, id=tag_id, admin_id=admin_id)
    return ticket.id, tag.name or tag_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ticket-type-id", required=True)
    parser.add_argument("--contact-id", required=True)
    parser.add_argument("--tag-id", required=True)
    parser.add_argument("--admin-id", required=True, help="the admin who tags the ticket")
    parser.add_argument("--title", default="Created by examples/create_ticket_and_tag.py")
    args = parser.parse_args(argv)
    with v2_11.Intercom(base_url=os.environ.get("INTERCOM_BASE_URL")) as client:
        try:
            ticket_id, tag_name = create_and_tag(
                client,
                ticket_type_id=args.ticket_type_id,
                contact_id=args.contact_id,
                tag_id=args.tag_id,
                admin_id=args.admin_id,
                title=args.title,
            )
        except IntercomError as err:
            print(f"failed: {err}", file=sys.stderr)
            return 1
    print(f"created ticket {ticket_id} and tagged it {tag_name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
