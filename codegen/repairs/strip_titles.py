"""Repair: schema ``title`` values that are reused across different schemas.

Upstream defect: Intercom gives unrelated schemas the same ``title`` (``admin`` and ``admin_with_app``
are both "Admin"; ``tag`` and ``tag_basic`` both "Tag"; ``note_list`` and others "Paginated
Response"...). openapi-python-client names classes after the title, so it reports "duplicate models"
and drops those schemas together with everything that references them (contact, company,
conversation, ticket, visitor...).

Rule: remove ``title`` from every schema object. Titles are display names only; without them the
generator names component classes after their unique component key (``admin_with_app`` ->
``AdminWithApp``) and inline classes after their location (``Contact`` + ``social_profiles``).
The ``title`` *property* of a schema (e.g. an article's title) is untouched: only the keyword goes.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for _, schema in all_schemas(spec):
        if isinstance(schema.get("title"), str):
            del schema["title"]
            count += 1
    return [f"removed {count} schema titles"] if count else []
