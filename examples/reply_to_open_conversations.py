"""Reply, as an admin, to every open conversation (or the first N).

    INTERCOM_ACCESS_TOKEN=... python examples/reply_to_open_conversations.py --admin-id 123 \
        --message "Thanks for your patience, we are on it." [--limit N]

The open conversations come from ``conversations.search`` (``POST /conversations/search``): a
search pager that pages through the ``pagination`` object of the request body; the query is a plain
dict (typed by ``intercom_v2_11.params``). Each reply is an admin reply as keywords (one of the
``@overload`` forms of ``conversations.reply``); the answer is the updated ``Conversation``.
"""

from __future__ import annotations

import argparse
import os
import sys

from intercom_ext import IntercomError, v2_11


def open_conversations(client: v2_11.Intercom, *, limit: int | None = None) -> list[str]:
    """The ids of the open conversations (at most ``limit``)."""
    found = client.conversations.search(
        query={"field": "state", "operator": "=", "value": "open"},
        pagination={"per_page": 50},
        max_items=limit,
    )
    return [conversation.id for conversation in found if conversation.id is not None]


def reply_to_all(client: v2_11.Intercom, admin_id: str, message: str, *, limit: int | None = None) -> int:
    """Reply to each open conversation; returns how many replies were sent."""
    sent = 0
    for conversation_id in open_conversations(client, limit=limit):
        conversation = client.conversations.reply(
            conversation_id, type="admin", message_type="comment", admin_id=admin_id, body=message
        )
        print(f"replied to conversation {conversation_id} (state now {conversation.state})")
        sent += 1
    return sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--admin-id", required=True, help="the admin the replies are from")
    parser.add_argument("--message", required=True, help="the reply's text (some HTML allowed)")
    parser.add_argument("--limit", type=int, default=None, help="reply to at most N conversations")
    args = parser.parse_args(argv)
    with v2_11.Intercom(base_url=os.environ.get("INTERCOM_BASE_URL")) as client:
        try:
            sent = reply_to_all(client, args.admin_id, args.message, limit=args.limit)
        except IntercomError as err:
            print(f"stopped: {err}", file=sys.stderr)
            return 1
    print(f"sent {sent} reply(ies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
