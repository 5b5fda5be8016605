"""Pass 9: measure what was generated against what the spec documents.

``<version>: operations N/N, schemas M/M, responses typed K/K, warnings W`` where

* operations: operations under ``paths`` (in the upstream spec) that became an endpoint function;
* schemas: component schemas the generator kept: none reported removed, and a class of the
  component's own name for every plain object schema (unions are inlined where they are used);
* responses typed: documented 2xx responses with a JSON schema whose generated parser returns a
  typed value (a model, list or union of them - not ``Any`` and not omitted);
* warnings: every warning or error openapi-python-client printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import AnyProperty, NoneProperty
from openapi_python_client.strings import ClassName

from codegen.generate import plain
from codegen.repairs._walk import operations

_REMOVED = re.compile(r"^/components/schemas/(\S+)$", re.MULTILINE)


@dataclass
class Report:
    version: str
    operations: tuple[int, int]
    schemas: tuple[int, int]
    responses: tuple[int, int]
    warnings: list[str] = field(default_factory=list)
    untyped: list[str] = field(default_factory=list)
    missing_operations: list[str] = field(default_factory=list)
    missing_schemas: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.warnings
            and self.operations[0] == self.operations[1]
            and self.schemas[0] == self.schemas[1]
            and self.responses[0] == self.responses[1]
        )

    def line(self) -> str:
        return (
            f"{self.version}: operations {self.operations[0]}/{self.operations[1]}, "
            f"schemas {self.schemas[0]}/{self.schemas[1]}, "
            f"responses typed {self.responses[0]}/{self.responses[1]}, warnings {len(self.warnings)}"
        )


def _is_plain_model(schema: dict[str, Any]) -> bool:
    """Schemas that must become a class of their own name (unions and nullable enums are inlined)."""
    return bool(schema.get("properties")) and not any(
        k in schema for k in ("oneOf", "anyOf", "allOf", "$ref")
    )


def _json_2xx(op: dict[str, Any]) -> list[str]:
    codes = []
    for code, resp in (op.get("responses") or {}).items():
        if not str(code).startswith("2"):
            continue
        content = resp.get("content") or {}
        if any("json" in media and "schema" in body for media, body in content.items()):
            codes.append(str(code))
    return codes


def build_report(
    version: str, upstream: dict[str, Any], repaired: dict[str, Any], data: GeneratorData, warnings: list[str]
) -> Report:
    endpoints = {
        (str(e.method).lower(), plain(e.path)): e
        for collection in data.endpoint_collections_by_tag.values()
        for e in collection.endpoints
    }
    ops = list(operations(upstream))
    missing_ops = [f"{m.upper()} {p}" for p, m, _ in ops if (m, p) not in endpoints]

    components = (repaired.get("components") or {}).get("schemas") or {}
    classes = {str(m.class_info.name) for m in data.models} | {str(e.class_info.name) for e in data.enums}
    removed = {name for w in warnings for name in _REMOVED.findall(w)}
    missing_schemas = [
        name
        for name, schema in components.items()
        if name in removed or (_is_plain_model(schema) and str(ClassName(name, "field_")) not in classes)
    ]

    total_responses, untyped = 0, []
    for path, method, op in operations(upstream):
        endpoint = endpoints.get((method, path))
        for code in _json_2xx(op):
            total_responses += 1
            generated = {r.status_code.pattern: r for r in endpoint.responses} if endpoint else {}
            resp = generated.get(code)
            if resp is None or isinstance(resp.prop, (AnyProperty, NoneProperty)):
                untyped.append(f"{method.upper()} {path} {code}")

    return Report(
        version=version,
        operations=(len(ops) - len(missing_ops), len(ops)),
        schemas=(len(components) - len(missing_schemas), len(components)),
        responses=(total_responses - len(untyped), total_responses),
        warnings=warnings,
        untyped=untyped,
        missing_operations=missing_ops,
        missing_schemas=missing_schemas,
    )
