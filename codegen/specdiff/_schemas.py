"""Schema-level diff: component schemas, their properties, nesting, enums; and where schemas are used.

Whether a change breaks SDK users depends on the direction a schema travels: a model sent in a
request is built by the caller (a new required property is a new required constructor argument),
a model read from a response is consumed (a property that may now be missing or ``None`` breaks
the caller's reading code). ``usage()`` finds, for every component, the directions it is reachable
from; a schema no operation reaches counts as both (the SDK still generates a model for it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from codegen.specdiff._model import Change, Kind
from codegen.specdiff._spec import Spec, as_dict, enum_values, is_nullable, ref_name, type_sig

REQUEST = "request"
RESPONSE = "response"
BOTH: frozenset[str] = frozenset({REQUEST, RESPONSE})
Usage = frozenset[str]


def schema_refs(node: Any) -> Iterator[str]:
    """Names of every component schema referenced anywhere inside ``node`` (not following refs)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            name = ref_name(cur)
            if name is not None:
                yield name
            stack.extend(v for k, v in cur.items() if k not in ("example", "examples"))
        elif isinstance(cur, list):
            stack.extend(cur)


def _media_schemas(spec: Spec, holder: Any) -> Iterator[Any]:
    for media in as_dict(spec.deref(holder).get("content")).values():
        yield as_dict(media).get("schema")


def usage(spec: Spec) -> dict[str, Usage]:
    """For each component schema, the directions (request/response) it can travel in."""
    roots: dict[str, set[str]] = {REQUEST: set(), RESPONSE: set()}
    for _method, _path, op, item in spec.operations():
        for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            p = spec.deref(param)
            roots[REQUEST].update(schema_refs(p.get("schema")))
            roots[REQUEST].update(schema_refs(list(_media_schemas(spec, p))))
        roots[REQUEST].update(schema_refs(list(_media_schemas(spec, op.get("requestBody")))))
        for resp in as_dict(op.get("responses")).values():
            roots[RESPONSE].update(schema_refs(list(_media_schemas(spec, resp))))
    found: dict[str, set[str]] = {}
    for direction, names in roots.items():
        todo = list(names)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            found.setdefault(name, set()).add(direction)
            todo.extend(schema_refs(spec.schemas.get(name)))
    return {name: frozenset(found.get(name) or BOTH) for name in spec.schemas}


