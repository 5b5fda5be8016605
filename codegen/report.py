"""Pass 10: measure what was generated against what the spec documents.

``<version>: operations N/N, schemas M/M, responses typed K/K, warnings W`` where

* operations: operations under ``paths`` (in the upstream spec) that became an endpoint function;
* schemas: component schemas the generator kept: none reported removed, and a class of the
  component's own name for every plain object schema (unions are inlined where they are used);
* responses typed: documented 2xx responses with a JSON schema whose generated parser returns a
  typed value (a model, list or union of them - not ``Any`` and not omitted);
* warnings: every warning or error openapi-python-client printed;
* properties declared/typed: over every generated model, the properties its schema declares (own
  ``properties`` plus those of every ``allOf`` member, recursively; :mod:`codegen.spec_props`) and
  the typed attributes of its class - equal when composition loses nothing;
* request models with spec defaults: models reachable from a request body with a property that
  has a client-side default (a value the request would send although the caller did not set it),
  and likewise parameters with defaults - both 0 once ``server_defaults`` has run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import (
    AnyProperty,
    ListProperty,
    ModelProperty,
    NoneProperty,
    Property,
    UnionProperty,
)
from openapi_python_client.strings import ClassName

from codegen.spec import operations
from codegen.spec_props import declared_properties, is_model
from codegen.strings import plain

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
    properties: tuple[int, int] = (0, 0)  # (declared by the spec, typed attributes)
    untyped_properties: list[str] = field(default_factory=list)
    request_defaults: tuple[int, int] = (0, 0)  # (request models, parameters) with client-side defaults

    @property
    def ok(self) -> bool:
        return (
            not self.warnings
            and self.operations[0] == self.operations[1]
            and self.schemas[0] == self.schemas[1]
            and self.responses[0] == self.responses[1]
            and not self.untyped_properties
            and self.request_defaults == (0, 0)
        )

    def line(self) -> str:
        return (
            f"{self.version}: operations {self.operations[0]}/{self.operations[1]}, "
            f"schemas {self.schemas[0]}/{self.schemas[1]}, "
            f"responses typed {self.responses[0]}/{self.responses[1]}, "
            f"properties declared/typed {self.properties[0]}/{self.properties[1]}, "
            f"request models with spec defaults: {self.request_defaults[0]}, "
            f"parameters with spec defaults: {self.request_defaults[1]}, warnings {len(self.warnings)}"
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


def _fields(model: ModelProperty) -> list[Property]:
    return [*(model.required_properties or []), *(model.optional_properties or [])]


def _property_counts(repaired: dict[str, Any], data: GeneratorData) -> tuple[int, int, list[str]]:
    components = (repaired.get("components") or {}).get("schemas") or {}
    # Component schemas that must be a class of their own name, then every other generated model.
    expected = {
        str(ClassName(name, "field_")): schema
        for name, schema in components.items()
        if is_model(repaired, schema)
    }
    generated = {str(m.class_info.name): m for m in data.models}
    declared_total = typed_total = 0
    mismatched = []
    for name in sorted(expected.keys() | generated.keys()):
        model = generated.get(name)
        if name in expected:
            schema = expected[name]
        else:
            assert model is not None
            schema = model.data.model_dump(by_alias=True, exclude_none=True, mode="json")
        declared = set(declared_properties(repaired, schema))
        typed = {str(plain(p.name)) for p in _fields(model)} if model is not None else set()
        declared_total += len(declared)
        typed_total += len(typed)
        if declared != typed:
            mismatched.append(f"{name}: {sorted(declared ^ typed)}")
    return declared_total, typed_total, mismatched


def _request_defaults(data: GeneratorData) -> tuple[int, int]:
    models = {str(m.class_info.name): m for m in data.models}
    seen: set[str] = set()

    def visit(prop: Any) -> None:
        if isinstance(prop, ModelProperty):
            name = str(prop.class_info.name)
            if name in seen or name not in models:
                return
            seen.add(name)
            for sub in _fields(models[name]):
                visit(sub)
        elif isinstance(prop, ListProperty):
            visit(prop.inner_property)
        elif isinstance(prop, UnionProperty):
            for member in prop.inner_properties:
                visit(member)

    params = 0
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            for body in endpoint.bodies:
                visit(body.prop)
            params += sum(p.default is not None for p in endpoint.list_all_parameters())
    with_defaults = sum(any(p.default is not None for p in _fields(models[name])) for name in seen)
    return with_defaults, params


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

    declared, typed, mismatched = _property_counts(repaired, data)
    return Report(
        version=version,
        properties=(declared, typed),
        untyped_properties=mismatched,
        request_defaults=_request_defaults(data),
        operations=(len(ops) - len(missing_ops), len(ops)),
        schemas=(len(components) - len(missing_schemas), len(components)),
        responses=(total_responses - len(untyped), total_responses),
        warnings=warnings,
        untyped=untyped,
        missing_operations=missing_ops,
        missing_schemas=missing_schemas,
    )
