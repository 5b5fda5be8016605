"""Shared, public helpers for reading an OpenAPI document (used by the repair rules, the facade, the
report and the tests): :data:`HTTP_METHODS`, :func:`operations` (every operation under ``paths``), the
schema walkers (every Schema Object of a spec, in document order) and :func:`load_spec` (a spec file
as dicts, the pipeline's load pass). The text of a generator value is :func:`codegen.strings.plain`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.load import load_spec

__all__ = [
    "HTTP_METHODS",
    "all_schemas",
    "child_schemas",
    "load_spec",
    "operations",
    "root_schemas",
    "walk_schema",
]

Schema = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is one schema, a list of schemas, or a name -> schema map.
_ONE = ("items", "not", "additionalProperties")
_LIST = ("allOf", "anyOf", "oneOf")
_MAP = ("properties", "patternProperties")


def child_schemas(schema: Schema) -> Iterator[tuple[str, Schema]]:
    """Direct sub-schemas of ``schema`` as (location, schema) pairs."""
    for key in _ONE:
        sub = schema.get(key)
        if isinstance(sub, dict):
            yield key, sub
    for key in _LIST:
        for i, sub in enumerate(schema.get(key) or []):
            if isinstance(sub, dict):
                yield f"{key}/{i}", sub
    for key in _MAP:
        for name, sub in (schema.get(key) or {}).items():
            if isinstance(sub, dict):
                yield f"{key}/{name}", sub


def walk_schema(schema: Schema, path: str = "") -> Iterator[tuple[str, Schema]]:
    """``schema`` and all its nested sub-schemas (depth first), with JSON-pointer-ish paths."""
    yield path, schema
    for loc, sub in child_schemas(schema):
        yield from walk_schema(sub, f"{path}/{loc}")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation under ``paths``."""
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def _media_schemas(content: dict[str, Any] | None, where: str) -> Iterator[tuple[str, Schema]]:
    for media_type, media in (content or {}).items():
        if isinstance(media, dict) and isinstance(media.get("schema"), dict):
            yield f"{where}/content/{media_type}/schema", media["schema"]


def root_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    """Every top-level schema position: components, parameters, request bodies and responses."""
    components = spec.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        yield f"#/components/schemas/{name}", schema
    for name, param in (components.get("parameters") or {}).items():
        if isinstance(param.get("schema"), dict):
            yield f"#/components/parameters/{name}/schema", param["schema"]
    for name, body in (components.get("requestBodies") or {}).items():
        yield from _media_schemas(body.get("content"), f"#/components/requestBodies/{name}")
    for name, resp in (components.get("responses") or {}).items():
        yield from _media_schemas(resp.get("content"), f"#/components/responses/{name}")
    for path, method, op in operations(spec):
        where = f"#/paths/{path}/{method}"
        params = list(op.get("parameters") or []) + list(spec["paths"][path].get("parameters") or [])
        for i, param in enumerate(params):
            if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                yield f"{where}/parameters/{i}/schema", param["schema"]
        body = op.get("requestBody") or {}
        yield from _media_schemas(body.get("content"), f"{where}/requestBody")
        for status, resp in (op.get("responses") or {}).items():
            yield from _media_schemas(resp.get("content"), f"{where}/responses/{status}")


def all_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    """Every schema object in the spec, nested ones included."""
    for path, schema in root_schemas(spec):
        yield from walk_schema(schema, path)
