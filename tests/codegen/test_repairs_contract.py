"""The repair rules added for the contract tests, each on a small synthetic spec (the general rule)."""

from __future__ import annotations

import copy
from typing import Any

from codegen.repairs import (
    contradicting_examples,
    exploded_query_objects,
    format_conflicts,
    missing_success_response,
    path_param_types,
    undeclared_required,
)
from codegen.validate import validate_spec


def spec(schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def json_response(schema: dict[str, Any], **media: Any) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema, **media}}}}


# -- contradicting_examples -------------------------------------------------------------------------


def _thing() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "avatar": {"$ref": "#/components/schemas/avatar", "nullable": True},
        },
        "required": ["id"],
    }


def test_response_examples_that_contradict_the_schema_are_dropped_valid_ones_kept() -> None:
    s = spec(
        {"thing": _thing(), "avatar": {"type": "object", "properties": {"url": {"type": "string"}}}},
        {
            "/t": {
                "get": {
                    "responses": json_response(
                        {"$ref": "#/components/schemas/thing"},
                        examples={
                            "missing required": {"value": {"email": "a@example.com"}},
                            "bad format": {"value": {"id": "1", "email": ""}},
                            "null beside $ref": {"value": {"id": "1", "avatar": None}},
                        },
                    )
                }
            },
            "/u": {"get": {"responses": json_response({"type": "integer"}, example="12")}},
        },
    )
    notes = contradicting_examples.apply(s)
    media = s["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"]
    assert list(media["examples"]) == ["null beside $ref"]
    assert "example" not in s["paths"]["/u"]["get"]["responses"]["200"]["content"]["application/json"]
    assert len(notes) == 2
    validate_spec(s, "t")


def test_schema_examples_that_contradict_their_schema_are_dropped() -> None:
    s = spec(
        {
            "company": {
                "type": "object",
                "properties": {
                    "author_id": {"type": "integer", "example": "5017691"},
                    "size": {"type": "integer", "example": 100},
                    "custom": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "example": {"monthly_spend": 155.5},
                    },
                },
            }
        }
    )
    contradicting_examples.apply(s)
    props = s["components"]["schemas"]["company"]["properties"]
    assert "example" not in props["author_id"]
    assert "example" not in props["custom"]
    assert props["size"]["example"] == 100


def test_request_body_examples_are_left_alone() -> None:
    body = {"content": {"application/json": {"schema": {"type": "integer"}, "example": "x"}}}
    s = spec(paths={"/t": {"post": {"requestBody": copy.deepcopy(body), "responses": {}}}})
    assert contradicting_examples.apply(s) == []
    assert s["paths"]["/t"]["post"]["requestBody"] == body


def test_schema_errors_is_a_request_validator_too() -> None:
    s = spec({"thing": _thing()})
    ref = {"$ref": "#/components/schemas/thing"}
    assert contradicting_examples.schema_errors(s, ref, {"id": "1"}, reading=False) == []
    assert contradicting_examples.schema_errors(s, ref, {"id": 1}, reading=False)


# -- format_conflicts -------------------------------------------------------------------------------


def test_format_contradicted_by_example_or_length_is_dropped() -> None:
    s = spec(
        {
            "from": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "format": "uuid",
                        "minLength": 24,
                        "maxLength": 24,
                        "example": "536e564f316c83104c000020",
                    },
                    "short": {"type": "string", "format": "uuid", "maxLength": 24},
                    "real": {
                        "type": "string",
                        "format": "uuid",
                        "example": "f93ecfa8-d08a-4325-8694-89aeb89c8f85",
                    },
                    "free": {"type": "string", "format": "whatever", "example": "x"},
                },
            }
        }
    )
    notes = format_conflicts.apply(s)
    props = s["components"]["schemas"]["from"]["properties"]
    assert "format" not in props["id"] and "format: uuid" in props["id"]["description"]
    assert "format" not in props["short"]
    assert props["real"]["format"] == "uuid"
    assert props["free"]["format"] == "whatever"
    assert len(notes) == 2


# -- exploded_query_objects -------------------------------------------------------------------------


