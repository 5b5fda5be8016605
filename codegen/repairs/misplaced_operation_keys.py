"""Repair: operation fields written one indentation level too high, on the path item.

Upstream defect: Unstable at 7a21588 has ``GET /jobs/status/{id}`` with ``tags``, ``operationId``
and ``responses`` beside ``get:`` instead of inside it, so the operation has no ``responses``
(invalid OpenAPI; the whole document is rejected).

Rule: keys that only an Operation Object may have (``tags``, ``operationId``, ``responses``,
``requestBody``, ``security``, ``deprecated``, ``callbacks``, ``externalDocs``) found on a path
item with exactly one operation are moved into that operation (the operation's own values win).
"""

from __future__ import annotations

from typing import Any

from codegen.spec import HTTP_METHODS

_OPERATION_ONLY = (
    "tags",
    "operationId",
    "responses",
    "requestBody",
    "security",
    "deprecated",
    "callbacks",
    "externalDocs",
)


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, item in (spec.get("paths") or {}).items():
        stray = [k for k in _OPERATION_ONLY if k in item]
        methods = [m for m in HTTP_METHODS if isinstance(item.get(m), dict)]
        if not stray or len(methods) != 1:
            continue
        op = item[methods[0]]
        for key in stray:
            value = item.pop(key)
            op.setdefault(key, value)
        notes.append(f"{methods[0].upper()} {path}: moved {', '.join(stray)} into the operation")
    return notes
