"""Tiny OpenAPI documents built in Python for the synthetic differ tests."""

from __future__ import annotations

import copy
from typing import Any

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props, **extra}
    if required:
        schema["required"] = required
    return schema


def body(schema: dict[str, Any], required: bool = True, media: str = JSON) -> dict[str, Any]:
    return {"required": required, "content": {media: {"schema": schema}}}


def response(schema: dict[str, Any] | None = None, description: str = "ok") -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {JSON: {"schema": schema}}
    return out


def param(
    name: str, where: str = "query", schema: dict[str, Any] | None = None, required: bool = False
) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "schema": schema or {"type": "string"},
    }


def op(
    operation_id: str,
    *,
    params: list[dict[str, Any]] | None = None,
    request: dict[str, Any] | None = None,
    responses: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": operation_id,
        "tags": tags or ["Things"],
        "responses": responses or {"200": response(ref("thing"))},
        **extra,
    }
    if params:
        out["parameters"] = params
    if request:
        out["requestBody"] = request
    return out


def spec(
    paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **components: Any
) -> dict:
    """A document whose default schema ``thing`` is returned by ``GET /things/{id}``."""
    base_schemas = {"thing": obj({"id": {"type": "string"}, "name": {"type": "string"}}, ["id"])}
    doc: dict[str, Any] = {
        "openapi": "3.0.1",
        "info": {"title": "Test API", "version": "1.0"},
        "paths": paths
        if paths is not None
        else {"/things/{id}": {"get": op("getThing", params=[param("id", "path")])}},
        "components": {"schemas": schemas if schemas is not None else base_schemas, **components},
    }
    return doc


def evolve(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)
