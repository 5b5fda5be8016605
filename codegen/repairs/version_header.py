"""Repair: the ``Intercom-Version`` header declared as a parameter on every operation.

Not a defect but a mismatch with how the SDK is built: each generated package is pinned to one API
version, and the client sends ``Intercom-Version`` on every request from the package metadata. Left
in place, every generated function takes an ``intercom_version=`` argument typed as an enum of all
versions, which would let a caller silently talk to another version than the package models.

Rule: drop header parameters named ``Intercom-Version`` (case-insensitive) from operations, path
items and components (and the references to them).
"""

from __future__ import annotations

from typing import Any

from codegen.spec import HTTP_METHODS

HEADER = "intercom-version"


def _is_version_header(param: Any, components: dict[str, Any]) -> bool:
    if isinstance(param, dict) and "$ref" in param:
        param = components.get(param["$ref"].rsplit("/", 1)[-1], {})
    return (
        isinstance(param, dict)
        and param.get("in") == "header"
        and str(param.get("name", "")).lower() == HEADER
    )


def apply(spec: dict[str, Any]) -> list[str]:
    params = (spec.get("components") or {}).get("parameters") or {}
    removed = 0
    for item in (spec.get("paths") or {}).values():
        holders = [item] + [item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict)]
        for holder in holders:
            before = holder.get("parameters")
            if not before:
                continue
            after = [p for p in before if not _is_version_header(p, params)]
            removed += len(before) - len(after)
            if after:
                holder["parameters"] = after
            else:
                del holder["parameters"]
    for name in [n for n, p in params.items() if _is_version_header(p, params)]:
        del params[name]
    return [f"removed {removed} Intercom-Version header parameters"] if removed else []
