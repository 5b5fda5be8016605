"""Synthetic spec pairs for every schema-level category, judged by the direction a schema travels."""

from __future__ import annotations

import pytest

from codegen.specdiff import Kind, diff_specs
from codegen.specdiff._schemas import BOTH, REQUEST, RESPONSE, usage
from codegen.specdiff._spec import Spec, type_sig

from .builders import body, evolve, obj, op, ref, response, spec


def _one(changelog, kind, **attrs):
    found = changelog.find(kind, **attrs)
    assert len(found) == 1, (kind, attrs, changelog.changes)
    return found[0]


def _doc(schema_in=None, schema_out=None, **others):
    """``inp`` is sent (request body of POST /in), ``out`` is returned (GET /out)."""
    schemas = {
        "inp": schema_in or obj({"a": {"type": "string"}}),
        "out": schema_out or obj({"a": {"type": "string"}}),
        **others,
    }
    paths = {
        "/in": {"post": op("send", request=body(ref("inp")), responses={"204": response()})},
        "/out": {"get": op("read", responses={"200": response(ref("out"))})},
    }
    return spec(paths=paths, schemas=schemas)


def test_usage_follows_refs_transitively_and_unreached_schemas_count_as_both():
    doc = _doc(
        schema_in=obj({"child": ref("child")}),
        child=obj({"x": {"type": "string"}}),
        orphan=obj({"y": {"type": "string"}}),
    )
    found = usage(Spec(doc))
    assert found["inp"] == {REQUEST} and found["child"] == {REQUEST}
    assert found["out"] == {RESPONSE}
    assert found["orphan"] == BOTH


def test_usage_survives_circular_and_dangling_refs():
    doc = _doc(schema_out=obj({"self": ref("out"), "attrs": ref("custom_attributes")}))
    assert usage(Spec(doc))["out"] == {RESPONSE}


def test_schema_added_and_removed():
    old = _doc(gone=obj({"x": {"type": "string"}}))
    new = _doc(fresh=obj({"x": {"type": "string"}}))
    cl = diff_specs(old, new)
    assert _one(cl, Kind.SCHEMA_REMOVED, name="gone").breaking
    assert not _one(cl, Kind.SCHEMA_ADDED, name="fresh").breaking


@pytest.mark.parametrize(("schema", "breaking"), [("inp", True), ("out", False)])
def test_new_required_property_breaks_only_what_callers_build(schema, breaking):
    old = _doc()
    new = evolve(old)
    new["components"]["schemas"][schema] = obj({"a": {"type": "string"}, "b": {"type": "integer"}}, ["b"])
    change = _one(diff_specs(old, new), Kind.PROPERTY_ADDED, subject=schema, name="b")
    assert change.breaking is breaking and change.new == "integer"


def test_new_optional_property_is_never_breaking_and_removed_always_is():
    old = _doc()
    new = evolve(old)
    for name in ("inp", "out"):
        new["components"]["schemas"][name] = obj({"b": {"type": "string"}})
    cl = diff_specs(old, new)
    assert all(not c.breaking for c in cl.find(Kind.PROPERTY_ADDED))
    assert all(c.breaking for c in cl.find(Kind.PROPERTY_REMOVED))
    assert {c.subject for c in cl.find(Kind.PROPERTY_REMOVED)} == {"inp", "out"}


@pytest.mark.parametrize(
    ("schema", "now_required", "breaking"),
    [("inp", True, True), ("inp", False, False), ("out", True, False), ("out", False, True)],
)
def test_required_changes_by_direction(schema, now_required, breaking):
    loose, strict = obj({"a": {"type": "string"}}), obj({"a": {"type": "string"}}, ["a"])
    old = _doc()
    old["components"]["schemas"][schema] = strict if not now_required else loose
    new = evolve(old)
    new["components"]["schemas"][schema] = strict if now_required else loose
    change = _one(diff_specs(old, new), Kind.PROPERTY_REQUIRED_CHANGED, subject=schema)
    assert change.breaking is breaking and change.new == str(now_required).lower()


@pytest.mark.parametrize(
    ("schema", "now_nullable", "breaking"),
    [("out", True, True), ("out", False, False), ("inp", True, False), ("inp", False, True)],
)
def test_nullable_changes_by_direction(schema, now_nullable, breaking):
    plain = obj({"a": {"type": "string"}})
    nullable = obj({"a": {"type": "string", "nullable": True}})
    old = _doc()
    old["components"]["schemas"][schema] = plain if now_nullable else nullable
    new = evolve(old)
    new["components"]["schemas"][schema] = nullable if now_nullable else plain
    change = _one(diff_specs(old, new), Kind.PROPERTY_NULLABLE_CHANGED, subject=schema)
    assert change.breaking is breaking


def test_openapi_31_null_type_counts_as_nullable():
    old = _doc()
    new = evolve(old)
    new["components"]["schemas"]["out"] = obj({"a": {"type": ["string", "null"]}})
    cl = diff_specs(old, new)
    assert _one(cl, Kind.PROPERTY_NULLABLE_CHANGED, subject="out").breaking
    assert not cl.find(Kind.PROPERTY_TYPE_CHANGED)


@pytest.mark.parametrize(
    ("old_type", "new_type"),
    [
        ({"type": "string"}, {"type": "integer"}),
        ({"type": "string"}, {"type": "string", "format": "date-time"}),
        ({"type": "array", "items": {"type": "string"}}, {"type": "array", "items": {"type": "object"}}),
        (ref("child"), ref("other")),
    ],
)
def test_property_type_changes_are_breaking(old_type, new_type):
    extra = {"child": obj({}), "other": obj({})}
    old = _doc(schema_out=obj({"a": old_type}), **extra)
    new = _doc(schema_out=obj({"a": new_type}), **extra)
    change = _one(diff_specs(old, new), Kind.PROPERTY_TYPE_CHANGED, subject="out")
    assert change.breaking and change.old == type_sig(old_type) and change.new == type_sig(new_type)


