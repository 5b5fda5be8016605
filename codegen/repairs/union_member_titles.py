"""Repair: inline union members that the generator names by their position.

Upstream defect: a ``oneOf`` member written inline where no rule could hoist it to a component -
an operation's own request body (2.14 ``POST /tickets/{id}/reply``: a contact reply or an admin
reply ``allOf`` extended with ``skip_notifications``), or a member the sibling rules filled in
(2.14 ``update_data_attribute_request``'s "other type") - has no title left (``strip_titles``), so
the generator names its class ``ReplyTicketBodyType1``, ``UpdateDataAttributeRequestType1``.

Rule: such a member (an inline object or ``allOf`` composite inside a ``oneOf``/``anyOf``) gets a
``title`` naming what tells it apart, by the rule ``hoist_inline_models`` names hoisted members
with (its kept title, a one-value enum such as ``type: admin`` - looked up through its ``allOf``
parts -, or its required keys), unique among its siblings. The generator then names the class
``ReplyTicketAdmin``, ``UpdateDataAttributeRequestOtherType``: the title of a component's member
starts with the component's name (the generator prefixes an operation body's member with the
operation itself), so it cannot collide with another schema's class.
"""

from __future__ import annotations

from typing import Any

from codegen.repairs.hoist_inline_models import member_names
from codegen.spec import all_schemas
from codegen.spec_props import resolve


def _flattened(spec: dict[str, Any], member: dict[str, Any]) -> dict[str, Any]:
    """``member`` with the properties and required keys of its ``allOf`` parts (for naming)."""
    out = {k: v for k, v in member.items() if k not in ("properties", "required")}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*(member.get("allOf") or []), member]:
        part = resolve(spec, part) if isinstance(part, dict) else {}
        properties.update({k: resolve(spec, v) for k, v in (part.get("properties") or {}).items()})
        required += [str(r) for r in part.get("required") or [] if str(r) not in required]
    return {**out, "properties": properties, "required": required}


def _inline_class(member: Any) -> bool:
    return (
        isinstance(member, dict)
        and "$ref" not in member
        and "title" not in member
        and (bool(member.get("properties")) or len(member.get("allOf") or []) > 1)
    )


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for where, schema in list(all_schemas(spec)):
        # the generator prefixes an operation body's member with the operation; a component's not
        owner = where.split("/")[3] + "_" if where.startswith("#/components/schemas/") else ""
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not isinstance(members, list) or not any(_inline_class(m) for m in members):
                continue
            view = {key: [_flattened(spec, m) if isinstance(m, dict) else {} for m in members]}
            for member, name in zip(members, member_names(view, key), strict=True):
                if _inline_class(member) and not name.startswith("option_"):
                    member["title"] = owner + name
                    count += 1
    return [f"titled {count} inline union members"] if count else []
