"""Repair: ``default`` values that the generator would materialise on the client.

Upstream defect (for an SDK, not for the document): the specs give ``default`` on request
properties and parameters (``required_to_create: {default: false}``, ``per_page: {default: 20}``).
In OpenAPI a ``default`` is what the *server* assumes when the value is absent. openapi-python-client
turns it into a Python default (``required_to_create: bool | Unset = False``,
``per_page: int | Unset = 20``), so every request built without that value sends it anyway: a
partial update such as ``ticket_type_attributes.update(..., description=...)`` silently sends four
settings back to their defaults, and ``conversations.list()`` sends ``?per_page=20``.

Rule: no schema keeps a ``default``; its value moves into the description as
``Server default: <JSON value>.`` (so the generated docstrings still document it), for every
schema of the document - properties of request and response models, nested inline objects,
parameter schemas, and ``default`` beside a ``$ref`` - since a default is a statement about the
server wherever it is written. A parameter's default is also noted in the parameter's own
description, and its schema takes the parameter's description when it has none (the generator
documents parameters from their schema). A required property or parameter stays required: it just
has no default any more. Generated requests therefore carry exactly what the caller set.
"""

from __future__ import annotations

import json
from typing import Any

from codegen.spec import all_schemas, operations

_NO_DEFAULT = object()


def note(value: Any) -> str:
    """The sentence added to a description: ``Server default: 20.``"""
    return f"Server default: {json.dumps(value, ensure_ascii=False)}."


def _with_note(description: Any, value: Any) -> str:
    text = str(description or "").rstrip()
    sentence = note(value)
    if sentence in text:
        return text
    if text and text[-1] not in ".!?:":
        text += "."
    return f"{text} {sentence}" if text else sentence


def _parameters(spec: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = list(((spec.get("components") or {}).get("parameters") or {}).values())
    for _, _, op in operations(spec):
        params += op.get("parameters") or []
    for item in (spec.get("paths") or {}).values():
        params += item.get("parameters") or []
    return [p for p in params if isinstance(p, dict) and isinstance(p.get("schema"), dict)]


def apply(spec: dict[str, Any]) -> list[str]:
    params = 0
    for param in _parameters(spec):
        schema = param["schema"]
        if "default" in schema:
            value = schema["default"]
            if not schema.get("description") and param.get("description"):
                schema["description"] = param["description"]
            param["description"] = _with_note(param.get("description"), value)
            params += 1
    moved = 0
    for _, schema in list(all_schemas(spec)):
        value = schema.pop("default", _NO_DEFAULT)
        if value is _NO_DEFAULT:
            continue
        schema["description"] = _with_note(schema.get("description"), value)
        moved += 1
    if not moved:
        return []
    return [f"moved {moved} defaults into descriptions ({params} of them on parameters)"]
