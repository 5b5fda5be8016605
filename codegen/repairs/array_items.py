"""Repair: ``type: array`` schemas without ``items``.

Upstream defect: e.g. ``ticket_custom_attributes`` allows ``{"type": "array"}`` as one of the
``anyOf`` value types, with no ``items``. OpenAPI 3.0 requires ``items`` for arrays, and
openapi-python-client rejects the union ("Invalid property in union"), dropping
``ticket_custom_attributes``, ``create_ticket_request`` and the ``POST /tickets`` operation.

Rule: an array without ``items`` gets ``items: {}`` (any value), which is what such a schema
already means to a JSON Schema validator.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas


def apply(spec: dict[str, Any]) -> list[str]:
    fixed = [path for path, s in all_schemas(spec) if s.get("type") == "array" and "items" not in s]
    for _, schema in all_schemas(spec):
        if schema.get("type") == "array" and "items" not in schema:
            schema["items"] = {}
    return [f"added items: {{}} to {len(fixed)} arrays"] if fixed else []
