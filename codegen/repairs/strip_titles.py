"""Repair: schema ``title`` values that are reused across different schemas.

Upstream defect: Intercom gives unrelated schemas the same ``title`` (``admin`` and ``admin_with_app``
are both "Admin"; ``tag`` and ``tag_basic`` both "Tag"; ``note_list`` and others "Paginated
Response"...). openapi-python-client names classes after the title, so it reports "duplicate models"
and drops those schemas together with everything that references them (contact, company,
conversation, ticket, visitor...).

Rule: move ``title`` out of the generator's way, to ``x-intercom-title`` (a vendor extension the
generator ignores), in every schema object. Without titles the generator names component classes
after their unique component key (``admin_with_app`` -> ``AdminWithApp``) and inline classes after
their location (``Contact`` + ``social_profiles``); ``hoist_inline_models`` reads the kept title to
name a union member that sits inline ("ID", "External ID", "Email" for a ticket's contacts). The
``title`` *property* of a schema (e.g. an article's title) is untouched: only the keyword moves.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for _, schema in all_schemas(spec):
        if isinstance(schema.get("title"), str):
            schema["x-intercom-title"] = schema.pop("title")
            count += 1
    return [f"moved {count} schema titles to x-intercom-title"] if count else []