def test_exploded_form_object_query_parameter_becomes_one_parameter_per_property() -> None:
    one = [{"properties": {n: {"type": "string"}}, "required": [n]} for n in ("user_id", "email")]
    s = spec(
        paths={
            "/events": {
                "get": {
                    "parameters": [
                        {
                            "name": "filter",
                            "in": "query",
                            "required": True,
                            "style": "form",
                            "explode": True,
                            "schema": {"type": "object", "oneOf": one},
                        },
                        {"name": "type", "in": "query", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )
    notes = exploded_query_objects.apply(s)
    params = s["paths"]["/events"]["get"]["parameters"]
    assert [(p["name"], p.get("required", False)) for p in params] == [
        ("user_id", False),
        ("email", False),
        ("type", True),
    ]
    assert "send one of user_id | email" in params[0]["description"]
    assert notes == ["GET /events: query object filter -> user_id, email"]
    validate_spec(s, "t")


def test_required_properties_of_the_object_itself_stay_required() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a"],
    }
    param = {"name": "q", "in": "query", "required": True, "schema": schema}
    s = spec(paths={"/x": {"get": {"parameters": [param], "responses": {"200": {"description": "ok"}}}}})
    exploded_query_objects.apply(s)
    params = s["paths"]["/x"]["get"]["parameters"]
    assert [(p["name"], p.get("required", False)) for p in params] == [("a", True), ("b", False)]


def test_non_exploded_deep_object_and_clashing_parameters_are_left_alone() -> None:
    obj = {"type": "object", "properties": {"type": {"type": "string"}}}
    params = [
        {"name": "a", "in": "query", "style": "form", "explode": False, "schema": obj},
        {"name": "b", "in": "query", "style": "deepObject", "schema": obj},
        {"name": "c", "in": "query", "schema": obj},
        {"name": "type", "in": "query", "schema": {"type": "string"}},
    ]
    s = spec(paths={"/x": {"get": {"parameters": copy.deepcopy(params), "responses": {}}}})
    notes = exploded_query_objects.apply(s)
    assert s["paths"]["/x"]["get"]["parameters"] == params
    assert notes == ["GET /x: query object c left (name clash)"]


# -- undeclared_required ----------------------------------------------------------------------------


def test_required_names_never_declared_are_dropped_union_members_count_as_declared() -> None:
    s = spec(
        {
            "segments": {
                "type": "object",
                "properties": {"type": {"type": "string"}, "data": {"type": "array", "items": {}}},
                "required": ["type", "total_count", "data"],
            },
            "only_undeclared": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
            "variant": {"type": "object", "properties": {"data_type": {"type": "string"}}},
            "create": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name", "data_type"],
                "oneOf": [{"$ref": "#/components/schemas/variant"}],
            },
        }
    )
    notes = undeclared_required.apply(s)
    schemas = s["components"]["schemas"]
    assert schemas["segments"]["required"] == ["type", "data"]
    assert "required" not in schemas["only_undeclared"]
    assert schemas["create"]["required"] == ["name", "data_type"]
    assert len(notes) == 2


# -- missing_success_response -----------------------------------------------------------------------


def test_operation_without_success_response_gets_an_any_object_200_before_default() -> None:
    error = {"description": "e", "content": {"application/json": {"schema": {"type": "object"}}}}
    s = spec(
        paths={
            "/call/{n}": {
                "get": {
                    "parameters": [
                        {"name": "n", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"404": error, "default": error},
                }
            },
            "/redirect": {"get": {"responses": {"302": {"description": "moved"}}}},
            "/ok": {"get": {"responses": {"204": {"description": "none"}}}},
        }
    )
    notes = missing_success_response.apply(s)
    responses = s["paths"]["/call/{n}"]["get"]["responses"]
    assert list(responses) == ["404", "200", "default"]
    assert responses["200"]["content"]["application/json"]["schema"]["type"] == "object"
    assert list(s["paths"]["/redirect"]["get"]["responses"]) == ["302"]
    assert list(s["paths"]["/ok"]["get"]["responses"]) == ["204"]
    assert notes == ["GET /call/{n}: no success response documented; added 200 (any JSON object)"]
    validate_spec(s, "t")


# -- path_param_types -------------------------------------------------------------------------------


def _path_op(name: str, typ: str, example: Any = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": typ}
    if example is not None:
        schema["example"] = example
    param = {"name": name, "in": "path", "required": True, "schema": schema}
    return {"get": {"parameters": [param], "responses": {"200": {"description": "ok"}}}}


def test_one_resource_id_gets_one_type_string_wins() -> None:
    s = spec(
        paths={
            "/contacts/{id}": _path_op("id", "string"),
            "/contacts/{id}/notes": _path_op("id", "integer", 1),
            "/conversations/{id}": _path_op("id", "integer"),
            "/conversations/{id}/reply": _path_op("id", "string"),
            "/teams/{id}": _path_op("id", "integer"),
            "/teams/{id}/members": _path_op("id", "integer"),
            "/tags/{tag_id}/x": _path_op("tag_id", "integer"),
            "/tags/{id}": _path_op("id", "string"),
        }
    )
    notes = path_param_types.apply(s)

    def schema(path: str) -> dict[str, Any]:
        return dict(s["paths"][path]["get"]["parameters"][0]["schema"])

    assert schema("/contacts/{id}/notes") == {"type": "string", "example": "1"}
    assert schema("/conversations/{id}") == {"type": "string"}
    assert schema("/teams/{id}/members") == {"type": "integer"}  # consistent: left alone
    assert schema("/tags/{tag_id}/x") == {"type": "integer"}  # another name: another resource
    assert len(notes) == 2
    validate_spec(s, "t")
