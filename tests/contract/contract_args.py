"""Arguments for one operation, built from the repaired spec, as Python values the generated code takes.

For every parameter (path, query, header) the value is the first of: the parameter's ``example`` or
first ``examples`` value, its schema's ``example``, the first ``enum`` value, the ``default``, or a
value synthesised from the schema -- the first candidate that validates against the parameter's
schema (OpenAPI 3.0 semantics, ``openapi-schema-validator``). A request body is, in order of
preference, one of the spec's request examples (``examples``/``example`` of the media type), the
schema's example, or a synthesised body -- again the first that validates.

Synthesised values are minimal: required properties only (plus the first alternative of an
``x-required-one-of`` constraint, which GEN's ``constraint_unions`` repair writes), ``minItems``
items, ``minimum`` numbers, strings that satisfy ``format``/``minLength``/``maxLength``.

The JSON values are then converted to what the generated function's annotations ask for
(``attrs`` models through ``from_dict``, enums, ``datetime``...), choosing, for a union, the member
that recognises most of the value.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from codegen.repairs.contradicting_examples import schema_errors
from codegen.requests import python_name

Schema = dict[str, Any]
_MISSING = object()


# -- spec helpers ------------------------------------------------------------------------------------


def resolve(spec: dict[str, Any], obj: Any, depth: int = 0) -> Any:
    """Follow ``$ref`` chains (local refs only)."""
    while isinstance(obj, dict) and "$ref" in obj and depth < 50:
        ref = obj["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"non-local $ref {ref!r}")
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        obj = target
        depth += 1
    return obj


class SchemaChecker:
    """Validates request values against schemas of one spec, as Prism does (OpenAPI 3.0, write
    direction, formats checked, ``nullable`` honoured next to ``$ref``/unions): the validator of
    GEN's ``response_examples`` repair rule."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def errors(self, schema: Schema, value: Any) -> list[str]:
        return schema_errors(self.spec, schema, value, reading=False)

    def valid(self, schema: Schema, value: Any) -> bool:
        try:
            return not self.errors(schema, value)
        except Exception:  # an unresolvable or unsupported construct: let Prism judge
            return False


# -- synthesis ---------------------------------------------------------------------------------------

_FORMATS: dict[str, Any] = {
    "date-time": "2024-01-01T10:00:00Z",
    "date": "2024-01-01",
    "email": "jane.doe@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "ipv4": "192.0.2.1",
    "hostname": "example.com",
    "byte": "aGVsbG8=",
    "binary": "hello",
    "password": "secret-value",
}


