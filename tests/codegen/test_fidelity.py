"""Issue 11 (request side): requests carry only what the caller set, optional bodies can be left out,
composed schemas lose no declared property, and ``nullable`` beside a reference keeps ``None``.

Every check runs over every model and every operation of every version; what the spec declares is
read from the repaired spec (codegen/spec_props.py, no generator involved) and compared with the
behaviour of the generated code."""

from __future__ import annotations

import datetime
import enum
import functools
import importlib
import io
import json
import types
import typing
import uuid
from typing import Any

import attrs
import httpx
import pytest
from openapi_python_client.strings import ClassName

import intercom_ext
from codegen.spec import all_schemas, operations
from codegen.spec_props import declared_properties, declared_required, is_model, resolve
from intercom_ext import _model
from intercom_ext._types import NOT_GIVEN as UNSET
from intercom_ext._types import NotGiven
from tests._specs import VERSIONS, repaired_spec
from tests.contract.contract_args import build_call

PACKAGES = {v.name: v.package for v in VERSIONS}
NAMES = list(PACKAGES)


def _models(version: str) -> types.ModuleType:
    return importlib.import_module(f"{PACKAGES[version]}.models")


@functools.cache
def _model_names(version: str) -> dict[str, Any]:
    models = _models(version)
    return {name: getattr(models, name) for name in models.__all__}


def _component_classes(version: str) -> list[tuple[str, dict[str, Any], type[Any]]]:
    spec, models = repaired_spec(version), _models(version)
    out = []
    for name, schema in spec["components"]["schemas"].items():
        if is_model(spec, schema):
            out.append((name, schema, getattr(models, str(ClassName(name, "field_")))))
    return out


# -- sample values for required arguments, from the annotations ---------------------------------


def _hints(obj: Any, version: str) -> dict[str, Any]:
    module = importlib.import_module(obj.__module__)
    pkg = importlib.import_module(PACKAGES[version] + ".types")
    # intercom_ext._model first: the ClassVar annotations of ResponseModel resolve there
    ns = {**vars(_model), **vars(pkg), **_model_names(version), **vars(module), "datetime": datetime}
    return typing.get_type_hints(obj, globalns=ns)


