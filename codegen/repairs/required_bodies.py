"""Repair: a request body whose schema requires fields but which is not marked ``required``.

Upstream defect: Intercom leaves ``requestBody.required`` out almost everywhere (OpenAPI's default
is ``false``: the request may be sent with no body), also where the body's own schema lists
``required`` properties: ``POST /tickets`` (``ticket_type_id``, ``contacts``), ``POST
/contacts/{id}/notes`` (``body``), ``POST /conversations/{id}/reply`` (every member requires
``type``, ``message_type``...). The API answers such a request without a body with a 400, but a
generated client lets ``client.tickets.create()`` type-check and sends it.

Rule: a JSON request body with no ``required`` flag whose schema requires at least one property
(for a ``oneOf``/``anyOf``: every member does) is marked ``required: true``. A body whose schema
requires nothing (``PUT /contacts/{id}``: every field optional) stays optional.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import operations
from codegen.spec_props import declared_required, resolve


def _requires_fields(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = resolve(spec, schema)
    members = [m for m in (schema.get("oneOf") or schema.get("anyOf") or []) if isinstance(m, dict)]
    if members:
        return all(_requires_fields(spec, m) for m in members)
    return bool(declared_required(spec, schema))


def apply(spec: dict[str, Any]) -> list[str]:
    marked: list[str] = []
    for path, method, op in operations(spec):
        body = op.get("requestBody")
        if not isinstance(body, dict) or "$ref" in body or "required" in body:
            continue
        schemas = [
            media["schema"]
            for name, media in (body.get("content") or {}).items()
            if "json" in name and isinstance(media, dict) and isinstance(media.get("schema"), dict)
        ]
        if schemas and all(_requires_fields(spec, s) for s in schemas):
            body["required"] = True
            marked.append(f"{method.upper()} {path}")
    return [f"marked {len(marked)} request bodies required"] if marked else []
