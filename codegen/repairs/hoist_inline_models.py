"""Repair: inline object and enum schemas nested in components.

Upstream defects this removes:

* Inline models inside schemas that are composed (``allOf``/``oneOf``) are processed once per use:
  Unstable's ``contact_reply_*_request`` schemas all ``allOf`` ``contact_reply_base_request``, whose
  inline ``reply_options`` item is then generated five times ("duplicate models with name
  ContactReplyBaseRequestReplyOptionsItem"); 2.11's ``configure_request`` variants likewise.
* Inline names collide with component names: the generator names the inline enum ``ticket.type``
  ``TicketType``, which is also the class of the ``ticket_type`` component ("Found conflicting enums
  named TicketType"), and ``ticket`` - with every ticket operation - is dropped.

Rule: every inline schema that becomes a class (an object with ``properties``, an ``enum``, or a
nullable object without properties, which the generator would name ``<location>_type_0``; an object
that is the items of a nullable array, named ``<location>_type_0_item`` otherwise) and sits
under a component schema is moved to ``components/schemas`` and referenced from where it was.
Its name is the path the generator would have used (``<component>_<property>``, ``_item`` for array
items, ``_value`` for map values), so class names stay what they were. A member of a
``oneOf``/``anyOf`` is named for what tells it apart, not for its position (a user types these
names): its title in the spec ("External ID" -> ``_external_id``), else the value of a one-value
enum property (Intercom's ``type``: ``_conversation_part``), else its required properties
(``_with_email``), unique among its siblings; only a member with none of these is ``_option_<n>``.
An ``allOf`` member is ``_part_<n>``. A name already taken by another class gets an
``_enum``/``_object`` suffix (then a number), deterministically in document order.
"""

from __future__ import annotations

from typing import Any

from openapi_python_client.strings import pascal_case, snake_case

from codegen.spec import child_schemas

# Keywords that travel with the reference rather than with the hoisted schema.
_SITE_KEYS = ("description", "nullable", "readOnly", "writeOnly", "deprecated", "default")
# Keywords that describe the use, not the hoisted schema.
_USE_ONLY = ("nullable", "readOnly", "writeOnly", "deprecated")


def _becomes_class(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return False
    if schema.get("type") == "object" and schema.get("nullable") and not schema.get("properties"):
        return True  # a nullable map: the generator's class in a union with None (``_type_0``)
    return "enum" in schema or (isinstance(schema.get("properties"), dict) and bool(schema["properties"]))


def _distinguishing(member: dict[str, Any]) -> list[str]:
    """Names that could tell a union member apart, best first."""
    names = []
    title = member.get("x-intercom-title") or member.get("title")
    if isinstance(title, str) and title.strip():
        names.append(snake_case(title))
    for prop in (member.get("properties") or {}).values():
        values = prop.get("enum") if isinstance(prop, dict) else None
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            names.append(snake_case(values[0]))
    required = [str(r) for r in member.get("required") or []]
    if required:
        names.append("with_" + "_and_".join(snake_case(r) for r in required[:2]))
    return [n for n in names if n]


def member_names(schema: dict[str, Any], key: str) -> list[str]:
    """The segment of each member of ``schema[key]`` (a ``oneOf``/``anyOf``): the first
    distinguishing name that no sibling shares."""
    members = [m if isinstance(m, dict) else {} for m in schema.get(key) or []]
    options = [_distinguishing(m) for m in members]
    out = []
    for i, names in enumerate(options):
        others = {n for j, o in enumerate(options) if j != i for n in o[:1]}
        unique = [n for n in names if n not in others and sum(n in o for o in options) == 1]
        out.append(unique[0] if unique else f"option_{i + 1}")
    return out


def _segment(loc: str, parent: dict[str, Any]) -> str:
    if loc.startswith("properties/"):
        return loc.split("/", 1)[1]
    if loc == "items":
        return "item"
    if loc == "additionalProperties":
        return "value"
    if loc.startswith(("oneOf/", "anyOf/")):
        key, index = loc.split("/", 1)
        return member_names(parent, key)[int(index)]
    if loc.startswith("allOf/"):
        return f"part_{int(loc.split('/', 1)[1]) + 1}"
    return loc.replace("/", "_")


def apply(spec: dict[str, Any]) -> list[str]:
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {pascal_case(name) for name in schemas}
    hoisted: list[str] = []

    def unique(base: str, schema: dict[str, Any]) -> str:
        if pascal_case(base) not in taken:
            return base
        kind = "enum" if "enum" in schema else "object"
        candidate, n = f"{base}_{kind}", 2
        while pascal_case(candidate) in taken:
            candidate, n = f"{base}_{kind}_{n}", n + 1
        return candidate

    def visit(schema: dict[str, Any], name: str) -> None:
        for loc, sub in list(child_schemas(schema)):
            sub_name = f"{name}_{_segment(loc, schema)}"
            visit(sub, sub_name)
            # the items of a nullable array: the generator wraps the array in a union with None and
            # names an inline item class by position (``<location>_type_0_item``)
            nullable_items = loc == "items" and schema.get("nullable") and sub.get("type") == "object"
            if not (_becomes_class(sub) or (nullable_items and "$ref" not in sub)):
                continue
            new_name = unique(sub_name, sub)
            taken.add(pascal_case(new_name))
            site = {k: sub[k] for k in _SITE_KEYS if k in sub}
            schemas[new_name] = {k: v for k, v in sub.items() if k not in _USE_ONLY}
            sub.clear()
            ref = {"$ref": f"#/components/schemas/{new_name}"}
            sub.update({"anyOf": [ref], "nullable": True} if site.pop("nullable", False) else ref)
            sub.update(site)
            hoisted.append(new_name)

    for name in list(schemas):
        visit(schemas[name], name)
    return [f"moved {len(hoisted)} inline models/enums to components"] if hoisted else []
