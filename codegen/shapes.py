"""Template helpers for response models (templates/model.py.jinja): which models follow the response
convention, and for each of their properties the honest annotation, the runtime shape and the
``from_dict`` fast path. The runtime side of the convention is ``intercom_ext._model`` (its module
docstring states it); this module only decides, from the generator's parsed properties, what code
the template writes.

- :func:`response_models`: the class names of the models a response can contain (walking every
  endpoint's responses through nested properties), plus the models no operation uses (webhook
  and notification payloads, read, never sent). The others are request-only and keep the
  generator's strict ``T | Unset = UNSET`` convention.
- :func:`field_plan`: ``annotation`` (``T | None``, ``Any`` where the spec allows any value),
  ``shape`` (code building an ``intercom_ext._model`` shape), ``fast`` (the from_dict fast path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import AnyProperty, EnumProperty, ModelProperty
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.file import FileProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty

from codegen.strings import plain

SHAPES = "_m"  # the name model modules import intercom_ext._model as

#: A parsed property of the generator (its own ``Property`` union is too wide to narrow usefully).
Prop = Any


def _walk_models(prop: Any, seen: set[str], by_name: dict[str, Any]) -> None:
    if isinstance(prop, ModelProperty):
        name = str(prop.class_info.name)
        if name in seen:
            return
        seen.add(name)
        model = by_name.get(name, prop)  # a reference's copy may not carry the properties
        for inner in (model.required_properties or []) + (model.optional_properties or []):
            _walk_models(inner, seen, by_name)
        if isinstance(model.additional_properties, ModelProperty | ListProperty | UnionProperty):
            _walk_models(model.additional_properties, seen, by_name)
    elif isinstance(prop, ListProperty):
        _walk_models(prop.inner_property, seen, by_name)
    elif isinstance(prop, UnionProperty):
        for member in prop.inner_properties:
            _walk_models(member, seen, by_name)


def response_models(data: GeneratorData) -> frozenset[str]:
    """Class names of the models that follow the response convention (see the module docstring)."""
    by_name: dict[str, Any] = {str(m.class_info.name): m for m in data.models}
    responses: set[str] = set()
    requests: set[str] = set()
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            patterns = list(endpoint.responses.patterns)
            if endpoint.responses.default is not None:
                patterns.append(endpoint.responses.default)
            for response in patterns:
                _walk_models(response.prop, responses, by_name)
            for body in endpoint.bodies:
                _walk_models(body.prop, requests, by_name)
            for param in endpoint.query_parameters + endpoint.path_parameters + endpoint.header_parameters:
                _walk_models(param, requests, by_name)
    # Models no operation uses (webhook payloads, allOf bases) are read, never sent: they and every
    # model they contain follow the response convention too.
    # A model such an unused one contains that is itself an operation's request body keeps the
    # request convention (2.16's list-option request: the body of POST .../options, and inside an
    # allOf member only the merged request class uses).
    unused = [name for name in by_name if name not in responses and name not in requests]
    read_only: set[str] = set()
    for name in unused:
        _walk_models(by_name[name], read_only, by_name)
    bodies = {
        str(body.prop.class_info.name)
        for collection in data.endpoint_collections_by_tag.values()
        for endpoint in collection.endpoints
        for body in endpoint.bodies
        if isinstance(body.prop, ModelProperty)
    }
    return frozenset(responses | (read_only - bodies))


def _flat_members(prop: UnionProperty) -> list[Prop]:
    members: list[Prop] = []
    for inner in prop.inner_properties:
        if isinstance(inner, UnionProperty):
            members.extend(_flat_members(inner))
        else:
            members.append(inner)
    return members


def shape_code(prop: Prop, *, top: bool = True) -> str:
    """Code of the ``intercom_ext._model`` shape that reads ``prop``. At the top (an attribute),
    ``null`` is left to ``_m.fit`` (every response attribute may read ``None``); inside a list or
    union, ``null`` fits only where the spec allows it."""
    m = SHAPES
    if isinstance(prop, StringProperty):
        return f"{m}.STR"
    if isinstance(prop, BooleanProperty):
        return f"{m}.BOOL"
    if isinstance(prop, IntProperty):
        return f"{m}.INT"
    if isinstance(prop, FloatProperty):
        return f"{m}.FLOAT"
    if isinstance(prop, DateTimeProperty):
        return f"{m}.DATETIME"
    if isinstance(prop, DateProperty):
        return f"{m}.DATE"
    if isinstance(prop, UuidProperty):
        return f"{m}.UUID"
    if isinstance(prop, AnyProperty | FileProperty):  # a file (multipart request field) is read as sent
        return f"{m}.ANY"
    if isinstance(prop, NoneProperty):
        return f"{m}.NONE"
    if isinstance(prop, EnumProperty):
        return f"{m}.EnumOf({prop.class_info.name}, {prop.value_type.__name__})"
    if isinstance(prop, ModelProperty):
        return f"{m}.ModelOf({prop.class_info.name})"
    if isinstance(prop, ListProperty):
        return f"{m}.ListOf({shape_code(prop.inner_property, top=False)})"
    if isinstance(prop, UnionProperty):
        members = [p for p in _flat_members(prop) if not (top and isinstance(p, NoneProperty))]
        if len(members) == 1:
            return shape_code(members[0], top=top)
        return f"{m}.OneOf(({', '.join(shape_code(p, top=False) for p in members)},))"
    raise NotImplementedError(f"no response-model shape for {type(prop).__name__} {prop.name!r}")


def annotation(prop: Prop) -> str:
    """The honest annotation: the declared type or ``None`` (``Any`` stays ``Any``)."""
    if isinstance(prop, AnyProperty):
        return "Any"
    if isinstance(prop, UnionProperty):
        types = {
            plain(p.get_type_string(no_optional=True))
            for p in _flat_members(prop)
            if not isinstance(p, NoneProperty)
        }
        base = " | ".join(sorted(types, key=str.lower))
    else:
        base = plain(prop.get_type_string(no_optional=True))
    return f"{base} | None"


def _holds_models(prop: Prop) -> bool:
    if isinstance(prop, ModelProperty):
        return True
    if isinstance(prop, ListProperty):
        return _holds_models(prop.inner_property)
    if isinstance(prop, UnionProperty):
        return any(_holds_models(p) for p in prop.inner_properties)
    return False


@dataclass(frozen=True)
class FieldPlan:
    """What model.py.jinja writes for one response-model property."""

    annotation: str
    shape: str
    #: from_dict fast path: "str", "int", "bool", "float", "enum", "any", "lazy" or "fit"
    fast: str
    #: "enum": the enum class and its JSON type; "lazy": the JSON types built on first read
    enum: str = ""
    json_type: str = ""
    lazy_check: str = ""


def field_plan(prop: Prop) -> FieldPlan:
    if isinstance(prop, UnionProperty):
        members = [p for p in _flat_members(prop) if not isinstance(p, NoneProperty)]
        if len(members) == 1:  # a nullable T reads as T | None, like every attribute
            return field_plan(members[0])
    ann, shape = annotation(prop), shape_code(prop)
    simple = {StringProperty: "str", IntProperty: "int", BooleanProperty: "bool", FloatProperty: "float"}
    for cls, fast in simple.items():
        if type(prop) is cls:
            return FieldPlan(ann, shape, fast)
    if isinstance(prop, AnyProperty):
        return FieldPlan(ann, shape, "any")
    if isinstance(prop, EnumProperty):
        return FieldPlan(ann, shape, "enum", enum=prop.class_info.name, json_type=prop.value_type.__name__)
    if _holds_models(prop):
        members = _flat_members(prop) if isinstance(prop, UnionProperty) else [prop]
        json_types = []
        if any(isinstance(p, ModelProperty) for p in members):
            json_types.append("dict")
        if any(isinstance(p, ListProperty) and _holds_models(p) for p in members):
            json_types.append("list")
        check = " or ".join(f"_v.__class__ is {t}" for t in json_types)
        return FieldPlan(ann, shape, "lazy", lazy_check=check)
    return FieldPlan(ann, shape, "fit")


def field_doc(prop: Prop) -> str:
    """The property's line in the model docstring's ``Attributes:`` section."""
    text = f"{prop.python_name} ({annotation(prop)}): {plain(prop.description or '')}".rstrip()
    if prop.example:
        text += f" Example: {plain(prop.example)}."
    return text


def consts(model: ModelProperty) -> dict[str, Any]:
    """The model's constant properties: JSON name -> the one value a single-value enum allows."""
    found: dict[str, Any] = {}
    for prop in (model.required_properties or []) + (model.optional_properties or []):
        if isinstance(prop, EnumProperty) and len(prop.values) == 1:
            found[plain(prop.name)] = next(iter(prop.values.values()))
    return found
