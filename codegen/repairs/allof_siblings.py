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

Bodies written inline this way (``paths`` -> request or response ``content`` -> ``schema``) would
otherwise get a class per operation named after the operation (five identical
``...Response200`` classes for Unstable's contacts, none of them a ``Contact``):

* a *response* body ``{"allOf": [{"$ref": X}], "properties": P, "required": R}`` whose ``X`` no
  request body reaches becomes ``{"$ref": X}``, and ``X`` gains the properties of ``P`` it lacks, as
  optional ones (other responses leave them out and they read as unset). ``R`` is dropped there: a
  response is parsed leniently, so "required" in a response changes no typed attribute, and ``X``
  is not required to carry them elsewhere. ``contacts.get()`` thus still returns a ``Contact``,
  now with ``enabled_push_messaging`` typed;
* any other such body (a request body, or one extending a schema requests use) is moved to
  ``components/schemas`` once per distinct schema, named ``<first referenced schema>_with_<first
  added property>`` (``create_ticket_request_with_skip_notifications``; ``_and_more`` when it adds
  more than one), with a number appended if the name is taken.
"""

from __future__ import annotations

import json
from typing import Any

from openapi_python_client.strings import pascal_case

from codegen.spec import all_schemas, operations


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
    schema["allOf"] = [*schema["allOf"], member]  # a new list: YAML aliases may share the old one
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


def _body_sites(spec: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """(media object, is a response) of every request/response body under ``paths``."""
    sites = []
    for _, _, op in operations(spec):
        bodies = [(op.get("requestBody") or {}, False)]
        bodies += [(resp, True) for resp in (op.get("responses") or {}).values() if isinstance(resp, dict)]
        for body, is_response in bodies:
            for media in (body.get("content") or {}).values():
                if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                    sites.append((media, is_response))
    return sites


def _refs(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            out.add(node["$ref"].rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)


def _request_schemas(spec: dict[str, Any]) -> set[str]:
    """Component names reachable from any request body or parameter."""
    schemas = (spec.get("components") or {}).get("schemas") or {}
    todo: set[str] = set()
    for _, _, op in operations(spec):
        _refs(op.get("requestBody") or {}, todo)
        _refs(op.get("parameters") or [], todo)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        _refs(schemas.get(name), todo)
    return seen


def _widen(schemas: dict[str, Any], schema: dict[str, Any], requests: set[str]) -> bool:
    """Fold a response body ``allOf: [$ref X, extra]`` into ``X`` (see the module docstring)."""
    members = schema.get("allOf") or []
    if len(members) != 2 or set(schema) - {"allOf", "description", "type"}:
        return False
    target = str(members[0].get("$ref", "")).rsplit("/", 1)[-1]
    component = schemas.get(target)
    if target in requests or not isinstance(component, dict) or set(component) & {"allOf", "oneOf", "anyOf"}:
        return False
    props = component.setdefault("properties", {})
    for name, prop in (members[1].get("properties") or {}).items():
        props.setdefault(name, prop)
    return True


def apply(spec: dict[str, Any]) -> list[str]:
    folded = [schema for _, schema in list(all_schemas(spec)) if _fold(schema)]
    if not folded:
        return []
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {pascal_case(name) for name in schemas}
    by_content: dict[str, str] = {}
    requests = _request_schemas(spec)
    widened: list[str] = []
    for media, is_response in _body_sites(spec):
        key = "schema"
        schema = media[key]
        if not any(schema is f for f in folded):
            continue
        if not any(isinstance(m.get("$ref"), str) for m in schema["allOf"]):
            continue
        if is_response and _widen(schemas, schema, requests):
            media[key] = {"$ref": schema["allOf"][0]["$ref"]}
            widened.append(media[key]["$ref"].rsplit("/", 1)[-1])
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
    if widened:
        notes.append(
            f"{len(widened)} response bodies extend their component instead: "
            + ", ".join(sorted(set(widened)))
        )
    if by_content:
        notes.append(
            f"named {len(by_content)} inline bodies built that way: {', '.join(sorted(by_content.values()))}"
        )
    return notes
