"""Loading an OpenAPI description and looking things up in it, tolerating dangling ``$ref``s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from codegen.spec import HTTP_METHODS

try:  # libyaml is ~10x faster on the 1 MB Intercom descriptions
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader

SCHEMA_PREFIX = "#/components/schemas/"

# JSON-schema `format`s that openapi-python-client maps to a different Python type than plain `str`.
_TYPED_FORMATS = {"date", "date-time", "binary", "uuid"}


def load_spec(path: str | Path) -> dict[str, Any]:
    """Parse a YAML or JSON OpenAPI description (JSON is a subset of YAML)."""
    with open(path, "rb") as fh:
        data = yaml.load(fh, Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not an OpenAPI description (top level is {type(data).__name__})")
    return data


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Spec:
    """A parsed description plus ``$ref`` resolution within it (dangling refs resolve to ``None``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.schemas: dict[str, Any] = as_dict(as_dict(data.get("components")).get("schemas"))

    @property
    def title(self) -> str:
        info = as_dict(self.data.get("info"))
        return f"{info.get('title', '?')} {info.get('version', '?')}"

    def lookup(self, ref: str) -> Any:
        """Follow a local JSON pointer; ``None`` when it does not exist or is not local."""
        if not ref.startswith("#/"):
            return None
        node: Any = self.data
        for raw in ref[2:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def deref(self, node: Any, _depth: int = 0) -> dict[str, Any]:
        """Resolve a (chain of) ``$ref`` for non-schema objects (parameters, bodies, responses)."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and _depth < 20:
            node = self.lookup(node["$ref"])
            _depth += 1
        return as_dict(node)

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """Yield ``(method, path, operation, path_item)`` for every operation."""
        for path, item in as_dict(self.data.get("paths")).items():
            item = self.deref(item)
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield method, str(path), op, item


def ref_name(schema: Any) -> str | None:
    """``contact`` for ``{"$ref": "#/components/schemas/contact"}``; the raw ref for other refs."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref: str = schema["$ref"]
        return ref[len(SCHEMA_PREFIX) :] if ref.startswith(SCHEMA_PREFIX) else ref
    return None


def schema_types(schema: dict[str, Any]) -> list[str]:
    """The non-null JSON types of a schema (OpenAPI 3.1 lists allowed)."""
    t = schema.get("type")
    if isinstance(t, list):
        return [str(x) for x in t if x != "null"]
    return [str(t)] if t else []


def is_nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("nullable") is True:
        return True
    t = schema.get("type")
    if isinstance(t, list) and "null" in t:
        return True
    for key in ("oneOf", "anyOf"):
        for sub in schema.get(key) or []:
            if isinstance(sub, dict) and (sub.get("type") == "null" or sub.get("enum") == [None]):
                return True
    return False


_TYPE_KEYS = (
    "$ref",
    "type",
    "properties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "enum",
    "additionalProperties",
)


def _shapes_type(sub: Any) -> bool:
    """False for union members that only constrain (``{"required": [...]}``) or only allow ``null``."""
    if not isinstance(sub, dict) or sub.get("type") == "null" or sub.get("enum") == [None]:
        return False
    return any(k in sub for k in _TYPE_KEYS)


def type_sig(schema: Any, _depth: int = 0) -> str:
    """A short, comparable description of the Python type a schema becomes in the generated SDK.

    Component references stay by name (their own changes are reported once, on the component);
    descriptions, examples, formats that do not change the Python type and nullability are ignored.
    """
    if not isinstance(schema, dict):
        return "any"
    name = ref_name(schema)
    if name is not None:
        return name
    if _depth > 8:
        return "..."
    for key in ("oneOf", "anyOf", "allOf"):
        subs = [s for s in schema.get(key) or [] if _shapes_type(s)]
        if subs:
            parts = [type_sig(s, _depth + 1) for s in subs]
            if len(parts) == 1:  # a one-variant union is that variant in the generated code
                return parts[0]
            return f"{key}[{', '.join(parts)}]"
    types = schema_types(schema)
    if not types and isinstance(schema.get("enum"), list):
        kinds = {type(v) for v in schema["enum"] if v is not None}
        types = (
            [{str: "string", bool: "boolean", int: "integer", float: "number"}.get(kinds.pop(), "any")]
            if len(kinds) == 1
            else []
        )
    if not types:
        return "object" if "properties" in schema else "any"
    sigs = []
    for t in types:
        if t == "array":
            sigs.append(f"array[{type_sig(schema.get('items'), _depth + 1)}]")
        elif t == "object":
            extra = schema.get("additionalProperties")
            if "properties" not in schema and isinstance(extra, dict) and extra:
                sigs.append(f"dict[str, {type_sig(extra, _depth + 1)}]")
            else:
                sigs.append("object")
        elif t == "string" and schema.get("format") in _TYPED_FORMATS:
            sigs.append(f"string({schema['format']})")
        else:
            sigs.append(t)
    return " | ".join(sigs)


def enum_values(schema: Any) -> list[str] | None:
    """Enum values as strings, or ``None`` when the schema is not an enum."""
    if not isinstance(schema, dict):
        return None
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    return [str(v) for v in values if v is not None]