def test_descriptions_examples_and_int_formats_are_not_changes():
    old = _doc(
        schema_out=obj({"a": {"type": "integer", "format": "int32", "description": "x", "example": 1}})
    )
    new = _doc(
        schema_out=obj({"a": {"type": "integer", "format": "int64", "description": "y", "example": 2}})
    )
    assert diff_specs(old, new).changes == []


def test_nested_inline_objects_and_arrays_use_dotted_paths():
    old = _doc(
        schema_out=obj(
            {
                "location": obj({"city": {"type": "string"}, "zip": {"type": "string"}}),
                "tags": {"type": "array", "items": obj({"name": {"type": "string"}})},
            }
        )
    )
    new = _doc(
        schema_out=obj(
            {
                "location": obj({"city": {"type": "integer"}}),
                "tags": {
                    "type": "array",
                    "items": obj({"name": {"type": "string"}, "id": {"type": "string"}}),
                },
            }
        )
    )
    cl = diff_specs(old, new)
    assert _one(cl, Kind.PROPERTY_REMOVED, name="zip").where == "property `location.zip`"
    assert _one(cl, Kind.PROPERTY_TYPE_CHANGED, name="city").where == "property `location.city`"
    assert _one(cl, Kind.PROPERTY_ADDED, name="id").where == "property `tags[].id`"


def test_enum_values_on_components_and_properties():
    old = _doc(
        schema_out=obj({"state": {"type": "string", "enum": ["open", "closed", "abandoned"]}}),
        version={"type": "string", "enum": ["2.10", "2.11", "Unstable"]},
    )
    new = _doc(
        schema_out=obj({"state": {"type": "string", "enum": ["open", "closed", "escalated"]}}),
        version={"type": "string", "enum": ["2.10", "2.11", "2.12"]},
    )
    cl = diff_specs(old, new)
    assert _one(cl, Kind.ENUM_VALUE_REMOVED, subject="out", name="abandoned").breaking
    assert not _one(cl, Kind.ENUM_VALUE_ADDED, subject="out", name="escalated").breaking
    removed = _one(cl, Kind.ENUM_VALUE_REMOVED, subject="version", name="Unstable")
    assert removed.breaking and removed.where == ""
    assert not _one(cl, Kind.ENUM_VALUE_ADDED, subject="version", name="2.12").breaking


def test_union_variants_added_are_not_breaking_removed_are():
    variants = {n: obj({"k": {"type": "string"}}) for n in ("a", "b", "c")}
    old = _doc(schema_out=obj({"v": {"anyOf": [ref("a"), ref("b")]}}), **variants)
    new = _doc(schema_out=obj({"v": {"anyOf": [ref("a"), ref("b"), ref("c")]}}), **variants)
    widened = _one(diff_specs(old, new), Kind.PROPERTY_TYPE_CHANGED)
    assert not widened.breaking and "variants added: `c`" in widened.detail
    assert _one(diff_specs(new, old), Kind.PROPERTY_TYPE_CHANGED).breaking


def test_constraint_only_union_members_do_not_change_the_type():
    props = {"message_type": {"type": "string"}, "body": {"type": "string"}}
    old = _doc(schema_in=obj(props, anyOf=[{"title": "email", "required": ["body"]}]))
    new = _doc(schema_in=obj(props, anyOf=[{"title": "email", "required": ["body"]}, {"required": ["x"]}]))
    assert diff_specs(old, new).changes == []


def test_dangling_refs_are_tolerated_and_compared_by_name():
    old = _doc(schema_out=obj({"attrs": ref("custom_attributes")}))
    new = _doc(schema_out=obj({"attrs": ref("custom_attributes_v2")}))
    change = _one(diff_specs(old, new), Kind.PROPERTY_TYPE_CHANGED)
    assert (change.old, change.new) == ("custom_attributes", "custom_attributes_v2")


def test_recursive_schemas_terminate():
    node = obj({"children": {"type": "array", "items": ref("node")}, "name": {"type": "string"}})
    node2 = obj({"children": {"type": "array", "items": ref("node")}, "label": {"type": "string"}})
    cl = diff_specs(_doc(node=node), _doc(node=node2))
    assert {c.kind for c in cl.changes} == {Kind.PROPERTY_ADDED, Kind.PROPERTY_REMOVED}


def test_allof_inline_parts_are_merged_and_variant_properties_count():
    old = _doc(schema_out={"allOf": [ref("base"), obj({"x": {"type": "string"}})]}, base=obj({}))
    new = _doc(schema_out={"allOf": [ref("base"), obj({"x": {"type": "integer"}})]}, base=obj({}))
    assert _one(diff_specs(old, new), Kind.PROPERTY_TYPE_CHANGED, name="x").breaking
    flat = _doc(
        schema_in=obj({"name": {"type": "string"}, "options": {"type": "array", "items": {"type": "string"}}})
    )
    split = _doc(
        schema_in=obj(
            {"name": {"type": "string"}},
            oneOf=[
                {"properties": {"options": {"type": "array", "items": {"type": "object"}}}},
                {"title": "other"},
            ],
        )
    )
    change = _one(diff_specs(flat, split), Kind.PROPERTY_TYPE_CHANGED, name="options")
    assert (change.old, change.new) == ("array[string]", "array[object]")
    assert not diff_specs(flat, split).find(Kind.PROPERTY_REMOVED)
