"""Repair: inline object and enum schemas nested in components.

Upstream defects this removes:

* Inline models inside schemas that are composed (``allOf``/``oneOf``) are processed once per use:
  Unstable's ``contact_reply_*_request`` schemas all ``allOf`` ``contact_reply_base_request``, whose
  inline ``reply_options`` item is then generated five times ("duplicate models with name
  ContactReplyBaseRequestReplyOptionsItem"); 2.11's ``configure_request`` variants likewise.
* Inline names collide with component names: the generator names the inline enum ``ticket.type``
  ``TicketType``, which is also the class of the ``ticket_type`` component ("Found conflicting enums
  named TicketType"), and ``ticket`` - with every ticket operation - is dropped.

Rule: every inline schema that becomes a class (an object with ``properties``, or an ``enum``) and
sits under a component schema is moved to ``components/schemas`` and referenced from where it was.
Its name is the path the generator would have used (``<component>_<property>``, ``_item`` for array
items, ``_value`` for map values, ``_variant_<n>`` for ``oneOf``/``anyOf``/``allOf`` members), so
class names stay what they were; a name already taken by another class gets an ``_enum``/``_object``
suffix (then a number), deterministically in document order.
"""

from __future__ import annotations

from typing import Any

from openapi_python_client.strings import pascal_case

from codegen.spec import child_schemas

# Keywords that travel with the reference rather than with the hoisted schema.
_SITE_KEYS = ("description", "nullable", "readOnly", "writeOnly", "deprecated", "default")
# Keywords that describe the use, not the hoisted schema.
_USE_ONLY = ("nullable", "readOnly", "writeOnly", "deprecated")


def _becomes_class(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return False
    return "enum" in schema or (isinstance(schema.get("properties"), dict) and bool(schema["properties"]))


def _segment(loc: str) -> str:
    if loc.startswith("properties/"):
        return loc.split("/", 1)[1]
    if loc == "items":
        return "item"
    if loc == "additionalProperties":
        return "value"
    if loc.startswith(("oneOf/", "anyOf/", "allOf/")):
        return f"variant_{loc.split('/', 1)[1]}"
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
            sub_name = f"{name}_{_segment(loc)}"
            visit(sub, sub_name)
            if not _becomes_class(sub):
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