class Synthesizer:
    """Minimal values that satisfy a schema (examples and enums preferred)."""

    def __init__(self, spec: dict[str, Any], checker: SchemaChecker) -> None:
        self.spec = spec
        self.checker = checker

    def value(self, schema: Any, depth: int = 0, *, use_examples: bool = True) -> Any:
        schema = resolve(self.spec, schema)
        if not isinstance(schema, dict):
            return "value"
        if use_examples:
            for candidate in self._declared(schema):
                if self.checker.valid(schema, candidate):
                    return copy.deepcopy(candidate)
        if depth > 12:
            return None if schema.get("nullable") else {}
        if "allOf" in schema:
            merged: Any = {}
            for sub in schema["allOf"]:
                part = self.value(sub, depth + 1, use_examples=use_examples)
                if isinstance(part, dict) and isinstance(merged, dict):
                    merged.update(part)
                else:
                    merged = part
            own = {k: v for k, v in schema.items() if k != "allOf"}
            if own.get("properties") or own.get("required"):
                extra = self.value(own, depth + 1, use_examples=use_examples)
                if isinstance(extra, dict) and isinstance(merged, dict):
                    merged.update(extra)
            return merged
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                members = [resolve(self.spec, m) for m in schema[key]]
                for member in members:  # first member whose value validates against the whole schema
                    candidate = self.value(member, depth + 1, use_examples=use_examples)
                    if self.checker.valid(schema, candidate):
                        return candidate
                return self.value(members[0], depth + 1, use_examples=use_examples)
        if schema.get("enum"):
            non_null = [v for v in schema["enum"] if v is not None]
            return non_null[0] if non_null else None
        typ = schema.get("type")
        if typ is None:
            typ = "object" if "properties" in schema else ("array" if "items" in schema else "string")
        if typ == "object":
            return self._object(schema, depth, use_examples)
        if typ == "array":
            item = self.value(schema.get("items") or {}, depth + 1, use_examples=use_examples)
            count = max(1, int(schema.get("minItems", 1)))
            return [copy.deepcopy(item) for _ in range(count)]
        if typ == "integer":
            return int(self._number(schema, 1))
        if typ == "number":
            return float(self._number(schema, 1.5))
        if typ == "boolean":
            return True
        return self._string(schema)

    def _declared(self, schema: Schema) -> Iterator[Any]:
        if "example" in schema:
            yield schema["example"]
        examples = schema.get("examples")
        if isinstance(examples, list):
            yield from examples
        if "default" in schema:
            yield schema["default"]

    def _object(self, schema: Schema, depth: int, use_examples: bool) -> dict[str, Any]:
        props = schema.get("properties") or {}
        wanted = list(schema.get("required") or [])
        groups = [g if isinstance(g, list) else [g] for g in schema.get("x-required-one-of") or []]
        if groups and not any(all(n in wanted for n in g) for g in groups):
            wanted.extend(n for n in groups[0] if n not in wanted)  # the first alternative
        out: dict[str, Any] = {}
        for name in wanted:
            sub = props.get(name)
            if sub is None:
                additional = schema.get("additionalProperties")
                sub = additional if isinstance(additional, dict) else {"type": "string"}
            sub_resolved = resolve(self.spec, sub)
            if isinstance(sub_resolved, dict) and sub_resolved.get("readOnly"):
                continue
            out[name] = self.value(sub, depth + 1, use_examples=use_examples)
        min_props = int(schema.get("minProperties", 0))
        for name, sub in props.items():
            if len(out) >= min_props:
                break
            out.setdefault(name, self.value(sub, depth + 1, use_examples=use_examples))
        return out

    @staticmethod
    def _number(schema: Schema, fallback: float) -> float:
        if "minimum" in schema:
            low = schema["minimum"] + (1 if schema.get("exclusiveMinimum") is True else 0)
            return max(low, min(fallback, schema.get("maximum", fallback)))
        if "maximum" in schema:
            return min(fallback, schema["maximum"] - (1 if schema.get("exclusiveMaximum") is True else 0))
        return fallback

    @staticmethod
    def _string(schema: Schema) -> str:
        text = str(_FORMATS.get(schema.get("format", ""), "example"))
        min_len, max_len = int(schema.get("minLength", 0)), schema.get("maxLength")
        if len(text) < min_len:
            text += "x" * (min_len - len(text))
        if max_len is not None:
            text = text[: int(max_len)] or "x"
        return text


# -- one operation's call ------------------------------------------------------------------------------


@dataclass
class Call:
    """What to pass to the facade method of one operation: path arguments positionally, the rest
    (query parameters, the body's top-level keys) as keywords, values as plain JSON."""

    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    json_args: dict[str, Any] = field(default_factory=dict)  # the same values, as JSON (for messages)
    body_json: Any = _MISSING
    body_source: str = ""
    problems: list[str] = field(default_factory=list)  # arguments we could not make valid locally

    @property
    def has_body(self) -> bool:
        return self.body_json is not _MISSING


