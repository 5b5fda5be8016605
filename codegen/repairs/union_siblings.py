"""Repair: ``properties`` / ``required`` written beside a ``oneOf`` / ``anyOf``.

Upstream defect: the specs factor what every variant shares out of the union: Unstable's
``create_data_attribute_request`` is ``{"properties": {name, model, description,
messenger_writable}, "required": [name, model, data_type], "oneOf": [<list variant>, <other
variant>]}`` and ``POST /tickets/{id}/reply`` adds ``skip_notifications`` beside a ``oneOf`` of the
contact and admin reply requests. JSON Schema means "one of these, and these properties too", but
openapi-python-client 0.29.1 builds a union of the members and ignores the siblings, so the shared
properties (here the attribute's ``name`` and ``model``, which the API requires) are missing from
every typed variant and a caller cannot set them.

Rule: the siblings are distributed over the members, and the union keeps only its members and
annotations. A member that is an inline object, or a ``$ref`` to a component used nowhere else (the
variants ``hoist_inline_models`` named), takes them in: its own ``properties`` win on a name clash,
``required`` lists are joined, and a member that is itself a union passes them on to its members.
Any other member (a component shared with other uses) becomes ``{"allOf": [member, {"type":
"object", "properties": ..., "required": ...}]}``, except a shared union, which is copied in its
place with its members taking the siblings (the generator cannot take ``allOf`` of a union). Runs
after ``constraint_unions`` (whose ``anyOf`` of bare ``required`` lists is not a union of variants)
and ``hoist_inline_models`` (so inline enums and objects among the siblings are one class, shared by
every variant); ``allof_siblings`` then folds properties added beside an ``allOf``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from codegen.spec import all_schemas


def _union_key(schema: dict[str, Any]) -> str | None:
    keys = [k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list) and schema[k]]
    return keys[0] if len(keys) == 1 and "allOf" not in schema else None


def _ref_counts(node: Any, counts: Counter[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            counts[node["$ref"]] += 1
        for value in node.values():
            _ref_counts(value, counts)
    elif isinstance(node, list):
        for value in node:
            _ref_counts(value, counts)


class _Distributor:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = (spec.get("components") or {}).get("schemas") or {}
        self.counts: Counter[str] = Counter()
        _ref_counts(spec, self.counts)

    def own(self, member: Any) -> dict[str, Any] | None:
        """The schema a member's siblings can be merged into, if that changes no other use."""
        if not isinstance(member, dict):
            return None
        ref = member.get("$ref")
        if isinstance(ref, str):
            target = self.schemas.get(ref.rsplit("/", 1)[-1])
            return target if isinstance(target, dict) and self.counts[ref] == 1 else None
        return member if member.get("type") in (None, "object") else None

    def merge(self, target: dict[str, Any], props: dict[str, Any], required: list[str], depth: int) -> bool:
        key = _union_key(target)
        if key is not None:
            target[key] = [self.member(m, props, required, depth + 1) for m in target[key]]
            return True
        if target.get("type") not in (None, "object"):
            return False
        own = target.setdefault("properties", {})
        for name, prop in props.items():
            own.setdefault(name, prop)
        names = list(target.get("required") or [])
        names += [n for n in required if n not in names]
        if names:
            target["required"] = names
        return True

    def member(self, member: Any, props: dict[str, Any], required: list[str], depth: int) -> Any:
        target = self.own(member)
        if target is not None and depth < 5 and self.merge(target, props, required, depth):
            return member
        shared = (
            self.schemas.get(str(member.get("$ref", "")).rsplit("/", 1)[-1])
            if isinstance(member, dict)
            else None
        )
        key = _union_key(shared) if isinstance(shared, dict) and depth < 5 else None
        if shared is not None and key is not None and not shared.get("properties"):
            # A shared union (the generator cannot take allOf of one): a copy of it, whose members
            # take the siblings.
            return {key: [self.member(m, props, required, depth + 1) for m in shared[key]]}
        extra: dict[str, Any] = {"type": "object"}
        if props:
            extra["properties"] = props
        if required:
            extra["required"] = list(required)
        return {"allOf": [member, extra]}


def apply(spec: dict[str, Any]) -> list[str]:
    distributor: _Distributor | None = None
    count = 0
    for _, schema in list(all_schemas(spec)):
        key = _union_key(schema)
        if key is None or not (schema.get("properties") or schema.get("required")):
            continue
        distributor = distributor or _Distributor(spec)
        props = schema.pop("properties", None) or {}
        required = list(schema.pop("required", None) or [])
        schema[key] = [distributor.member(m, props, required, 0) for m in schema[key]]
        count += 1
    return (
        [f"distributed the sibling properties/required of {count} unions over their members"] if count else []
    )