def properties(schema: Any) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of an object schema, merging inline ``allOf`` parts."""
    schema = as_dict(schema)
    props: dict[str, Any] = dict(as_dict(schema.get("properties")))
    required = {str(r) for r in schema.get("required") or [] if isinstance(r, str)}
    for part in schema.get("allOf") or []:
        if isinstance(part, dict) and ref_name(part) is None:
            sub_props, sub_req = properties(part)
            props.update(sub_props)
            required |= sub_req
    if props:  # an object whose oneOf/anyOf variants add properties: those exist, but not always
        from_variants: dict[str, Any] = {}
        for key in ("oneOf", "anyOf"):
            for part in schema.get(key) or []:
                if isinstance(part, dict) and ref_name(part) is None:
                    for name, sub in properties(part)[0].items():
                        if name in props and name not in from_variants:
                            continue
                        seen = from_variants.get(name)
                        if (
                            isinstance(seen, dict)
                            and isinstance(sub, dict)
                            and "enum" in seen
                            and "enum" in sub
                        ):
                            sub = {
                                **seen,
                                "enum": [*seen["enum"], *(v for v in sub["enum"] if v not in seen["enum"])],
                            }
                        from_variants[name] = sub if seen is None or "enum" in as_dict(sub) else seen
        props.update(from_variants)
    return props, required


@dataclass
class Scope:
    """Where changes found by ``diff_schema`` are filed."""

    subject: str  # component name or operation
    resource: str
    usage: Usage
    out: list[Change]
    prefix: str = ""  # e.g. "request body " / "response 200 " for inline schemas of an operation
    old_spec: Spec | None = None  # to look into components when a place adds constraints to one
    new_spec: Spec | None = None

    def where(self, path: str) -> str:
        if not path:
            return self.prefix.strip()
        return f"{self.prefix}property `{path}`"

    def add(self, kind: Kind, breaking: bool, path: str, detail: str, **kw: Any) -> None:
        self.out.append(
            Change(
                kind=kind,
                breaking=breaking,
                subject=self.subject,
                detail=detail,
                where=self.where(path),
                resource=self.resource,
                **kw,
            )
        )


def _describe(path: str, prefix: str) -> str:
    return f"{prefix}property `{path}`" if path else prefix.strip()


def _props_label(prefix: str) -> str:
    return f"{prefix}properties"


def diff_enum(old: Any, new: Any, scope: Scope, path: str, label: str | None = None) -> None:
    old_values, new_values = enum_values(old), enum_values(new)
    if old_values is None or new_values is None:
        return
    what = label or _describe(path, scope.prefix)
    lead = f"{what}: " if what else ""
    for verb, kind, values in (
        ("removed", Kind.ENUM_VALUE_REMOVED, [v for v in old_values if v not in new_values]),
        ("added", Kind.ENUM_VALUE_ADDED, [v for v in new_values if v not in old_values]),
    ):
        for value in values:
            scope.add(
                kind,
                kind is Kind.ENUM_VALUE_REMOVED,
                path,
                f"{lead}enum value `{value}` {verb}",
                name=value,
                old=value if verb == "removed" else None,
                new=value if verb == "added" else None,
                group=f"{lead}enum values {verb}",
                item=f"`{value}`",
            )


def _union_variants(schema: Any) -> tuple[str, Counter[str]] | None:
    """``("oneOf", Counter(variant type signatures))`` for a oneOf/anyOf schema."""
    if not isinstance(schema, dict) or ref_name(schema) is not None:
        return None
    for key in ("oneOf", "anyOf"):
        subs = schema.get(key)
        if isinstance(subs, list) and len(subs) > 1:
            return key, Counter(
                type_sig(s) for s in subs if not (isinstance(s, dict) and s.get("type") == "null")
            )
    return None


def _type_changed(old: Any, new: Any, scope: Scope, path: str) -> None:
    old_sig, new_sig = type_sig(old), type_sig(new)
    what = _describe(path, scope.prefix)
    lead = f"{what}: " if what else ""
    kind = Kind.PROPERTY_TYPE_CHANGED if path else Kind.SCHEMA_TYPE_CHANGED
    name = path.rsplit(".", 1)[-1]
    old_union, new_union = _union_variants(old), _union_variants(new)
    if old_union and new_union and old_union[0] == new_union[0]:
        added = new_union[1] - old_union[1]
        removed = old_union[1] - new_union[1]
        # Widening a union keeps every old value valid; narrowing it removes accepted/returned types.
        breaking = bool(removed)
        bits = [] if added or removed else ["variants reordered"]
        if added:
            bits.append(f"variants added: {', '.join(f'`{v}`' for v in sorted(added.elements()))}")
        if removed:
            bits.append(f"variants removed: {', '.join(f'`{v}`' for v in sorted(removed.elements()))}")
        scope.add(
            kind,
            breaking,
            path,
            f"{lead}{old_union[0]} {'; '.join(bits)}",
            name=name,
            old=old_sig,
            new=new_sig,
        )
        return
    scope.add(
        kind,
        True,
        path,
        f"{lead}type changed from `{old_sig}` to `{new_sig}`",
        name=name,
        old=old_sig,
        new=new_sig,
    )


def _ref_overlay(schema: Any) -> tuple[str | None, set[str]]:
    """``("message", {"conversation_id"})`` for ``{"allOf": [{"$ref": message}], "required": [...]}``
    (and ``("message", set())`` for a bare ref): a component used as is, or with extra required names."""
    name = ref_name(schema)
    if name is not None:
        return name, set()
    schema = as_dict(schema)
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and "properties" not in schema:
        name = ref_name(parts[0])
        if name is not None:
            return name, {str(r) for r in schema.get("required") or []}
    return None, set()


def _diff_overlay(old: Any, new: Any, scope: Scope, path: str) -> None:
    """Required names added on top of a referenced component at this place (not in the component)."""
    name, old_extra = _ref_overlay(old)
    new_name, new_extra = _ref_overlay(new)
    if name is None or name != new_name or old_extra == new_extra:
        return
    base_old = properties(scope.old_spec.schemas.get(name))[1] if scope.old_spec else set()
    base_new = properties(scope.new_spec.schemas.get(name))[1] if scope.new_spec else set()
    request, response = REQUEST in scope.usage, RESPONSE in scope.usage
    label = _props_label(scope.prefix)
    for prop in sorted((new_extra - base_new) - (old_extra | base_old)):
        sub = f"{path}.{prop}" if path else prop
        why = " (required constructor argument)" if request else ""
        scope.add(
            Kind.PROPERTY_REQUIRED_CHANGED,
            request,
            sub,
            f"{_describe(sub, scope.prefix)} is now required{why} (on `{name}` here)",
            name=prop,
            old="false",
            new="true",
            group=f"{label} now required{why.replace('argument', 'arguments')} (on `{name}` here)",
            item=f"`{sub}`",
        )
    for prop in sorted((old_extra - base_old) - (new_extra | base_new)):
        sub = f"{path}.{prop}" if path else prop
        why = " (may now be UNSET in responses)" if response else ""
        scope.add(
            Kind.PROPERTY_REQUIRED_CHANGED,
            response,
            sub,
            f"{_describe(sub, scope.prefix)} is no longer required{why} (on `{name}` here)",
            name=prop,
            old="true",
            new="false",
            group=f"{label} no longer required{why} (on `{name}` here)",
            item=f"`{sub}`",
        )


def diff_schema(old: Any, new: Any, scope: Scope, path: str = "", depth: int = 0) -> None:
    """Compare two schemas found at the same place. Component refs are compared by name only."""
    if depth > 12:
        return
    if type_sig(old) != type_sig(new):
        _type_changed(old, new, scope, path)
        if "properties" in as_dict(old) and "properties" in as_dict(new):
            _diff_properties(as_dict(old), as_dict(new), scope, path, depth)  # objects that became unions
        return
    if _ref_overlay(old)[0] is not None:
        _diff_overlay(old, new, scope, path)
        return
    old, new = as_dict(old), as_dict(new)
    diff_enum(old, new, scope, path)
    _diff_properties(old, new, scope, path, depth)
    if "items" in old and "items" in new:
        diff_schema(old["items"], new["items"], scope, f"{path}[]", depth + 1)
    old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(old_extra, dict) and isinstance(new_extra, dict):
        diff_schema(old_extra, new_extra, scope, f"{path}{{}}", depth + 1)
    for key in ("oneOf", "anyOf"):
        old_subs, new_subs = old.get(key), new.get(key)
        if isinstance(old_subs, list) and isinstance(new_subs, list) and len(old_subs) == len(new_subs):
            for i, (o, n) in enumerate(zip(old_subs, new_subs, strict=True)):
                diff_schema(o, n, scope, f"{path}<{key} {i + 1}>", depth + 1)


def _diff_properties(old: dict[str, Any], new: dict[str, Any], scope: Scope, path: str, depth: int) -> None:
    old_props, old_req = properties(old)
    new_props, new_req = properties(new)
    if not old_props and not new_props:
        return
    request, response = REQUEST in scope.usage, RESPONSE in scope.usage
    label = _props_label(scope.prefix)
    for name in old_props:
        if name in new_props:
            continue
        sub = f"{path}.{name}" if path else name
        scope.add(
            Kind.PROPERTY_REMOVED,
            True,
            sub,
            f"{_describe(sub, scope.prefix)} removed",
            name=name,
            old=type_sig(old_props[name]),
            group=f"{label} removed",
            item=f"`{sub}`",
        )
    for name in new_props:
        if name in old_props:
            continue
        sub = f"{path}.{name}" if path else name
        required = name in new_req
        breaking = required and request
        why = " (new required constructor argument)" if breaking else ""
        sig = type_sig(new_props[name])
        scope.add(
            Kind.PROPERTY_ADDED,
            breaking,
            sub,
            f"{_describe(sub, scope.prefix)} added ({'required' if required else 'optional'} `{sig}`){why}",
            name=name,
            new=sig,
            group=f"{label} added" + (" (new required constructor arguments)" if breaking else ""),
            item=f"`{sub}`" + (" (required)" if required and not breaking else ""),
        )
    for name in old_props:
        if name not in new_props:
            continue
        sub = f"{path}.{name}" if path else name
        o, n = old_props[name], new_props[name]
        was_req, is_req = name in old_req, name in new_req
        if was_req != is_req:
            breaking = (is_req and request) or (not is_req and response)
            if is_req:
                text, why = "now required", " (required constructor argument)" if request else ""
            else:
                text, why = "no longer required", " (may now be UNSET in responses)" if response else ""
            scope.add(
                Kind.PROPERTY_REQUIRED_CHANGED,
                breaking,
                sub,
                f"{_describe(sub, scope.prefix)} is {text}{why}",
                name=name,
                old=str(was_req).lower(),
                new=str(is_req).lower(),
                group=f"{label} {text}{why.replace('argument', 'arguments')}",
                item=f"`{sub}`",
            )
        was_null, is_null = is_nullable(o), is_nullable(n)
        if was_null != is_null:
            breaking = (is_null and response) or (not is_null and request)
            if is_null:
                text, why = "now nullable", " (may now be None in responses)" if response else ""
            else:
                text, why = "no longer nullable", " (None no longer accepted)" if request else ""
            scope.add(
                Kind.PROPERTY_NULLABLE_CHANGED,
                breaking,
                sub,
                f"{_describe(sub, scope.prefix)} is {text}{why}",
                name=name,
                old=str(was_null).lower(),
                new=str(is_null).lower(),
                group=f"{label} {text}{why}",
                item=f"`{sub}`",
            )
        diff_schema(o, n, scope, sub, depth + 1)


def diff_components(old: Spec, new: Spec, out: list[Change]) -> None:
    old_usage, new_usage = usage(old), usage(new)
    for name in old.schemas:
        if name not in new.schemas:
            out.append(
                Change(
                    Kind.SCHEMA_REMOVED,
                    True,
                    subject=name,
                    detail=f"schema `{name}` removed (its model class is gone)",
                    name=name,
                    resource=name,
                )
            )
    for name in new.schemas:
        if name not in old.schemas:
            out.append(
                Change(
                    Kind.SCHEMA_ADDED,
                    False,
                    subject=name,
                    detail=f"schema `{name}` added",
                    name=name,
                    resource=name,
                )
            )
    for name, old_schema in old.schemas.items():
        if name not in new.schemas:
            continue
        both = old_usage.get(name, BOTH) | new_usage.get(name, BOTH)
        scope = Scope(subject=name, resource=name, usage=both, out=out, old_spec=old, new_spec=new)
        diff_schema(old_schema, new.schemas[name], scope)
