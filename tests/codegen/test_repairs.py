"""Each repair rule on a small synthetic spec: the general rule, not the Intercom instance of it."""

from __future__ import annotations

from typing import Any

from codegen.repairs import (
    array_items,
    constraint_unions,
    dangling_refs,
    hoist_inline_models,
    nullable_components,
    operation_ids,
    path_params,
    single_member_unions,
    strip_titles,
    version_header,
)
from codegen.validate import validate_spec


def spec(schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def ok_response(ref: str) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}}


def test_dangling_ref_is_defined_as_any_value_and_spec_validates() -> None:
    s = spec({"a": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/missing"}}}})
    assert dangling_refs.apply(s)
    assert s["components"]["schemas"]["missing"].keys() == {"description"}
    validate_spec(s, "t")


def test_titles_are_removed_but_a_property_called_title_stays() -> None:
    s = spec({"article": {"title": "Article", "type": "object", "properties": {"title": {"type": "string"}}}})
    strip_titles.apply(s)
    assert "title" not in s["components"]["schemas"]["article"]
    assert s["components"]["schemas"]["article"]["properties"]["title"] == {"type": "string"}


def test_nullable_component_moves_nullability_to_its_uses() -> None:
    s = spec(
        {
            "v": {"type": "object", "nullable": True, "properties": {"id": {"type": "string"}}},
            "holder": {"type": "object", "properties": {"v": {"$ref": "#/components/schemas/v"}}},
        },
        {"/v": {"get": {"responses": ok_response("#/components/schemas/v")}}},
    )
    nullable_components.apply(s)
    assert "nullable" not in s["components"]["schemas"]["v"]
    assert s["components"]["schemas"]["holder"]["properties"]["v"] == {
        "anyOf": [{"$ref": "#/components/schemas/v"}],
        "nullable": True,
    }
    body = s["paths"]["/v"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/v"}


def test_path_template_variable_declared_in_query_moves_to_path() -> None:
    s = spec(
        paths={
            "/jobs/{job_id}": {
                "get": {
                    "parameters": [
                        {"name": "job_id", "in": "query", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/other/{undeclared}": {"parameters": [], "get": {"responses": {"200": {"description": "ok"}}}},
        }
    )
    path_params.apply(s)
    assert s["paths"]["/jobs/{job_id}"]["get"]["parameters"][0]["in"] == "path"
    assert s["paths"]["/other/{undeclared}"]["get"]["parameters"][0]["name"] == "undeclared"
    validate_spec(s, "t")


def test_path_level_parameters_are_copied_to_operations() -> None:
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    s = spec(paths={"/x/{id}": {"parameters": [param], "get": {"responses": {"200": {"description": "ok"}}}}})
    path_params.apply(s)
    assert "parameters" not in s["paths"]["/x/{id}"]
    assert s["paths"]["/x/{id}"]["get"]["parameters"] == [param]


def test_single_member_union_is_unwrapped_unless_nullable() -> None:
    s = spec(
        {
            "a": {"type": "object", "properties": {"id": {"type": "string"}}},
            "b": {"oneOf": [{"$ref": "#/components/schemas/a"}]},
            "c": {"anyOf": [{"$ref": "#/components/schemas/a"}], "nullable": True},
        }
    )
    single_member_unions.apply(s)
    assert s["components"]["schemas"]["b"] == {"$ref": "#/components/schemas/a"}
    assert "anyOf" in s["components"]["schemas"]["c"]


def test_required_only_union_becomes_an_extension() -> None:
    s = spec(
        {
            "req": {
                "type": "object",
                "properties": {"email": {"type": "string"}, "id": {"type": "string"}},
                "anyOf": [{"required": ["email"]}, {"required": ["id"]}],
            }
        }
    )
    constraint_unions.apply(s)
    schema = s["components"]["schemas"]["req"]
    assert "anyOf" not in schema
    assert schema["x-required-one-of"] == [["email"], ["id"]]
    assert "Requires one of: email | id." in schema["description"]


def test_inline_enum_colliding_with_a_component_name_gets_a_distinct_name() -> None:
    s = spec(
        {
            "ticket": {"type": "object", "properties": {"type": {"type": "string", "enum": ["ticket"]}}},
            "ticket_type": {"type": "object", "properties": {"id": {"type": "string"}}},
        }
    )
    hoist_inline_models.apply(s)
    schemas = s["components"]["schemas"]
    assert schemas["ticket"]["properties"]["type"] == {"$ref": "#/components/schemas/ticket_type_enum"}
    assert schemas["ticket_type_enum"]["enum"] == ["ticket"]
    assert schemas["ticket_type"]["properties"] == {"id": {"type": "string"}}


def test_inline_object_under_allof_base_is_defined_once() -> None:
    base = {"type": "object", "properties": {"opts": {"type": "array", "items": {"properties": {"x": {}}}}}}
    s = spec(
        {
            "base": base,
            "a": {"allOf": [{"$ref": "#/components/schemas/base"}]},
            "b": {"allOf": [{"$ref": "#/components/schemas/base"}]},
        }
    )
    hoist_inline_models.apply(s)
    assert s["components"]["schemas"]["base"]["properties"]["opts"]["items"] == {
        "$ref": "#/components/schemas/base_opts_item"
    }


def test_missing_operation_id_comes_from_summary_then_path() -> None:
    ok = {"200": {"description": "ok"}}
    s = spec(
        paths={
            "/a": {"get": {"summary": "Get an export job status", "responses": ok}},
            "/b": {"get": {"summary": "Get an export job status", "responses": ok}},
        }
    )
    operation_ids.apply(s)
    assert s["paths"]["/a"]["get"]["operationId"] == "getExportJobStatus"
    assert s["paths"]["/b"]["get"]["operationId"] == "getB"


def test_array_without_items_gets_any_items() -> None:
    s = spec({"a": {"anyOf": [{"type": "string"}, {"type": "array"}]}})
    array_items.apply(s)
    assert s["components"]["schemas"]["a"]["anyOf"][1] == {"type": "array", "items": {}}


def test_version_header_parameter_is_dropped() -> None:
    header = {"name": "Intercom-Version", "in": "header", "schema": {"type": "string"}}
    s = spec(paths={"/a": {"get": {"parameters": [header], "responses": {"200": {"description": "ok"}}}}})
    version_header.apply(s)
    assert "parameters" not in s["paths"]["/a"]["get"]


def test_operation_keys_on_the_path_item_move_into_its_single_operation() -> None:
    from codegen.repairs import misplaced_operation_keys

    s = spec(
        paths={
            "/jobs/{id}": {
                "get": {"summary": "Job", "parameters": []},
                "tags": ["Jobs"],
                "operationId": "jobsStatus",
                "responses": {"200": {"description": "ok"}},
            }
        }
    )
    misplaced_operation_keys.apply(s)
    assert s["paths"]["/jobs/{id}"] == {
        "get": {
            "summary": "Job",
            "parameters": [],
            "tags": ["Jobs"],
            "operationId": "jobsStatus",
            "responses": {"200": {"description": "ok"}},
        }
    }


def test_defaults_move_into_descriptions_everywhere_and_required_stays_required() -> None:
    from codegen.repairs import server_defaults

    s = spec(
        {
            "req": {
                "type": "object",
                "required": ["mode"],
                "properties": {
                    "flag": {"type": "boolean", "default": False, "description": "A flag"},
                    "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
                    "inner": {"type": "object", "properties": {"n": {"type": "integer", "default": 3}}},
                },
            }
        },
        {
            "/x": {
                "get": {
                    "parameters": [
                        {
                            "name": "per_page",
                            "in": "query",
                            "description": "Page size",
                            "schema": {"type": "integer", "default": 20},
                        }
                    ],
                    "responses": ok_response("#/components/schemas/req"),
                }
            }
        },
    )
    assert server_defaults.apply(s)
    props = s["components"]["schemas"]["req"]["properties"]
    assert props["flag"] == {"type": "boolean", "description": "A flag. Server default: false."}
    assert props["mode"]["description"] == 'Server default: "a".'
    assert props["inner"]["properties"]["n"] == {"type": "integer", "description": "Server default: 3."}
    assert s["components"]["schemas"]["req"]["required"] == ["mode"]
    param = s["paths"]["/x"]["get"]["parameters"][0]
    assert param["schema"] == {"type": "integer", "description": "Page size. Server default: 20."}
    assert param["description"] == "Page size. Server default: 20."
    assert server_defaults.apply(s) == []
    validate_spec(s, "t")


def test_allof_sibling_properties_become_an_allof_member() -> None:
    from codegen.repairs import allof_siblings

    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    extended = {
        "description": "d",
        "allOf": [{"$ref": "#/components/schemas/base"}],
        "properties": {"archived": {"type": "boolean"}},
        "required": ["archived"],
    }

    def body(extra: str, ref: str = "base") -> dict[str, Any]:
        schema = {
            "allOf": [{"$ref": f"#/components/schemas/{ref}"}],
            "properties": {extra: {"type": "string"}},
        }
        return {"content": {"application/json": {"schema": schema}}}

    s = spec(
        {
            "base": base,
            "extended": extended,
            "out": {"type": "object", "properties": {"id": {"type": "string"}}},
        },
        {
            "/a": {
                "post": {"requestBody": body("extra"), "responses": ok_response("#/components/schemas/base")}
            },
            "/b": {
                "post": {"requestBody": body("extra"), "responses": ok_response("#/components/schemas/base")}
            },
            "/c": {"get": {"responses": {"200": {"description": "ok", **body("push", "out")}}}},
        },
    )
    assert allof_siblings.apply(s)
    schemas = s["components"]["schemas"]
    assert schemas["extended"] == {
        "description": "d",
        "allOf": [
            {"$ref": "#/components/schemas/base"},
            {"type": "object", "properties": {"archived": {"type": "boolean"}}, "required": ["archived"]},
        ],
    }
    # identical inline request bodies become one named component
    ref = {"$ref": "#/components/schemas/base_with_extra"}
    for path in ("/a", "/b"):
        assert s["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"] == ref
    assert len(schemas["base_with_extra"]["allOf"]) == 2
    # a response body extending a response-only component: the component gains the property
    response = s["paths"]["/c"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/out"}
    assert schemas["out"]["properties"].keys() == {"id", "push"}
    validate_spec(s, "t")


def test_nullable_beside_a_reference_becomes_a_nullable_anyof() -> None:
    from codegen.repairs import nullable_refs

    ref = {"$ref": "#/components/schemas/r"}
    s = spec(
        {
            "r": {"type": "object", "properties": {"id": {"type": "string"}}},
            "h": {
                "type": "object",
                "properties": {
                    "a": {"$ref": "#/components/schemas/r", "nullable": True},
                    "b": {"type": "object", "nullable": True, "description": "d", "allOf": [dict(ref)]},
                    "c": {"anyOf": [dict(ref)], "nullable": True},
                    "d": {"allOf": [dict(ref)]},
                },
            },
        }
    )
    assert nullable_refs.apply(s) == ["made 2 nullable references nullable in the generator's terms"]
    props = s["components"]["schemas"]["h"]["properties"]
    assert props["a"] == {"anyOf": [ref], "nullable": True}
    assert props["b"] == {"anyOf": [ref], "nullable": True, "description": "d"}
    assert props["c"] == {"anyOf": [ref], "nullable": True}
    assert props["d"] == {"allOf": [ref]}


def test_union_sibling_properties_are_distributed_over_the_members() -> None:
    from codegen.repairs import union_siblings

    skip = {"skip": {"type": "boolean"}}
    s = spec(
        {
            "only_here": {"type": "object", "properties": {"a": {"type": "string"}}},
            "shared": {"type": "object", "properties": {"b": {"type": "string"}}},
            "other": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/shared"}}},
            "u": {
                "type": "object",
                "properties": skip,
                "required": ["skip"],
                "oneOf": [
                    {"$ref": "#/components/schemas/only_here"},
                    {"$ref": "#/components/schemas/shared"},
                    {"properties": {"c": {"type": "integer"}}},
                ],
            },
        }
    )
    assert union_siblings.apply(s)
    schemas = s["components"]["schemas"]
    assert "properties" not in schemas["u"] and "required" not in schemas["u"]
    members = schemas["u"]["oneOf"]
    # used only by the union: takes the siblings in
    assert members[0] == {"$ref": "#/components/schemas/only_here"}
    assert schemas["only_here"]["properties"].keys() == {"a", "skip"} and schemas["only_here"][
        "required"
    ] == ["skip"]
    # shared with another use: left alone, extended through allOf
    assert members[1] == {
        "allOf": [
            {"$ref": "#/components/schemas/shared"},
            {"type": "object", "properties": skip, "required": ["skip"]},
        ]
    }
    assert schemas["shared"]["properties"].keys() == {"b"}
    assert members[2] == {"properties": {"c": {"type": "integer"}, **skip}, "required": ["skip"]}
    validate_spec(s, "t")
