"""Repair: path template variables that are not declared as path parameters.

Upstream defect: Unstable's ``GET /export/reporting_data/{job_identifier}`` and
``GET /download/reporting_data/{job_identifier}`` declare ``job_identifier`` with ``in: query``.
The request could never be built, so openapi-python-client skips both operations ("Incorrect path
templating").

Rule: parameters declared on the path item are copied onto each of its operations (unless the
operation overrides them), then for every ``{name}`` in the path template the operation must have an
``in: path, required: true`` parameter: a same-named parameter declared elsewhere is moved to the
path; a missing one is added as a string. Path parameters that the template does not contain are
removed (they could not be sent).
"""

from __future__ import annotations

import re
from typing import Any

from codegen.spec import HTTP_METHODS

_TEMPLATE = re.compile(r"{([^}]+)}")


def _resolve(param: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = param.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
        resolved = spec["components"]["parameters"][ref.rsplit("/", 1)[-1]]
        return dict(resolved)
    return param


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, item in (spec.get("paths") or {}).items():
        shared = [_resolve(p, spec) for p in item.pop("parameters", None) or []]
        names = _TEMPLATE.findall(path)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params = [_resolve(p, spec) for p in op.get("parameters") or []]
            own = {(p.get("name"), p.get("in")) for p in params}
            params += [p for p in shared if (p.get("name"), p.get("in")) not in own]
            for name in names:
                if any(p.get("name") == name and p.get("in") == "path" for p in params):
                    continue
                same = [p for p in params if p.get("name") == name]
                if same:
                    same[0].update({"in": "path", "required": True})
                    for extra in same[1:]:
                        params.remove(extra)
                    notes.append(f"{method.upper()} {path}: {name} moved to the path")
                else:
                    params.append(
                        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    )
                    notes.append(f"{method.upper()} {path}: declared missing path parameter {name}")
            stray = [p for p in params if p.get("in") == "path" and p.get("name") not in names]
            for p in stray:
                params.remove(p)
                notes.append(
                    f"{method.upper()} {path}: removed path parameter {p.get('name')} not in the path"
                )
            if params:
                op["parameters"] = params
            else:
                op.pop("parameters", None)
    return notes
