"""Repair: ``required`` names a property the schema never declares.

Upstream defect: 2.11 ``company_attached_segments`` requires ``total_count``,
``article_list_item`` requires ``statistics`` and ``conversation``/``conversation_list_item``
require ``topics``, but none of them declares that property (nor do the API's examples contain
it). The generator ignores such names, but a validating consumer does not: a mock server builds a
response from the declared properties, then rejects its own answer ("must have required property
'total_count'", Prism answers 500), and a real response that is correct for every declared
property fails validation.

Rule: in a schema that declares ``properties``, a ``required`` name that is declared neither there
nor in any of its ``allOf``/``oneOf``/``anyOf`` members (which may legitimately declare it) is
removed from ``required``; the list is dropped when it becomes empty.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas


def _resolve(spec: dict[str, Any], obj: Any, depth: int = 0) -> Any:
    while isinstance(obj, dict) and isinstance(obj.get("$ref"), str) and obj["$ref"].startswith("#/"):
        target: Any = spec
        for part in obj["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        obj = target
    return obj


def _declared(spec: dict[str, Any], schema: Any, seen: set[int]) -> set[str]:
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    names = set(schema.get("properties") or {})
    for key in ("allOf", "oneOf", "anyOf"):
        for member in schema.get(key) or []:
            names |= _declared(spec, member, seen)
    return names


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for where, schema in list(all_schemas(spec)):
        required = schema.get("required")
        if not isinstance(required, list) or not isinstance(schema.get("properties"), dict):
            continue
        declared = _declared(spec, schema, set())
        missing = [name for name in required if name not in declared]
        if not missing:
            continue
        kept = [name for name in required if name in declared]
        if kept:
            schema["required"] = kept
        else:
            del schema["required"]
        notes.append(f"{where}: not required any more (never declared): {', '.join(missing)}")
    return notes
