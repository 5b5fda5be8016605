"""What a schema declares, read from the spec alone (no generator): the properties and required names
of an object schema are the union of its own ``properties`` / ``required`` and those of every
``allOf`` member, recursively through ``$ref``. The report and the fidelity tests compare this
with what was generated."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def resolve(spec: dict[str, Any], schema: Schema) -> Schema:
    """``schema`` with local ``$ref`` chains followed."""
    seen: set[str] = set()
    while isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
        schema = node if isinstance(node, dict) else {}
    return schema


def declared_properties(
    spec: dict[str, Any], schema: Schema, _seen: frozenset[int] = frozenset()
) -> dict[str, Schema]:
    """JSON name -> property schema, over ``allOf`` members (first) and the schema's own properties."""
    schema = resolve(spec, schema)
    if id(schema) in _seen:
        return {}
    seen = _seen | {id(schema)}
    out: dict[str, Schema] = {}
    for member in schema.get("allOf") or []:
        if isinstance(member, dict):
            out.update(declared_properties(spec, member, seen))
    out.update({k: v for k, v in (schema.get("properties") or {}).items() if isinstance(v, dict)})
    return out


def declared_required(spec: dict[str, Any], schema: Schema, _seen: frozenset[int] = frozenset()) -> set[str]:
    """Names the schema or any of its ``allOf`` members lists as ``required``."""
    schema = resolve(spec, schema)
    if id(schema) in _seen:
        return set()
    seen = _seen | {id(schema)}
    out = {str(n) for n in schema.get("required") or []}
    for member in schema.get("allOf") or []:
        if isinstance(member, dict):
            out |= declared_required(spec, member, seen)
    return out


def is_model(spec: dict[str, Any], schema: Schema) -> bool:
    """Whether the generator makes a class of its own for ``schema`` (an object with properties or
    an ``allOf`` of two or more members; not a union, not a bare reference)."""
    if "$ref" in schema or schema.get("oneOf") or schema.get("anyOf"):
        return False
    if schema.get("type") not in (None, "object"):
        return False
    members = schema.get("allOf") or []
    if len(members) == 1 and "$ref" in members[0] and not schema.get("properties"):
        return False
    return bool(schema.get("properties")) or len(members) >= 1
