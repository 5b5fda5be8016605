"""Test helpers: the pinned upstream specs and their 2xx JSON examples."""

from __future__ import annotations

import copy
import functools
import importlib
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from dateutil.parser import isoparse
from openapi_python_client.strings import PythonIdentifier

from codegen.fetch import fetch
from codegen.load import load_spec
from codegen.manifest import Version, load_manifest
from codegen.repairs import repair
from codegen.spec import operations

VERSIONS = load_manifest()


@functools.cache
def upstream_spec(name: str) -> dict[str, Any]:
    version = next(v for v in VERSIONS if v.name == name)
    return load_spec(fetch(version, log=False))


@functools.cache
def repaired_spec(name: str) -> dict[str, Any]:
    spec = copy.deepcopy(upstream_spec(name))
    repair(spec)
    return spec


def endpoint_module(package: str, spec: dict[str, Any], path: str, method: str) -> ModuleType:
    """The generated module for an operation (the generator's own naming: first tag, operationId)."""
    op = spec["paths"][path][method]
    tag = PythonIdentifier((op.get("tags") or ["default"])[0], "field_")
    name = PythonIdentifier(op["operationId"], "field_")
    return importlib.import_module(f"{package}.api.{tag}.{name}")


@dataclass(frozen=True)
class Example:
    version: Version
    method: str
    path: str
    status: int
    label: str
    value: Any

    @property
    def id(self) -> str:
        return f"{self.version.name} {self.method.upper()} {self.path} {self.status} {self.label}"


def response_examples(version: Version) -> list[Example]:
    """Every ``example`` and ``examples.*.value`` of every documented 2xx JSON response."""
    spec = upstream_spec(version.name)
    found = []
    for path, method, op in operations(spec):
        for code, resp in (op.get("responses") or {}).items():
            if not str(code).startswith("2"):
                continue
            for media_type, media in (resp.get("content") or {}).items():
                if "json" not in media_type:
                    continue
                if "example" in media:
                    found.append(Example(version, method, path, int(code), "example", media["example"]))
                for label, ex in (media.get("examples") or {}).items():
                    if isinstance(ex, dict) and "value" in ex:
                        found.append(Example(version, method, path, int(code), label, ex["value"]))
    return found


_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def normalise_datetimes(value: Any) -> Any:
    """date-time strings compare as instants: to_dict() writes ``isoformat()`` ("+00:00" for "Z",
    no ".000"), which is the same point in time."""
    if isinstance(value, dict):
        return {k: normalise_datetimes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_datetimes(v) for v in value]
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        return isoparse(value)
    return value
