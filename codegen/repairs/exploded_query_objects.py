"""Repair: object-valued query parameters with ``style: form, explode: true``.

Upstream defect: ``GET /events`` (2.10, 2.11, Unstable) declares ``filter`` as a required query
parameter of ``type: object`` whose ``oneOf`` members each hold one property (``user_id``,
``intercom_user_id`` or ``email``), with ``style: form, explode: true``. On the wire that is
``?user_id=...`` (an exploded form object contributes its properties, not its name). The generator
(openapi-python-client 0.29.1) sends ``filter=<the Python repr of a dict>``, and a validating server
cannot even read the parameter back: Prism reports "filter must have required property 'user_id'"
whatever is sent, so the operation can never succeed.

Rule: a query parameter whose schema is an object with known properties (directly or in its
``allOf``/``oneOf``/``anyOf`` members), serialised ``form``+``explode`` (the OpenAPI default for
query), is replaced by one query parameter per property, with the same wire format. A property is
required when the parameter is required and the object itself (not one union member) requires it;
the "one of" alternatives are spelled out in each description. A parameter whose properties would
collide with another parameter of the operation is left alone.
"""

from __future__ import annotations

import copy
from typing import Any

from codegen.spec import operations


def _resolve(spec: dict[str, Any], obj: Any) -> Any:
    while isinstance(obj, dict) and isinstance(obj.get("$ref"), str) and obj["$ref"].startswith("#/"):
        target: Any = spec
        for part in obj["$ref"][2:].split("/"):
            target = target[part]
        obj = target
    return obj


def _properties(
    spec: dict[str, Any], schema: dict[str, Any]
) -> tuple[dict[str, Any], set[str], list[list[str]]]:
    """(properties, names the object itself requires, required lists of union members)."""
    props: dict[str, Any] = dict(schema.get("properties") or {})
    required = set(schema.get("required") or [])
    alternatives: list[list[str]] = []
    for sub in schema.get("allOf") or []:
        p, r, alts = _properties(spec, _resolve(spec, sub))
        props.update(p)
        required |= r
        alternatives += alts
    for key in ("oneOf", "anyOf"):
        for sub in schema.get(key) or []:
            p, r, _ = _properties(spec, _resolve(spec, sub))
            for name, prop in p.items():
                props.setdefault(name, prop)
            if r:
                alternatives.append(sorted(r))
    return props, required, alternatives


def _is_exploded_form_object(spec: dict[str, Any], param: dict[str, Any]) -> bool:
    if param.get("in") != "query" or "content" in param:
        return False
    if param.get("style", "form") != "form" or param.get("explode", True) is not True:
        return False
    schema = _resolve(spec, param.get("schema"))
    if not isinstance(schema, dict):
        return False
    is_object = schema.get("type") == "object" or (
        "type" not in schema and any(k in schema for k in ("properties", "allOf", "oneOf", "anyOf"))
    )
    return is_object and bool(_properties(spec, schema)[0])


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, method, op in operations(spec):
        params = list(op.get("parameters") or [])
        result: list[Any] = []
        changed = False
        for raw in params:
            param = _resolve(spec, raw)
            if not isinstance(param, dict) or not _is_exploded_form_object(spec, param):
                result.append(raw)
                continue
            props, required, alternatives = _properties(spec, _resolve(spec, param["schema"]))
            taken = {(_resolve(spec, p) or {}).get("name") for p in params if p is not raw}
            if taken & set(props):
                notes.append(f"{method.upper()} {path}: query object {param['name']} left (name clash)")
                result.append(raw)
                continue
            rule = " | ".join(" + ".join(alt) for alt in alternatives)
            for name, prop in props.items():
                prop = copy.deepcopy(prop)
                text = prop.pop("description", None) or param.get("description") or ""
                if rule:
                    text = f"{text}\n\nPart of `{param['name']}`: send one of {rule}.".strip()
                new: dict[str, Any] = {"name": name, "in": "query", "schema": prop}
                if text:
                    new["description"] = text
                if param.get("required") and name in required:
                    new["required"] = True
                result.append(new)
            changed = True
            notes.append(f"{method.upper()} {path}: query object {param['name']} -> {', '.join(props)}")
        if changed:
            op["parameters"] = result
    return notes
