"""Repair: component schemas that are themselves ``nullable: true``.

Upstream defect: some components (2.10's ``visitor``, several request bodies) carry
``nullable: true`` at the top level. openapi-python-client then turns the component into a union
``Visitor | None`` named ``visitor_type_0`` and, when the component is reached again through a
``$ref``, processes it a second time and fails with "duplicate models" (``VisitorType0Avatar``),
dropping the schema and every operation that returns it.

Rule: nullability belongs to the places that use a schema, not to the schema. The component loses
``nullable`` and every property or array item that references it becomes
``{"anyOf": [{"$ref": ...}], "nullable": true}`` - the OpenAPI 3.0 way to say "this model or null" -
so parsing still accepts ``null`` where the API sends it. Request and response *bodies* keep the
plain reference (a JSON ``null`` body is not something Intercom documents or a caller can send).
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas, child_schemas


def apply(spec: dict[str, Any]) -> list[str]:
    schemas = (spec.get("components") or {}).get("schemas") or {}
    nullable = {name for name, s in schemas.items() if isinstance(s, dict) and s.get("nullable") is True}
    if not nullable:
        return []
    refs = {f"#/components/schemas/{name}" for name in nullable}
    wrapped = 0
    for _, schema in list(all_schemas(spec)):
        for loc, sub in child_schemas(schema):
            if sub.get("$ref") in refs and loc.startswith(("properties/", "items", "additionalProperties")):
                ref = sub.pop("$ref")
                extras = {k: sub.pop(k) for k in list(sub)}
                extras.pop("nullable", None)
                sub.update({"anyOf": [{"$ref": ref}], "nullable": True, **extras})
                wrapped += 1
    for name in sorted(nullable):
        del schemas[name]["nullable"]
    return [
        f"moved nullable from {len(nullable)} components ({', '.join(sorted(nullable))}) to {wrapped} uses"
    ]
