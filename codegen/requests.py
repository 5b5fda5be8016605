"""The request side of the facade, read from the repaired spec: keywords, TypedDicts and shapes.

For every operation this module works out what a caller writes and what is checked before sending:

* **keywords**: every path, query and header parameter and every top-level body field is an
  argument of the facade method, named as in the spec (``type``, ``body``, ``options``...; a name
  that is not a Python identifier or is a Python keyword gets a ``_`` suffix, and so does one the
  method itself needs: ``self``, ``max_items``, ``max_pages``, ``request_options``). A path
  parameter whose name a body field also has becomes positional-only under ``<name>_path``.
* **variants**: a body that is a union (``oneOf``/``anyOf``, e.g. a conversation reply) gives one
  keyword form per member (its required fields required, its one-value enums as ``Literal``), which
  the facade writes as one ``@overload`` each; the runtime picks the member that fits.
* **TypedDicts** (``params.py`` of the version package): one per object schema a request can hold,
  named after its component (``SingleFilterSearchRequestParam``; inline objects after where they
  sit), with ``Required[...]`` keys, ``Literal`` enums and the spec's descriptions, so that a dict
  literal type-checks. Where the generator made a model class for the same schema, the argument
  accepts the model instance too. A free-form map is ``Mapping[str, Any]``.
* **shapes** (``_request_shapes.py``): the same schemas as compact tuples that
  :mod:`intercom_ext._request` checks at run time (see its table).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import pascal_case

from codegen.docs import markdown_text, sentences
from codegen.spec_props import declared_properties, declared_required, resolve

Schema = dict[str, Any]

#: Names the facade method needs for itself; a spec name equal to one of these gets a ``_`` suffix.
RESERVED = frozenset({"self", "max_items", "max_pages", "request_options"})
#: ``RequestOptions`` keys: a body field may not take one (the keyword would be ambiguous).
OPTION_KEYS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"})


def python_name(key: str) -> str:
    """The keyword for the spec name ``key``."""
    name = re.sub(r"\W", "_", key)
    if not name or name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name) or name in RESERVED or name in OPTION_KEYS:
        name += "_"
    return name


@dataclass
class Arg:
    """One argument of a facade method."""

    name: str  # the Python keyword
    key: str  # the name in the spec (path template, query key, body key)
    annotation: str
    required: bool
    doc: str = ""
    positional_only: bool = False


@dataclass
class Variant:
    """One keyword form of a body: its fields (required ones first in the spec's order)."""

    label: str
    fields: list[Arg]


@dataclass
class TypedDictSpec:
    name: str
    doc: str
    fields: list[Arg] = field(default_factory=list)

    @property
    def class_syntax(self) -> bool:
        """Whether every key can be a class attribute (else the functional ``TypedDict(...)`` form)."""
        return all(f.key.isidentifier() and not keyword.iskeyword(f.key) for f in self.fields)


def doc_text(description: Any, schema: Schema | None = None) -> str:
    """An argument's description (Markdown as text) and, for an enum, its allowed values."""
    text = markdown_text(str(description or ""), width=10_000).replace("\n\n", "\n")
    parts = [text]
    values = (schema or {}).get("enum")
    if isinstance(values, list) and values:
        parts.append("Allowed values: " + ", ".join(f"``{v}``" for v in values))
    return sentences(parts)


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


class RequestTypes:
    """Annotations, TypedDicts and shapes of one version's request schemas (collected as used)."""

    def __init__(self, spec: dict[str, Any], classes: set[str]) -> None:
        self.spec = spec
        self.classes = classes  # class names the generator made (models and enums)
        self.typeddicts: dict[str, TypedDictSpec] = {}
        self.shapes: dict[str, str] = {}  # shape table: name -> expression
        self._pending: set[str] = set()

    # -- schemas ----------------------------------------------------------------------------------

    def _ref_name(self, schema: Schema) -> str | None:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[-1]
        return None

    def _members(self, schema: Schema) -> list[Schema]:
        """The members of a union schema (nested unions flattened), else []."""
        schema = resolve(self.spec, schema)
        members = [m for m in (schema.get("oneOf") or schema.get("anyOf") or []) if isinstance(m, dict)]
        if not members:
            return []
        out: list[Schema] = []
        for member in members:
            out += self._members(member) or [member]
        return out

    def is_object(self, schema: Schema) -> bool:
        schema = resolve(self.spec, schema)
        if self._members(schema) or schema.get("type") not in (None, "object"):
            return False
        return bool(declared_properties(self.spec, schema))

    def fields_of(self, schema: Schema) -> tuple[dict[str, Schema], set[str]]:
        """(properties, required) of an object schema, over its ``allOf`` members."""
        props = {k: v for k, v in declared_properties(self.spec, schema).items() if not v.get("readOnly")}
        return props, declared_required(self.spec, schema) & set(props)

    def _nullable(self, schema: Schema) -> bool:
        return bool(schema.get("nullable")) or bool(resolve(self.spec, schema).get("nullable"))

    def _kind(self, schema: Schema) -> str:
        resolved = resolve(self.spec, schema)
        if self._members(resolved):
            return "union"
        if self.is_object(resolved):
            return "object"
        kind = resolved.get("type")
        values = resolved.get("enum")
        if kind is None and isinstance(values, list) and values:  # an enum without "type"
            present = [v for v in values if v is not None]
            if present and all(isinstance(v, str) for v in present):
                kind = "string"
            elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
                kind = "integer"
        if kind == "object" or (kind is None and "additionalProperties" in resolved):
            return "map"
        if kind is None and resolved.get("allOf"):
            members = [m for m in resolved["allOf"] if isinstance(m, dict)]
            if len(members) == 1:
                return self._kind(members[0])
        return str(kind) if kind in ("string", "integer", "number", "boolean", "array", "null") else "any"

    def _name_for(self, schema: Schema, context: str) -> str:
        ref = self._ref_name(schema)
        return pascal_case(ref) if ref else pascal_case(context)

    # -- annotations ------------------------------------------------------------------------------

    def annotation(self, schema: Schema, context: str, *, path: bool = False) -> str:
        """The Python annotation of an argument or TypedDict value of ``schema``."""
        text = self._annotation(schema, context, path=path)
        if self._nullable(schema) and text != "Any" and "None" not in text.split(" | "):
            text += " | None"
        return text

    def _annotation(self, schema: Schema, context: str, *, path: bool) -> str:
        kind = self._kind(schema)
        resolved = resolve(self.spec, schema)
        if kind == "union":
            members = self._members(schema)
            if all(self._kind(m) == "array" for m in members):
                # one of several arrays: mypy cannot type a list literal against a union of
                # sequences, so the items' union it is (the run-time check still wants one kind)
                member_items = [resolve(self.spec, m).get("items") or {} for m in members]
                inner = self.annotation({"oneOf": member_items}, context + "_item")
                return f"Sequence[{inner}]"
            parts: list[str] = []
            for i, member in enumerate(members):
                for part in self.annotation(member, f"{context}_{i}").split(" | "):
                    if part not in parts:
                        parts.append(part)
            return " | ".join(parts)
        if kind == "object":
            name = self._name_for(schema, context)
            if name not in self.typeddicts:
                self._typeddict(name, schema, context)
            ref = self._ref_name(schema)
            model = pascal_case(ref) if ref else ""
            return f"{name}Param | models.{model}" if model in self.classes else f"{name}Param"
        if kind == "map":
            extra = resolved.get("additionalProperties")
            text = "Mapping[str, Any]"
            if isinstance(extra, dict) and extra:
                text = f"Mapping[str, {self.annotation(extra, context + '_value')}]"
            ref = self._ref_name(schema)
            model = pascal_case(ref) if ref else ""
            return f"{text} | models.{model}" if model in self.classes else text
        if kind == "array":
            items: Schema = resolved["items"] if isinstance(resolved.get("items"), dict) else {}
            return f"Sequence[{self.annotation(items, context + '_item')}]"
        if kind in ("string", "integer") and isinstance(resolved.get("enum"), list):
            values = [v for v in resolved["enum"] if v is not None]
            literal = f"Literal[{', '.join(_literal(v) for v in values)}]"
            ref = self._ref_name(schema)
            enum_class = pascal_case(ref) if ref else ""
            return f"models.{enum_class} | {literal}" if enum_class in self.classes else literal
        if kind == "string" and resolved.get("format") == "binary":
            return "FileTypes"  # a file part of a multipart body (intercom_ext._types.FileTypes)
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
        if kind == "integer" and path:
            return "int | str"
        return simple.get(kind, "Any")

    def _typeddict(self, name: str, schema: Schema, context: str) -> None:
        resolved = resolve(self.spec, schema)
        spec = TypedDictSpec(f"{name}Param", doc_text(resolved.get("description")))
        self.typeddicts[name] = spec  # before the fields: a recursive schema refers to itself
        props, required = self.fields_of(schema)
        base = self._ref_name(schema) or context
        for key, sub in props.items():
            spec.fields.append(
                Arg(
                    python_name(key),
                    key,
                    self.annotation(sub, f"{base}_{key}"),
                    key in required,
                    doc_text(
                        sub.get("description") or resolve(self.spec, sub).get("description"),
                        resolve(self.spec, sub),
                    ),
                )
            )

    # -- shapes -----------------------------------------------------------------------------------

    def shape(self, schema: Schema, context: str) -> str:
        """The shape expression (``intercom_ext._request``) of ``schema``."""
        text = self._shape(schema, context)
        if self._nullable(schema) and not text.startswith('("*"'):
            text = f'("u", ({text}, ("0",)), ("value", "null"))'
        return text

    def _shape(self, schema: Schema, context: str) -> str:
        kind = self._kind(schema)
        resolved = resolve(self.spec, schema)
        ref = self._ref_name(schema)
        if kind in ("union", "object") and ref:
            if ref not in self.shapes and ref not in self._pending:
                self._pending.add(ref)
                self.shapes[ref] = self._composite(kind, schema, ref)
                self._pending.discard(ref)
            return f'("r", {_literal(ref)})'
        if kind in ("union", "object"):
            return self._composite(kind, schema, context)
        if kind == "map":
            extra = resolved.get("additionalProperties")
            value = self.shape(extra, context + "_value") if isinstance(extra, dict) and extra else '("*",)'
            return f'("o", {{}}, (), {value})'
        if kind == "array":
            items: Schema = resolved["items"] if isinstance(resolved.get("items"), dict) else {}
            return f'("a", {self.shape(items, context + "_item")})'
        if kind == "string" and resolved.get("format") == "binary":
            return '("f",)'
        if kind in ("string", "integer"):
            letter = "s" if kind == "string" else "i"
            values = resolved.get("enum")
            if isinstance(values, list) and values:
                listed = ", ".join(_literal(v) for v in values if v is not None)
                return f'("{letter}", ({listed},))'
            return f'("{letter}", None)'
        return {"number": '("n",)', "boolean": '("b",)', "null": '("0",)'}.get(kind, '("*",)')

    def _composite(self, kind: str, schema: Schema, context: str) -> str:
        if kind == "union":
            members = self._members(schema)
            shapes = [self.shape(m, f"{context}_{i}") for i, m in enumerate(members)]
            labels = [_literal(self.label(m, i)) for i, m in enumerate(members)]
            return f'("u", ({", ".join(shapes)},), ({", ".join(labels)},))'
        props, required = self.fields_of(schema)
        entries = ", ".join(f"{_literal(k)}: {self.shape(v, f'{context}_{k}')}" for k, v in props.items())
        needed = [k for k in props if k in required]
        listed = "".join(f"{_literal(k)}, " for k in needed)
        return f'("o", {{{entries}}}, ({listed}), None)'

    def label(self, schema: Schema, index: int) -> str:
        """How a union member is named in messages and docs: its component name, else its title."""
        ref = self._ref_name(schema)
        if ref:
            return pascal_case(ref)
        title = resolve(self.spec, schema).get("x-intercom-title")
        return str(title) if title else f"member {index + 1}"

    # -- a body as keywords -----------------------------------------------------------------------

    def variants(self, body: Schema, context: str, taken: set[str]) -> list[Variant]:
        """The keyword forms of a JSON body (one per union member; one for an object body)."""
        members = self._members(body) or [body]
        out: list[Variant] = []
        for i, member in enumerate(members):
            if not self.is_object(member):
                raise ValueError(f"{context}: a body member that is not an object is not supported")
            props, required = self.fields_of(member)
            base = self._ref_name(member) or context
            fields: list[Arg] = []
            for key, sub in props.items():
                name = python_name(key)
                if name in taken:
                    name += "_"
                resolved = resolve(self.spec, sub)
                enum = resolved.get("enum")
                annotation = self.annotation(sub, f"{base}_{key}")
                if isinstance(enum, list) and len(enum) == 1 and len(members) > 1:
                    annotation = f"Literal[{_literal(enum[0])}]"  # the member's constant
                fields.append(
                    Arg(
                        name,
                        key,
                        annotation,
                        key in required,
                        doc_text(sub.get("description") or resolved.get("description"), resolved),
                    )
                )
            fields.sort(key=lambda a: not a.required)
            out.append(Variant(self.label(member, i), fields))
        return out


def request_examples(spec: dict[str, Any], path: str, method: str) -> list[dict[str, Any]]:
    """The spec's JSON request examples of an operation that are objects, in document order (the
    reference's example calls pick the first one the SDK accepts)."""
    op = ((spec.get("paths") or {}).get(path) or {}).get(method) or {}
    body = resolve(spec, op.get("requestBody") or {})
    media = next((m for t, m in (body.get("content") or {}).items() if "json" in t), None)
    if not isinstance(media, dict):
        return []
    candidates = [media["example"]] if "example" in media else []
    candidates += [e.get("value") for e in (media.get("examples") or {}).values() if isinstance(e, dict)]
    return [value for value in candidates if isinstance(value, dict)]