def parameters(spec: dict[str, Any], path: str, op: dict[str, Any]) -> list[dict[str, Any]]:
    """Operation parameters, path-level ones included (operation-level wins)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for param in list(spec["paths"][path].get("parameters") or []) + list(op.get("parameters") or []):
        param = resolve(spec, param)
        found[(param["name"], param["in"])] = param
    return list(found.values())


def _python_name(param: dict[str, Any], signature: inspect.Signature) -> str | None:
    """The facade's name for a parameter (``codegen.requests.python_name``; ``<name>_path`` for a
    path parameter a body field shares its name with)."""
    for candidate in (python_name(param["name"]), python_name(param["name"]) + "_path"):
        if candidate in signature.parameters:
            return candidate
    return None


def _param_candidates(spec: dict[str, Any], param: dict[str, Any]) -> Iterator[Any]:
    if "example" in param:
        yield param["example"]
    for ex in (param.get("examples") or {}).values():
        ex = resolve(spec, ex)
        if isinstance(ex, dict) and "value" in ex:
            yield ex["value"]


def _body_candidates(spec: dict[str, Any], media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "request example", media["example"]
    for label, ex in (media.get("examples") or {}).items():
        ex = resolve(spec, ex)
        if isinstance(ex, dict) and "value" in ex:
            yield f"request example {label!r}", ex["value"]


def _sdk_accepts(function: Callable[..., Any], body: Any) -> bool:
    """Whether the facade method would send ``body`` (the SDK refuses keys a schema does not
    declare, which JSON Schema lets through; see ``intercom_ext._request``)."""
    from intercom_ext._request import fits

    module = sys.modules.get(getattr(function, "__module__", ""))
    endpoint = getattr(module, "_" + getattr(function, "__name__", "").upper(), None)
    return endpoint is None or endpoint.body is None or fits(endpoint.body, body, module.SHAPES)


def build_call(spec: dict[str, Any], path: str, method: str, function: Callable[..., Any]) -> Call:
    """Arguments for ``function`` (a facade method) calling ``method path`` of ``spec``."""
    op = spec["paths"][path][method]
    checker = SchemaChecker(spec)
    synth = Synthesizer(spec, checker)
    signature = inspect.signature(function)
    call = Call()

    for param in parameters(spec, path, op):
        name = _python_name(param, signature)
        if name is None:
            if param.get("required"):
                call.problems.append(f"{param['in']} parameter {param['name']!r} is not an argument")
            continue
        if not param.get("required") and param.get("in") != "path":
            continue  # optional: leave it out, as a caller would
        schema = param.get("schema") or {}
        chosen: Any = _MISSING
        for candidate in _param_candidates(spec, param):
            if checker.valid(schema, candidate):
                chosen = candidate
                break
        if chosen is _MISSING:
            chosen = synth.value(schema)
        if not checker.valid(schema, chosen):
            call.problems.append(f"{param['in']} parameter {param['name']!r}: no valid value found")
        call.json_args[name] = chosen
        if param.get("in") == "path":
            call.args.append(chosen)
        else:
            call.kwargs[name] = chosen

    body = resolve(spec, op.get("requestBody"))
    if body:
        content = body.get("content") or {}
        media_type = next((m for m in content if "json" in m), next(iter(content), None))
        media = content.get(media_type) or {} if media_type else {}
        schema = media.get("schema") or {}
        chosen_body: Any = _MISSING
        for label, candidate in _body_candidates(spec, media):
            if checker.valid(schema, candidate) and _sdk_accepts(function, candidate):
                chosen_body, call.body_source = candidate, label
                break
        if chosen_body is _MISSING:
            candidate = synth.value(schema)
            chosen_body, call.body_source = candidate, "synthesised from the schema"
            if not checker.valid(schema, candidate):
                call.problems.append(
                    "request body: no valid example and synthesis failed: "
                    + "; ".join(checker.errors(schema, candidate)[:3])
                )
        call.body_json = copy.deepcopy(chosen_body)
        if isinstance(chosen_body, dict):
            call.kwargs.update({python_name(k): copy.deepcopy(v) for k, v in chosen_body.items()})
            if media_type == "multipart/form-data":
                _files_from_text(spec, schema, call.kwargs)
        else:
            call.problems.append(f"request body is not a JSON object: {type(chosen_body).__name__}")
    return call


def _files_from_text(spec: dict[str, Any], schema: Any, kwargs: dict[str, Any]) -> None:
    """A multipart example gives a file field as text (``"catalog": "@products.json"``, curl's
    notation): send that text as the file's content, as a caller passing ``(name, bytes)`` would."""
    for key, prop in (resolve(spec, schema).get("properties") or {}).items():
        value = kwargs.get(python_name(key))
        if isinstance(value, str) and resolve(spec, prop).get("format") == "binary":
            kwargs[python_name(key)] = (value.lstrip("@") or "upload.json", value.encode())
