"""Repair: ``properties`` / ``required`` written beside an ``allOf``.

Upstream defect: the specs extend a model as ``{"allOf": [{"$ref": X}], "properties": {...}}``
(Unstable's ``contact_archived`` adds ``archived`` to ``contact_reference``, ``article`` adds
``statistics`` to ``article_list_item``, the contact reply requests add the contact identifier to
``contact_reply_base_request``, the contact responses add ``enabled_push_messaging`` to
``contact``). JSON Schema means "all of these, and these properties too", but openapi-python-client
0.29.1 passes a schema whose only composition member is a ``$ref`` straight through to the
referenced class (``property_from_data``: "a union of a single reference should just be passed
through") and never looks at its sibling ``properties`` or ``required``. The extra properties are
then missing from the typed model and only reachable through ``additional_properties``.

Rule: wherever a schema (component, nested inline object, request or response body) has ``allOf``
and its own ``properties`` or ``required``, those move into one more ``allOf`` member
``{"type": "object", "properties": ..., "required": ...}``, after the existing members; the
generator merges every member of an ``allOf`` of two or more into one model. Everything else
(``description``, ``additionalProperties``...) stays on the schema.

A request or response body written inline this way would otherwise get a class per operation
named after the operation (five identical ``...Response200`` classes for Unstable's contacts); such
bodies are moved to ``components/schemas`` once per distinct schema, named
``<first referenced schema>_with_<first added property>`` (``contact_with_enabled_push_messaging``;
``_and_more`` when it adds more than one), with a number appended if the name is taken.
"""

from __future__ import annotations

import json
from typing import Any

from openapi_python_client.strings import pascal_case

from codegen.repairs._walk import all_schemas, operations


def _fold(schema: dict[str, Any]) -> bool:
    if not isinstance(schema.get("allOf"), list):
        return False
    props = schema.get("properties")
    required = schema.get("required")
    if not props and not required:
        return False
    member: dict[str, Any] = {"type": "object"}
    if props:
        member["properties"] = schema.pop("properties")
    else:
        schema.pop("properties", None)
    if required:
        member["required"] = schema.pop("required")
    else:
        schema.pop("required", None)
    schema["allOf"].append(member)
    return True


def _name(schema: dict[str, Any]) -> str:
    members = schema["allOf"]
    refs = [m["$ref"].rsplit("/", 1)[-1] for m in members if isinstance(m.get("$ref"), str)]
    added = members[-1]
    names = [*(added.get("properties") or {})] or [*(added.get("required") or [])]
    base = refs[0] if refs else "composed"
    suffix = names[0] if names else "extra"
    if len(names) > 1:
        suffix += "_and_more"
    return f"{base}_with_{suffix}"


def _body_sites(spec: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(media object, key) of every inline request/response body schema under ``paths``."""
    sites = []
    for _, _, op in operations(spec):
        bodies = [op.get("requestBody") or {}] + list((op.get("responses") or {}).values())
        for body in bodies:
            for media in (body.get("content") or {}).values():
                if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                    sites.append((media, "schema"))
    return sites


def apply(spec: dict[str, Any]) -> list[str]:
    folded = [schema for _, schema in list(all_schemas(spec)) if _fold(schema)]
    if not folded:
        return []
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {pascal_case(name) for name in schemas}
    by_content: dict[str, str] = {}
    for media, key in _body_sites(spec):
        schema = media[key]
        if not any(schema is f for f in folded):
            continue
        if not any(isinstance(m.get("$ref"), str) for m in schema["allOf"]):
            continue
        content = json.dumps(schema, sort_keys=True)
        if content not in by_content:
            name, n = _name(schema), 2
            base = name
            while pascal_case(name) in taken:
                name, n = f"{base}_{n}", n + 1
            taken.add(pascal_case(name))
            schemas[name] = schema
            by_content[content] = name
        media[key] = {"$ref": f"#/components/schemas/{by_content[content]}"}
    notes = [f"moved the sibling properties/required of {len(folded)} allOf schemas into an allOf member"]
    if by_content:
        notes.append(f"named {len(by_content)} inline bodies built that way: {', '.join(sorted(by_content.values()))}")
    return notes
