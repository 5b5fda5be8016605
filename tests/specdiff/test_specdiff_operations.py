"""Synthetic spec pairs for every operation-level category (and its breaking classification)."""

from __future__ import annotations

from codegen.specdiff import Kind, diff_specs

from .builders import body, evolve, obj, op, param, ref, response, spec


def _one(changelog, kind, **attrs):
    found = changelog.find(kind, **attrs)
    assert len(found) == 1, (kind, attrs, changelog.changes)
    return found[0]


def test_identical_specs_have_no_changes():
    doc = spec()
    assert diff_specs(doc, evolve(doc)).changes == []


def test_operation_added_is_not_breaking_and_removed_is():
    old = spec()
    new = evolve(old)
    new["paths"]["/widgets"] = {"post": op("createWidget", summary="Create a widget")}
    cl = diff_specs(old, new)
    added = _one(cl, Kind.OPERATION_ADDED, subject="POST /widgets")
    assert not added.breaking and added.name == "createWidget" and "Create a widget" in added.detail
    assert added.resource == "widgets"
    back = diff_specs(new, old)
    removed = _one(back, Kind.OPERATION_REMOVED, subject="POST /widgets")
    assert removed.breaking


def test_renamed_path_parameter_is_one_breaking_change_not_remove_plus_add():
    old = spec(paths={"/contacts/{id}": {"get": op("showContact", params=[param("id", "path")])}})
    new = spec(
        paths={"/contacts/{contact_id}": {"get": op("showContact", params=[param("contact_id", "path")])}}
    )
    cl = diff_specs(old, new)
    renamed = _one(cl, Kind.PARAMETER_RENAMED, subject="GET /contacts/{contact_id}")
    assert renamed.breaking and (renamed.old, renamed.new) == ("id", "contact_id")
    assert not cl.find(Kind.OPERATION_ADDED) and not cl.find(Kind.OPERATION_REMOVED)
    assert not cl.find(Kind.PARAMETER_ADDED) and not cl.find(Kind.PARAMETER_REMOVED)


def test_renamed_second_path_parameter_matched_by_position():
    old = spec(
        paths={"/a/{a_id}/b/{id}": {"delete": op("del", params=[param("a_id", "path"), param("id", "path")])}}
    )
    new = spec(
        paths={
            "/a/{a_id}/b/{b_id}": {"delete": op("del", params=[param("a_id", "path"), param("b_id", "path")])}
        }
    )
    cl = diff_specs(old, new)
    assert [(c.old, c.new) for c in cl.find(Kind.PARAMETER_RENAMED)] == [("id", "b_id")]


def test_path_parameter_type_change_is_breaking():
    old = spec(paths={"/x/{id}": {"get": op("x", params=[param("id", "path", {"type": "integer"})])}})
    new = spec(paths={"/x/{id}": {"get": op("x", params=[param("id", "path", {"type": "string"})])}})
    change = _one(diff_specs(old, new), Kind.PARAMETER_TYPE_CHANGED)
    assert change.breaking and (change.old, change.new) == ("integer", "string")


def test_operation_id_and_tag_changes_rename_the_generated_function():
    old = spec(paths={"/data_attributes": {"get": op("lisDataAttributes", tags=["Data Attributes"])}})
    new = spec(paths={"/data_attributes": {"get": op("listDataAttributes", tags=["Attributes"])}})
    cl = diff_specs(old, new)
    renamed = _one(cl, Kind.OPERATION_RENAMED)
    assert renamed.breaking and renamed.new == "listDataAttributes"
    assert _one(cl, Kind.OPERATION_RETAGGED).breaking


def test_deprecation_is_reported_as_non_breaking():
    old = spec()
    new = evolve(old)
    new["paths"]["/things/{id}"]["get"]["deprecated"] = True
    assert not _one(diff_specs(old, new), Kind.OPERATION_DEPRECATED).breaking


def _with_params(*params):
    return spec(paths={"/things": {"get": op("listThings", params=list(params))}})


