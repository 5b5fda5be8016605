"""Repair: ``anyOf``/``oneOf`` used only to say "one of these properties is required".

Upstream defect: request bodies such as ``create_contact_request`` (``anyOf: [{required: [email]},
{required: [external_id]}, {required: [role]}]``), ``create_data_event_request``,
``create_message_request`` and ``update_visitor_request`` combine ``properties`` with a union of
members that carry nothing but ``required``. openapi-python-client reads that as a union of
untyped schemas, types the body as ``Any`` and renders an ``if/else`` without its ``if`` - the four
generated files that do not parse.

Rule: a union whose members all consist only of ``required`` (and annotations) is a validation
constraint, not a type: it is removed from the schema, kept as the extension
``x-required-one-of`` (a list of the alternative ``required`` lists) and spelled out in the
description, so the typed model has every property and the server keeps enforcing the rule.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas

_ALLOWED = {"required", "description", "title", "x-intercom-title"}


def _constraint_only(members: Any) -> bool:
    return (
        isinstance(members, list)
        and bool(members)
        and all(isinstance(m, dict) and "required" in m and set(m) <= _ALLOWED for m in members)
    )


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for _, schema in list(all_schemas(spec)):
        for key in ("anyOf", "oneOf"):
            if not _constraint_only(schema.get(key)):
                continue
            alternatives = [list(m["required"]) for m in schema.pop(key)]
            schema["x-required-one-of"] = alternatives
            rule = " | ".join(" + ".join(alt) for alt in alternatives)
            text = schema.get("description") or ""
            schema["description"] = f"{text}\n\nRequires one of: {rule}.".strip()
            count += 1
    return [f"turned {count} required-only unions into x-required-one-of"] if count else []
