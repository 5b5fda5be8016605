"""Repair: ``$ref`` to a component that the document never defines.

Upstream defect: the 2.10 and 2.11 descriptions reference ``#/components/schemas/custom_attributes``
but never define it, so the document is invalid OpenAPI (Prism refuses to start, and
openapi-python-client drops every schema that reaches it: conversation, ticket requests, ...).

Rule: every missing ``#/components/<kind>/<name>`` target is defined as the most permissive thing of
its kind. For schemas that is ``{}`` (any JSON value): we cannot know the intended shape, and an
"anything" schema keeps whatever the API sends (nothing is dropped) while requests accept any value.
"""

from __future__ import annotations

from typing import Any

_PERMISSIVE: dict[str, dict[str, Any]] = {
    "schemas": {},
    "parameters": {},  # a missing parameter cannot be invented; reported instead
}


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    components = spec.setdefault("components", {})
    for ref in sorted(set(_refs(spec))):
        if not ref.startswith("#/components/"):
            continue
        parts = ref.split("/")
        if len(parts) != 4:
            continue
        _, _, kind, name = parts
        section = components.setdefault(kind, {})
        if name in section:
            continue
        if kind != "schemas":
            raise ValueError(f"dangling reference {ref}: only missing schemas can be repaired")
        section[name] = {
            "description": f"Referenced but not defined by the upstream description ({ref}); any JSON value."
        }
        notes.append(f"defined missing {ref} as an any-value schema")
    return notes
