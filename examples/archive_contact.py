"""Archive a contact, and handle the contact not existing (404).

    INTERCOM_ACCESS_TOKEN=... python examples/archive_contact.py 6657a

Exit status: 0 archived, 3 no such contact, 1 any other API error. A missing contact raises
``intercom_ext.NotFoundError`` (an ``APIStatusError``: ``status_code``, ``request_id``, and
Intercom's ``errors`` list); quote the request id when you contact Intercom support.
"""

from __future__ import annotations

import argparse
import os
import sys

from intercom_ext import APIStatusError, NotFoundError, v2_11

NOT_FOUND = 3


def archive(client: v2_11.Intercom, contact_id: str) -> int:
    """Archive ``contact_id``; returns the exit status and prints what happened."""
    try:
        result = client.contacts.archive(contact_id)
    except NotFoundError as err:
        print(f"no contact {contact_id!r} (status {err.status_code}, request id {err.request_id})")
        return NOT_FOUND
    except APIStatusError as err:  # 401, 403, 429 after the retries, 5xx, ...
        print(f"could not archive {contact_id!r}: {err}", file=sys.stderr)
        return 1
    print(f"contact {result.id} archived={result.archived}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("contact_id")
    args = parser.parse_args(argv)
    with v2_11.Intercom(base_url=os.environ.get("INTERCOM_BASE_URL")) as client:
        return archive(client, args.contact_id)


if __name__ == "__main__":
    sys.exit(main())
