"""Repair: ``nullable: true`` written beside a ``$ref`` (or beside a one-member composition of one).

Upstream defect: the specs say "this model or null" as ``{"$ref": X, "nullable": true}`` (2.11's
``cursor_pages.next``, 2.10's ``conversation_part.assigned_to``, Unstable's
``conversation_list_item.ai_agent``) or ``{"type": "object", "nullable": true, "allOf": [{"$ref":
X}]}`` (``tag.applied_by``). OpenAPI 3.0 ignores every sibling of ``$ref``, and openapi-python-client
0.29.1 passes a one-member ``allOf``/``anyOf``/``oneOf`` of a reference straight through to the
referenced class, dropping the wrapper's ``nullable`` (its 3.0 -> 3.1 conversion turns a
``type: object`` + ``nullable`` into ``type: [object, null]``, which the pass-through then ignores).
The annotation becomes ``X | Unset`` although the API sends ``null``.

Rule: every such site becomes ``{"anyOf": [{"$ref": X}], "nullable": true, ...}`` without
``type`` (the referenced schema carries the type). The generator reads that as ``anyOf: [X, null]``
and annotates ``X | None``. Other keywords at the site (``description``, ``readOnly``...) stay.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


def _single_ref(schema: dict[str, Any]) -> str | None:
    """The reference a nullable site wraps, if it needs rewriting."""
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"])
    present = [k for k in _COMPOSITIONS if k in schema]
    if len(present) != 1 or schema.get("properties") or schema.get("required"):
        return None
    members = schema[present[0]]
    if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
        member = members[0]
        if set(member) == {"$ref"}:
            if present[0] == "anyOf" and "type" not in schema:
                return None  # already the form the generator understands
            return str(member["$ref"])
    return None


def apply(spec: dict[str, Any]) -> list[str]:
    rewritten = 0
    for _, schema in list(all_schemas(spec)):
        if schema.get("nullable") is not True:
            continue
        ref = _single_ref(schema)
        if ref is None:
            continue
        for key in ("$ref", "type", *_COMPOSITIONS):
            schema.pop(key, None)
        rest = {k: schema.pop(k) for k in list(schema)}
        rest.pop("nullable", None)
        schema.update({"anyOf": [{"$ref": ref}], "nullable": True, **rest})
        rewritten += 1
    return [f"made {rewritten} nullable references nullable in the generator's terms"] if rewritten else []
