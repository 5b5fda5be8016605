"""Property-based: what the API really sends never breaks a response model.

For every response model of every version (the 2xx JSON bodies of every operation), a valid payload
is derived from the repaired schema; hypothesis then mutates it the ways real responses differ from
the spec - an unknown enum value, a missing "required" property, ``null`` where the spec says
non-nullable, an unknown property, a wrongly typed scalar - anywhere in the payload. ``from_dict``
must not raise, and every key of the input must be in ``to_dict()`` (with the value it had, for
the mutated spot)."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_python_client.strings import ClassName

from codegen.spec import operations
from tests._specs import VERSIONS, normalise_datetimes, repaired_spec

MAX_DEPTH = 5


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _sample(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A payload valid for ``schema``: every declared property, examples where the spec has them."""
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _sample(spec, schema[key][0], depth)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = _sample(spec, part, depth)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), None)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth >= MAX_DEPTH:
            return {}
        return {name: _sample(spec, sub, depth + 1) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [] if depth >= MAX_DEPTH else [_sample(spec, schema.get("items") or {}, depth + 1)]
    if "example" in schema and not isinstance(schema["example"], (dict, list)):
        return schema["example"]
    if schema.get("format") == "date-time" and kind == "string":
        return "2024-01-02T03:04:05+00:00"
    return {"integer": 7, "number": 1.5, "boolean": True, "string": "text"}.get(kind or "", "text")


def _response_models() -> list[tuple[str, str, Any]]:
    found: dict[tuple[str, str], Any] = {}
    for version in VERSIONS:
        spec = repaired_spec(version.name)
        models = importlib.import_module(f"{version.package}.models")
        for _path, _method, op in operations(spec):
            for code, resp in (op.get("responses") or {}).items():
                schema = ((resp.get("content") or {}).get("application/json") or {}).get("schema") or {}
                if not str(code).startswith("2") or "$ref" not in schema:
                    continue
                name = schema["$ref"].rsplit("/", 1)[-1]
                cls = getattr(models, str(ClassName(name, "field_")), None)
                if cls is not None and hasattr(cls, "from_dict"):
                    found[(version.name, name)] = (cls, _sample(spec, schema))
    return [(v, n, pair) for (v, n), pair in sorted(found.items())]


MODELS = _response_models()


def _spots(payload: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside ``payload`` (dict keys and list indexes)."""
    out = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            out.append((*path, key))
            out += _spots(value, (*path, key))
    elif isinstance(payload, list):
        for i, value in enumerate(payload):
            out += _spots(value, (*path, i))
    return out


def _parent(payload: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        payload = payload[step]
    return payload


def _mutate(payload: dict[str, Any], kind: str, spot: tuple[Any, ...]) -> tuple[dict[str, Any], Any]:
    data = copy.deepcopy(payload)
    parent, key = _parent(data, spot), spot[-1]
    if kind == "unknown_property":
        target = parent[key] if isinstance(parent[key], dict) else parent
        target["zz_unknown_field"] = {"nested": [1, "two"]}
    elif kind == "missing":
        del parent[key]
    elif kind == "null":
        parent[key] = None
    elif kind == "unknown_enum":
        parent[key] = "zz_unknown_enum_value"
    elif kind == "wrong_type":
        value = parent[key]
        parent[key] = str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 12345
    return data, kind


def _assert_keys_kept(sent: Any, got: Any, where: str = "$") -> None:
    if isinstance(sent, dict):
        assert isinstance(got, dict), f"{where}: object became {type(got).__name__}"
        missing = set(sent) - set(got)
        assert not missing, f"{where}: keys lost {sorted(missing)}"
        for key, value in sent.items():
            _assert_keys_kept(value, got[key], f"{where}.{key}")
    elif isinstance(sent, list):
        assert isinstance(got, list) and len(got) == len(sent), f"{where}: list changed"
        for i, (a, b) in enumerate(zip(sent, got, strict=True)):
            _assert_keys_kept(a, b, f"{where}[{i}]")


KINDS = ["unknown_property", "missing", "null", "unknown_enum", "wrong_type"]


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_responses_parse_and_keep_every_key(version: str, data: st.DataObject) -> None:
    candidates = [pair for v, _name, pair in MODELS if v == version]
    cls, payload = data.draw(st.sampled_from(candidates), label="model")
    spots = _spots(payload)
    kind = data.draw(st.sampled_from(KINDS), label="mutation")
    if spots:
        spot = data.draw(st.sampled_from(spots), label="spot")
        payload, _ = _mutate(payload, kind, spot)
    model = cls.from_dict(payload)
    out = model.to_dict()
    _assert_keys_kept(payload, out)
    assert normalise_datetimes(out) == normalise_datetimes(payload)  # every value comes back as sent


def test_every_response_model_is_covered() -> None:
    counts = {v.name: sum(1 for m in MODELS if m[0] == v.name) for v in VERSIONS}
    assert all(n > 40 for n in counts.values()), counts


@pytest.mark.parametrize("version, name, pair", MODELS, ids=[f"{v} {n}" for v, n, _ in MODELS])
def test_each_response_model_survives_every_mutation_at_every_top_level_key(
    version: str, name: str, pair: Any
) -> None:
    cls, payload = pair
    assert cls.from_dict(payload).to_dict() is not None
    for key in list(payload):
        for kind in KINDS:
            mutated, _ = _mutate(payload, kind, (key,))
            out = cls.from_dict(mutated).to_dict()
            _assert_keys_kept(mutated, out)
            assert normalise_datetimes(out) == normalise_datetimes(mutated)
