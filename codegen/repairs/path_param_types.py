"""Repair: one resource identifier declared ``integer`` in some paths and ``string`` in others.

Upstream defect: 2.10 and Unstable declare the contact id of ``POST /contacts/{id}/notes`` as an
``integer``, although contact ids are strings (``6657ac5f6abd0166b52ae242``; ``GET /contacts/{id}``
and the ``contact`` model say ``string``): creating a note on a contact that was just created sends
an id a validating server rejects ("path parameter id must be integer") and the generated
signature asks for an ``int`` nobody has. Conversely ``GET``/``PUT /conversations/{id}`` say
``integer`` while every ``/conversations/{id}/...`` operation and the ``conversation`` model say
``string``.

Rule: a path parameter and the same ``{name}`` at the same position of the paths nested under it
(``/contacts/{id}`` and ``/contacts/{id}/notes``) identify the same resource, so they get one
type: when some declare ``string`` and others ``integer``/``number``, all become ``string`` (every
id the numeric form allows is still accepted; numeric examples become strings).
"""

from __future__ import annotations

from typing import Any

from codegen.spec import operations

_NUMERIC = {"integer", "number"}


def _path_params(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, parameter) for every inline ``in: path`` parameter."""
    found = []
    for path, method, op in operations(spec):
        for param in op.get("parameters") or []:
            if (
                isinstance(param, dict)
                and param.get("in") == "path"
                and isinstance(param.get("schema"), dict)
            ):
                found.append((path, method, param))
    return found


def _stringify(param: dict[str, Any]) -> None:
    schema = param["schema"]
    for key in ("format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        schema.pop(key, None)
    schema["type"] = "string"
    for holder in (schema, param):
        if isinstance(holder.get("example"), (int, float)) and not isinstance(holder.get("example"), bool):
            holder["example"] = str(holder["example"])


def apply(spec: dict[str, Any]) -> list[str]:
    params = _path_params(spec)
    notes = []
    for prefix_path, _, _ in params:
        segments = prefix_path.split("/")
        for index, segment in enumerate(segments):
            if not (segment.startswith("{") and segment.endswith("}")):
                continue
            prefix = "/".join(segments[: index + 1])
            name = segment[1:-1]
            group = [
                (path, method, p)
                for path, method, p in params
                if p.get("name") == name and (path == prefix or path.startswith(prefix + "/"))
            ]
            types = {p["schema"].get("type") for _, _, p in group}
            if "string" not in types or not types & _NUMERIC:
                continue
            for path, method, p in group:
                if p["schema"].get("type") in _NUMERIC:
                    _stringify(p)
                    notes.append(
                        f"{method.upper()} {path}: path parameter {name} is a string (as under {prefix})"
                    )
    return notes