def _sample(tp: Any, version: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [
            a for a in typing.get_args(tp) if a is not type(None) and getattr(a, "__name__", "") != "Unset"
        ]
        return _sample(members[0], version)
    if origin is list:
        return []
    if origin is dict or tp is dict:
        return {}
    if tp is typing.Any:
        return "x"
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return next(iter(tp))
        if tp is bool:
            return True
        if issubclass(tp, int):
            return 1
        if issubclass(tp, float):
            return 1.5
        if issubclass(tp, str):
            return "x"
        if tp is datetime.datetime:
            return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        if tp is uuid.UUID:
            return uuid.UUID(int=1)
        if tp is datetime.date:
            return datetime.date(2024, 1, 1)
        if tp.__name__ == "File":
            return tp(payload=io.BytesIO(b"x"), file_name="x.txt")
        if attrs.has(tp):
            return _required_only(tp, version)
    raise AssertionError(f"no sample for {tp!r}")


def _required_only(cls: type[Any], version: str) -> Any:
    """``cls`` built from only the arguments its constructor cannot do without."""
    hints = _hints(cls, version)
    kwargs = {
        a.name: _sample(hints[a.name], version)
        for a in attrs.fields(cls)
        if a.init and a.default is attrs.NOTHING
    }
    return cls(**kwargs)


# -- A. requests carry only what the caller set -------------------------------------------------


@pytest.mark.parametrize("version", NAMES)
def test_no_generated_model_or_parameter_has_a_client_side_default(version: str) -> None:
    spec = repaired_spec(version)
    assert not [p for p, s in all_schemas(spec) if "default" in s]
    offenders = []
    for _, _, cls in _component_classes(version):
        offenders += [
            f"{cls.__name__}.{a.name}" for a in attrs.fields(cls) if a.init and _is_value(a.default)
        ]
    assert offenders == []


def _is_value(default: Any) -> bool:
    # None is a response model's "not received" (never sent: to_dict() omits a None it did not receive)
    return (
        default is not attrs.NOTHING
        and default is not None
        and not isinstance(default, NotGiven)
        and not isinstance(default, attrs.Factory)  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("version", NAMES)
def test_a_model_built_from_its_required_fields_sends_only_those(version: str) -> None:
    spec = repaired_spec(version)
    wrong = []
    for name, schema, cls in _component_classes(version):
        if issubclass(cls, _model.ResponseModel):
            # response convention (every attribute T | None, see intercom_ext._model): built by a
            # caller, it sends exactly the attributes the caller set, here none
            if cls().to_dict() != {}:
                wrong.append(f"{name}: built empty, sends {sorted(cls().to_dict())}")
            continue
        sent = set(_required_only(cls, version).to_dict())
        required = declared_required(spec, schema) & set(declared_properties(spec, schema))
        if sent != required:
            wrong.append(f"{name}: sends {sorted(sent)}, spec requires {sorted(required)}")
    assert wrong == []


def _operation_cases(version: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, method, op in operations(repaired_spec(version))]


def _recording_client(version: str) -> tuple[Any, list[httpx.Request]]:
    facade = importlib.import_module(f"{PACKAGES[version]}.facade")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    return facade.Intercom(token="t", http_client=httpx.Client(transport=httpx.MockTransport(handler))), sent


@pytest.mark.parametrize("version", ["2.11", "Preview"])
def test_partial_update_sends_only_the_field_set(version: str) -> None:
    client, sent = _recording_client(version)
    client.ticket_type_attributes.update("tt1", "a1", description="New description")
    assert json.loads(sent[0].content) == {"description": "New description"}


@pytest.mark.parametrize("version", NAMES)
def test_list_without_arguments_sends_no_query(version: str) -> None:
    client, sent = _recording_client(version)
    list(client.conversations.list(max_pages=1))
    assert sent[0].url.query == b""


def test_server_default_is_documented_in_the_docstring() -> None:
    from intercom_preview.models import UpdateTicketTypeAttributeRequest
    from intercom_v2_11.resources.conversations import ConversationsResource

    assert "Server default: 20." in (ConversationsResource.list.__doc__ or "")
    assert "Server default: false." in (UpdateTicketTypeAttributeRequest.__doc__ or "")


# -- B. optional request bodies can be omitted --------------------------------------------------


def test_an_optional_body_left_out_sends_no_body() -> None:
    client, sent = _recording_client("2.11")
    client.contacts.update("c1")
    assert sent[0].url.path == "/contacts/c1"
    assert sent[0].content == b""
    assert "content-type" not in sent[0].headers


def test_a_body_whose_schema_requires_fields_is_required() -> None:
    """The ``required_bodies`` repair: a call without the required fields is refused, not sent."""
    client, sent = _recording_client("Preview")
    with pytest.raises(TypeError, match="call_id"):
        client.calls.register_fin_voice()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing"):
        client.internal_articles.create()  # type: ignore[call-arg]
    assert sent == []


# -- C. composition is complete -----------------------------------------------------------------


def _check_declared(
    spec: dict[str, Any], schema: dict[str, Any], cls: type[Any], where: str, seen: set[str]
) -> list[str]:
    """Every property ``schema`` declares is a typed attribute of ``cls`` (nothing lands in
    ``additional_properties``), recursively for inline object properties."""
    if where in seen:
        return []
    seen.add(where)
    props = declared_properties(spec, schema)
    obj = cls.from_dict({name: None for name in props})
    problems = [f"{where}.{k}" for k in obj.additional_properties]
    for name, sub in props.items():
        if "$ref" in sub:
            continue  # components are checked on their own
        item = sub.get("items") if sub.get("type") == "array" else None
        inline = item if isinstance(item, dict) and "$ref" not in item else sub
        if not is_model(spec, inline):
            continue
        value = cls.from_dict({name: [{}] if item is not None else {}})
        python = [a.name for a in attrs.fields(cls) if a.name != "additional_properties"]
        # the attribute that received the value (others read None or UNSET: not received)
        got = [
            getattr(value, a)
            for a in python
            if getattr(value, a) is not None and getattr(value, a) is not UNSET
        ]
        assert len(got) == 1, f"{where}.{name}: {got}"
        nested = got[0][0] if item is not None else got[0]
        problems += _check_declared(spec, inline, type(nested), f"{where}.{name}", seen)
    return problems


@pytest.mark.parametrize("version", NAMES)
def test_every_declared_property_is_a_typed_attribute(version: str) -> None:
    spec = repaired_spec(version)
    problems: list[str] = []
    seen: set[str] = set()
    for name, schema, cls in _component_classes(version):
        problems += _check_declared(spec, schema, cls, name, seen)
    assert problems == []


def test_single_contact_responses_are_contacts_with_push_messaging() -> None:
    client, _ = _recording_client("Preview")
    from intercom_preview import models

    contact = client.contacts.get("c1")
    assert isinstance(contact, models.Contact)
    assert "enabled_push_messaging" in {a.name for a in attrs.fields(models.Contact)}


def _inline_bodies(version: str) -> list[tuple[str, dict[str, Any], type[Any]]]:
    """Request and 2xx response bodies written inline, with the class the generator names for them
    (``<OperationId>Body``, ``<OperationId>Response<code>``)."""
    spec, models = repaired_spec(version), _model_names(version)
    out = []
    for path, method, op in operations(spec):
        prefix = str(ClassName(op["operationId"], "field_"))
        bodies = [("Body", op.get("requestBody") or {})]
        bodies += [
            (f"Response{code}", r)
            for code, r in (op.get("responses") or {}).items()
            if str(code).startswith("2")
        ]
        for suffix, body in bodies:
            for media_type, media in (body.get("content") or {}).items():
                schema = media.get("schema") or {}
                if "json" in media_type and is_model(spec, schema):
                    out.append((f"{method.upper()} {path} {suffix}", schema, models[prefix + suffix]))
    return out


@pytest.mark.parametrize("version", NAMES)
def test_every_property_of_an_inline_body_is_a_typed_attribute(version: str) -> None:
    spec = repaired_spec(version)
    problems: list[str] = []
    cases = _inline_bodies(version)
    assert cases
    for where, schema, cls in cases:
        problems += _check_declared(spec, schema, cls, where, set())
    assert problems == []


def test_named_composition_cases() -> None:
    from intercom_preview import models

    assert models.ContactArchived.from_dict({"id": "c", "archived": True}).archived is True
    assert models.ContactBlocked.from_dict({"blocked": True}).blocked is True
    assert models.ContactDeleted.from_dict({"deleted": True}).deleted is True
    assert models.Article.from_dict({"statistics": {}}).additional_properties == {}
    assert models.Contact.from_dict({"enabled_push_messaging": True}).enabled_push_messaging is True
    assert models.ContactReplyEmailRequest.from_dict({"email": "e@x.io"}).email == "e@x.io"


# -- D. nullable beside a reference -------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "cls", "attr"),
    [
        ("2.11", "CursorPages", "next_"),
        ("2.10", "ConversationPart", "assigned_to"),
        ("Preview", "ConversationListItem", "ai_agent"),
        ("2.11", "Tag", "applied_by"),
    ],
)
def test_nullable_reference_keeps_none_in_the_annotation(version: str, cls: str, attr: str) -> None:
    hint = _hints(getattr(_models(version), cls), version)[attr]
    assert type(None) in typing.get_args(hint)


@pytest.mark.parametrize("version", NAMES)
def test_no_nullable_site_is_a_bare_reference(version: str) -> None:
    bare = []
    for where, schema in all_schemas(repaired_spec(version)):
        if schema.get("nullable") is True:
            members = [m for k in ("allOf", "anyOf", "oneOf") for m in schema.get(k) or []]
            if "$ref" in schema or (len(members) == 1 and "anyOf" not in schema):
                bare.append(where)
    assert bare == []


@pytest.mark.parametrize("version", NAMES)
def test_every_facade_method_sends_exactly_what_the_caller_set(version: str) -> None:
    """End to end through the public client, every operation called with its required path and
    query arguments and (where the spec requires a body) a body from the spec's examples: the
    query carries exactly the arguments given, the JSON body exactly the keywords given, and an
    operation called without body fields sends no body and no ``Content-Type``."""
    spec = repaired_spec(version)
    facade = importlib.import_module(f"{PACKAGES[version]}.facade")
    spec_ops = {(m.upper(), p): op for p, m, op in operations(spec)}
    client, sent = _recording_client(version)
    wrong = []
    for resource, verb, method, path, style, *_rest in facade.OPERATIONS:
        fn = getattr(getattr(client, resource), verb)
        op = spec_ops[(method, path)]
        call = build_call(spec, path, method.lower(), fn)
        body_required = bool((op.get("requestBody") or {}).get("required"))
        query = {k: v for k, v in call.kwargs.items() if k in call.json_args}
        kwargs = call.kwargs if body_required else query
        sent.clear()
        try:  # the server answers {} to everything: what matters here is the request
            result = fn(*call.args, **kwargs)
            if style is not None:
                next(iter(result.pages()), None)
        except intercom_ext.APIResponseValidationError:
            pass
        request = sent[0]
        params = [resolve(spec, p) for p in op.get("parameters") or []]
        want_query = {p["name"] for p in params if p.get("in") == "query" and p.get("required")}
        got_query = set(dict(request.url.params))
        if got_query != want_query:
            wrong.append(f"{method} {path}: query {sorted(got_query)}, required {sorted(want_query)}")
        if not body_required:
            if request.content or "content-type" in request.headers:
                wrong.append(f"{method} {path}: sent a body nobody set")
        elif json.loads(request.content) != call.body_json:
            wrong.append(f"{method} {path}: body {request.content[:200]!r}, given {call.body_json!r}")
    assert wrong == []


@pytest.mark.parametrize("version", NAMES)
def test_every_nullable_property_is_annotated_with_none(version: str) -> None:
    spec = repaired_spec(version)
    missing = []
    for name, schema, cls in _component_classes(version):
        hints = _hints(cls, version)
        fields = {a.name for a in attrs.fields(cls)}
        for prop_name, prop in declared_properties(spec, schema).items():
            if prop.get("nullable") is not True:
                continue
            attr = next((f for f in (prop_name, f"{prop_name}_", f"field_{prop_name}") if f in fields), None)
            if attr is None:
                continue  # names the generator rewrites (camelCase, leading digits) are covered above
            args = typing.get_args(hints[attr])
            if hints[attr] is not typing.Any and type(None) not in args and typing.Any not in args:
                missing.append(f"{name}.{prop_name}")
    assert missing == []