def test_query_parameters_added_removed_required_and_typed():
    old = _with_params(param("page", schema={"type": "integer"}), param("q"), param("sort"))
    new = _with_params(
        param("page", schema={"type": "string"}),
        param("q", required=True),
        param("per_page", schema={"type": "integer"}),
        param("region", required=True),
    )
    cl = diff_specs(old, new)
    assert not _one(cl, Kind.PARAMETER_ADDED, name="per_page").breaking
    assert _one(cl, Kind.PARAMETER_ADDED, name="region").breaking  # a new required argument
    assert _one(cl, Kind.PARAMETER_REMOVED, name="sort").breaking
    required = _one(cl, Kind.PARAMETER_REQUIRED_CHANGED, name="q")
    assert required.breaking and required.new == "true"
    assert _one(cl, Kind.PARAMETER_TYPE_CHANGED, name="page").breaking
    loosened = diff_specs(new, old).find(Kind.PARAMETER_REQUIRED_CHANGED, name="q")
    assert loosened and not loosened[0].breaking


def test_parameter_enum_values_added_and_removed():
    old = _with_params(param("state", schema={"type": "string", "enum": ["open", "closed", "snoozed"]}))
    new = _with_params(param("state", schema={"type": "string", "enum": ["open", "closed", "pending"]}))
    cl = diff_specs(old, new)
    assert _one(cl, Kind.ENUM_VALUE_REMOVED, name="snoozed").breaking
    added = _one(cl, Kind.ENUM_VALUE_ADDED, name="pending")
    assert not added.breaking and added.subject == "GET /things"


def test_header_parameters_and_path_level_and_referenced_parameters():
    old = spec(
        paths={
            "/things": {"parameters": [{"$ref": "#/components/parameters/version"}], "get": op("listThings")}
        },
        parameters={"version": param("Intercom-Version", "header")},
    )
    new = evolve(old)
    new["components"]["parameters"]["version"] = param("X-Version", "header")
    cl = diff_specs(old, new)
    assert (
        _one(cl, Kind.PARAMETER_REMOVED, name="Intercom-Version").where
        == "header parameter `Intercom-Version`"
    )
    assert _one(cl, Kind.PARAMETER_ADDED, name="X-Version")


def _with_body(request=None, responses=None):
    return spec(paths={"/things": {"post": op("createThing", request=request, responses=responses)}})


def test_request_body_added_removed_and_required():
    none = _with_body()
    optional = _with_body(body(ref("thing"), required=False))
    required = _with_body(body(ref("thing"), required=True))
    assert not _one(diff_specs(none, optional), Kind.REQUEST_BODY_ADDED).breaking
    assert _one(diff_specs(none, required), Kind.REQUEST_BODY_ADDED).breaking
    assert _one(diff_specs(required, none), Kind.REQUEST_BODY_REMOVED).breaking
    tightened = _one(diff_specs(optional, required), Kind.REQUEST_BODY_CHANGED)
    assert tightened.breaking and tightened.new == "true"


def test_request_body_type_and_media_type_changes():
    schemas = {"thing": obj({"id": {"type": "string"}}), "thing_v2": obj({"id": {"type": "string"}})}
    old = spec(paths={"/things": {"post": op("c", request=body(ref("thing")))}}, schemas=schemas)
    new = spec(paths={"/things": {"post": op("c", request=body(ref("thing_v2")))}}, schemas=schemas)
    change = _one(diff_specs(old, new), Kind.REQUEST_BODY_CHANGED)
    assert change.breaking and (change.old, change.new) == ("thing", "thing_v2")
    multipart = spec(
        paths={"/things": {"post": op("c", request=body(ref("thing"), media="multipart/form-data"))}}
    )
    assert "media type" in _one(diff_specs(old, multipart), Kind.REQUEST_BODY_CHANGED).detail


