"""Repair: a success response whose body is a ``oneOf``/``anyOf`` of object models.

Upstream shape: 2.16 and Preview answer the conversation-attribute operations (``POST
/conversations/attributes``, ``GET``/``PUT``/``DELETE /conversations/attributes/{id}``, the option
writes) with ``conversation_attribute``, a ``oneOf`` of eight object schemas discriminated by
``data_type`` that differ only in that enum value and in one or two optional properties; Preview's
``POST /contacts/merge/preview`` answers ``merge_preview_response``, a ``oneOf`` of "allowed" and
"blocked". openapi-python-client turns such a body into a ``UnionProperty`` result, and the facade
(``codegen/facade.py``) has no ``intercom_ext`` parser for a union result, so generation stops
("no intercom_ext parser for a UnionProperty result"). This is a gap on our side as much as an
upstream choice: once the facade parses union results, this rule can go.

Rule: such a 2xx JSON response body is pointed at one more component, ``<component>_response``,
an object with every property of every member (members' ``allOf`` chains followed): a property the
members declare alike is kept as is, string enums that differ per member (the discriminator) are
merged into one enum, other disagreements become an any-value schema with the members' types in
its description. ``required`` is what every member requires. Response models are ``T | None``
attributes anyway, so the caller sees each member's fields, and ``raw()`` keeps the body whole; the
member models stay in ``models`` for code that narrows by the discriminator. Unions elsewhere
(properties, list items, request bodies) are untouched: the generator handles those.

"""

from __future__ import annotations

import copy
from typing import Any

from codegen.spec import operations

_PREFIX = "#/components/schemas/"


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_PREFIX):
        name = ref[len(_PREFIX) :]
        return name, spec["components"]["schemas"].get(name, {})
    return None, schema


def _collect(
    spec: dict[str, Any], schema: dict[str, Any], seen: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], set[str]] | None:
    """(properties, required) of an object schema following ``allOf``; ``None`` if not an object."""
    name, schema = _resolve(spec, schema)
    if name in seen:
        return None
    seen = seen | {name} if name else seen
    if "oneOf" in schema or "anyOf" in schema:
        return None
    props: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf") or []:
        got = _collect(spec, part, seen)
        if got is None:
            return None
        props.update(got[0])
        required |= got[1]
    if schema.get("type", "object") != "object" and not schema.get("allOf"):
        return None
    props.update(schema.get("properties") or {})
    required |= set(schema.get("required") or [])
    return props, required


def _merge_property(variants: list[dict[str, Any]]) -> dict[str, Any]:
    first = variants[0]
    if all(v == first for v in variants):
        return copy.deepcopy(first)
    if all(
        v.get("type") == "string" and "enum" in v and set(v) <= {"type", "enum", "description", "example"}
        for v in variants
    ):
        values = list(dict.fromkeys(x for v in variants for x in v["enum"]))
        merged: dict[str, Any] = {"type": "string", "enum": values}
        if first.get("description"):
            merged["description"] = first["description"]
        return merged
    kinds = sorted({str(v.get("type") or v.get("$ref", "any")).rsplit("/", 1)[-1] for v in variants})
    return {"description": f"One of: {', '.join(kinds)} (depending on the variant)."}


def merged_schema(spec: dict[str, Any], union: dict[str, Any], title: str) -> dict[str, Any] | None:
    """The object schema with every member's properties, or ``None`` when a member is no object."""
    members = union.get("oneOf") or union.get("anyOf")
    if not isinstance(members, list) or len(members) < 2:
        return None
    collected = []
    for member in members:
        got = _collect(spec, member)
        if got is None:
            return None
        collected.append(got)
    names: list[str] = list(dict.fromkeys(p for props, _ in collected for p in props))
    properties = {p: _merge_property([props[p] for props, _ in collected if p in props]) for p in names}
    required = set.intersection(*(req for _, req in collected)) & set(properties)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = sorted(required, key=names.index)
    labels = [_resolve(spec, m)[0] or "inline" for m in members]
    text = union.get("description") or title
    schema["description"] = f"{text} (any of: {', '.join(labels)}; one model with the fields of each)"
    return schema


def apply(spec: dict[str, Any]) -> list[str]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    made: dict[str, str] = {}
    count = 0
    for _path, _method, op in list(operations(spec)):
        for status, resp in (op.get("responses") or {}).items():
            if not str(status).startswith("2") or not isinstance(resp, dict):
                continue
            media = (resp.get("content") or {}).get("application/json")
            if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
                continue
            name, union = _resolve(spec, media["schema"])
            if name is None or ("oneOf" not in union and "anyOf" not in union):
                continue
            if name not in made:
                target = f"{name}_response"
                while target in schemas:
                    target += "_body"
                merged = merged_schema(spec, union, union.get("title") or name)
                if merged is None:
                    continue
                schemas[target] = merged
                made[name] = target
            media["schema"] = {"$ref": _PREFIX + made[name]}
            count += 1
    if not count:
        return []
    return [f"{count} union response bodies -> one merged model each ({', '.join(sorted(made.values()))})"]