def test_single_variant_union_is_the_variant():
    old = _with_body(body({"oneOf": [ref("thing")]}))
    new = _with_body(body(ref("thing")))
    assert diff_specs(old, new).changes == []


def test_inline_request_body_properties_are_judged_as_input():
    old = _with_body(body(obj({"name": {"type": "string"}, "note": {"type": "string"}})))
    new = _with_body(body(obj({"name": {"type": "string"}, "email": {"type": "string"}}, ["email", "name"])))
    cl = diff_specs(old, new)
    added = _one(cl, Kind.PROPERTY_ADDED, name="email")
    assert (
        added.breaking and added.subject == "POST /things" and added.where == "request body property `email`"
    )
    assert _one(cl, Kind.PROPERTY_REQUIRED_CHANGED, name="name").breaking  # now a required argument
    assert _one(cl, Kind.PROPERTY_REMOVED, name="note").breaking


def test_responses_added_removed_and_changed():
    schemas = {"thing": obj({"id": {"type": "string"}}), "error": obj({"message": {"type": "string"}})}
    old = spec(
        paths={
            "/things": {
                "get": op("l", responses={"200": response(ref("thing")), "404": response(ref("error"))})
            }
        },
        schemas=schemas,
    )
    new = spec(
        paths={
            "/things": {
                "get": op("l", responses={"200": response(ref("error")), "401": response(ref("error"))})
            }
        },
        schemas=schemas,
    )
    cl = diff_specs(old, new)
    assert not _one(cl, Kind.RESPONSE_ADDED, name="401").breaking
    assert not _one(cl, Kind.RESPONSE_REMOVED, name="404").breaking  # an error response
    changed = _one(cl, Kind.RESPONSE_CHANGED, name="200")
    assert changed.breaking and (changed.old, changed.new) == ("thing", "error")
    gone = diff_specs(
        old, spec(paths={"/things": {"get": op("l", responses={"404": response(ref("error"))})}})
    )
    assert _one(gone, Kind.RESPONSE_REMOVED, name="200").breaking


def test_inline_response_properties_are_judged_as_output_and_response_refs_resolve():
    old_schema = obj({"id": {"type": "string"}, "legacy": {"type": "string"}}, ["id"])
    new_schema = obj(
        {"id": {"type": "string", "nullable": True}, "extra": {"type": "integer"}}, ["id", "extra"]
    )
    old = spec(
        paths={"/things": {"get": op("l", responses={"200": {"$ref": "#/components/responses/Thing"}})}},
        responses={"Thing": response(old_schema)},
    )
    new = evolve(old)
    new["components"]["responses"]["Thing"] = response(new_schema)
    cl = diff_specs(old, new)
    assert _one(cl, Kind.PROPERTY_REMOVED, name="legacy").where == "response 200 property `legacy`"
    assert not _one(cl, Kind.PROPERTY_ADDED, name="extra").breaking  # required, but only read
    assert _one(cl, Kind.PROPERTY_NULLABLE_CHANGED, name="id").breaking  # may now be None


def test_required_added_on_top_of_a_referenced_schema():
    schemas = {"message": obj({"id": {"type": "string"}, "conversation_id": {"type": "string"}})}
    old = spec(paths={"/c": {"post": op("c", responses={"200": response(ref("message"))})}}, schemas=schemas)
    new_resp = {"allOf": [ref("message")], "required": ["conversation_id"]}
    new = spec(paths={"/c": {"post": op("c", responses={"200": response(new_resp)})}}, schemas=schemas)
    change = _one(diff_specs(old, new), Kind.PROPERTY_REQUIRED_CHANGED, name="conversation_id")
    assert not change.breaking and "on `message` here" in change.detail


def test_two_paths_with_the_same_shape_do_not_collide():
    doc = spec(
        paths={
            "/a/{id}": {"get": op("one", params=[param("id", "path")])},
            "/a/{name}": {"get": op("two", params=[param("name", "path")])},
        }
    )
    assert diff_specs(doc, evolve(doc)).changes == []
