"""Building a request from a facade call: checked before anything is sent, sent exactly as given.

Every generated facade method describes its operation once, as an :class:`Endpoint` (method, path
template, parameters, the body's shape), and hands the caller's arguments to :func:`build`, which

* refuses what the API would refuse and we can know, with :class:`RequestValidationError` (a
  ``TypeError``) naming the operation and the place: an unknown keyword (with the closest valid
  name), a missing required field at any depth (``contacts[0]: one of id, external_id, email is
  required``), a value outside an enum, a wrong JSON type, an unknown key in a dict argument, and a
  body left out where the spec requires one; an empty or blank path parameter raises ``ValueError``;
* returns the request arguments (method, URL, query, JSON body, headers) that the client sends. A
  value is sent as given (no coercion, no defaults); a generated model instance is sent as its
  ``to_dict()``; an argument left out (``NOT_GIVEN``) is not sent.

Shapes are compact tuples written by the code generator (``codegen/requests.py``) into each version's
``_request_shapes.py``; they are checked here rather than by a JSON Schema library because the
checks are few (type, enum, required, closed objects, arrays, unions), the messages must name
Python arguments, and a write call must stay cheap (see ``benchmarks/bench_requests.py``):

=====================================  =============================================================
``("s", enum)`` / ``("i", enum)``      a string / an integer (``bool`` is not one), ``enum`` a tuple
                                       of allowed values or ``None``
``("n",)`` ``("b",)`` ``("0",)``       a number, a boolean, ``null`` (``None``)
``("*",)``                             any JSON value
``("f",)``                             a file part of a multipart body
``("o", props, required, extra)``      an object: ``props`` maps keys to shapes, ``required`` the
                                       keys that must be present, ``extra`` the shape of other keys
                                       (``None``: no other key is allowed)
``("a", item)``                        an array (a list or tuple)
``("u", members, labels)``             one of ``members`` (named ``labels`` in messages)
``("r", name)``                        the shape named ``name`` in the version's shape table
=====================================  =============================================================
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from enum import Enum
from typing import Any, NamedTuple
from urllib.parse import quote

from ._exceptions import RequestValidationError
from ._types import NotGiven, RequestOptions

__all__ = ["Endpoint", "RequestValidationError", "build"]

Shape = tuple[Any, ...]

_OPTIONS = tuple(RequestOptions.__annotations__)


class Endpoint(NamedTuple):
    """One operation, as a facade method sends it (written by the code generator)."""

    name: str
    """The facade method, ``<resource>.<verb>`` (used in messages)."""
    method: str
    """HTTP method, upper case."""
    path: str
    """Path template, as in the spec (``/contacts/{contact_id}``)."""
    path_params: tuple[tuple[str, Shape], ...] = ()
    """(name in the template, shape) of each path parameter, in signature order."""
    query: tuple[tuple[str, Shape], ...] = ()
    """(key, shape) of each query parameter."""
    headers: tuple[tuple[str, Shape], ...] = ()
    """(header name, shape) of each header parameter."""
    body: Shape | None = None
    """The body's shape (``None``: the operation takes no body)."""
    body_required: bool = False
    """Whether the spec requires a body (else a call that sets no body field sends none)."""
    body_media: str = "application/json"
    """The body's media type: JSON, or ``multipart/form-data`` (every field a part: files as file
    parts, the others as form fields, so the body is multipart even without a file)."""
    accept: str | None = None
    """The ``Accept`` header, where the documented success is not JSON."""
    keywords: tuple[str, ...] = ()
    """Every keyword of the method (for "did you mean" in messages)."""


class _Mismatch(Exception):
    def __init__(self, location: str, problem: str) -> None:
        super().__init__(location, problem)
        self.location = location
        self.problem = problem


def _given(value: object) -> bool:
    return not isinstance(value, NotGiven)


def build(
    endpoint: Endpoint,
    path: tuple[Any, ...],
    query: Mapping[str, Any],
    body: Mapping[str, Any],
    options: Mapping[str, Any],
    shapes: Mapping[str, Shape] | None = None,
) -> dict[str, Any]:
    """The request arguments of one call (``method``, ``url``, ``params``, ``json``, ``headers``).

    ``path`` holds the path arguments in the order of ``endpoint.path_params``; ``query`` and
    ``body`` map keys (as sent) to arguments (``NOT_GIVEN`` when left out; header parameters are in
    ``query`` too); ``options`` are the call's ``RequestOptions`` (an unknown key there is an unknown
    keyword); ``shapes`` resolves ``("r", name)``.
    """
    name = endpoint.name
    for key in options:
        if key not in _OPTIONS:
            valid = [*endpoint.keywords, *_OPTIONS]
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RequestValidationError(name, "", f"unexpected keyword argument {key!r}{hint}")
    table: Mapping[str, Shape] = shapes or {}
    url = endpoint.path
    for (param, shape), value in zip(endpoint.path_params, path, strict=True):
        if isinstance(value, str) and not value.strip():
            raise ValueError(f"{name}: {param} must not be empty (got {value!r})")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise RequestValidationError(name, param, f"expected str, got {type(value).__name__}")
        if shape[0] == "i" and isinstance(value, str) and not value.strip().lstrip("-").isdigit():
            raise RequestValidationError(name, param, f"expected an integer id, got {value!r}")
        url = url.replace("{" + param + "}", quote(str(value), safe=""))
    kwargs: dict[str, Any] = {"method": endpoint.method, "url": url}
    try:
        params = _parameters(endpoint.query, query, table)
        headers = _parameters(endpoint.headers, query, table)
        if endpoint.body is not None:
            given = {key: value for key, value in body.items() if _given(value)}
            if given or endpoint.body_required:
                sent = _body(endpoint.body, given, table)
                if "multipart" in endpoint.body_media:  # every field a part (a form field's name: None)
                    kwargs["files"] = {k: v if _is_file(v) else (None, _form(v)) for k, v in sent.items()}
                else:
                    kwargs["json"] = sent
    except _Mismatch as err:
        raise RequestValidationError(name, err.location, err.problem) from None
    if params:
        kwargs["params"] = params
    if endpoint.accept:
        headers["Accept"] = endpoint.accept
    if headers:
        kwargs["headers"] = headers
    return kwargs


def _parameters(
    declared: tuple[tuple[str, Shape], ...], values: Mapping[str, Any], table: Mapping[str, Shape]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, shape in declared:
        value = values.get(key)
        if key in values and _given(value):
            out[key] = check(shape, value, key, table)
    return out


def _body(shape: Shape, given: dict[str, Any], table: Mapping[str, Shape]) -> Any:
    """The JSON body from the keywords given; top-level problems are named as arguments."""
    while shape[0] == "r":
        shape = table[shape[1]]
    if shape[0] == "o":
        missing = [key for key in shape[2] if key not in given]
        if missing:
            raise _Mismatch("", f"missing required argument(s): {', '.join(missing)}")
    return check(shape, given, "", table)


def fits(shape: Shape, value: Any, table: Mapping[str, Shape]) -> bool:
    """Whether ``value`` would be sent for ``shape`` (what :func:`check` accepts)."""
    try:
        check(shape, value, "", table)
    except _Mismatch:
        return False
    return True


def check(shape: Shape, value: Any, where: str, table: Mapping[str, Shape]) -> Any:
    """``value`` as sent (model instances as their ``to_dict()``), or ``_Mismatch`` naming ``where``."""
    kind = shape[0]
    if kind == "r":
        return check(table[shape[1]], value, where, table)
    if kind == "s":
        if not isinstance(value, str):
            raise _Mismatch(where, f"expected str, got {_type_name(value)}")
        return _enum(shape[1], value, where)
    if kind == "i":
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Mismatch(where, f"expected int, got {_type_name(value)}")
        return _enum(shape[1], value, where)
    if kind == "n":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _Mismatch(where, f"expected a number, got {_type_name(value)}")
        return value
    if kind == "b":
        if not isinstance(value, bool):
            raise _Mismatch(where, f"expected bool, got {_type_name(value)}")
        return value
    if kind == "f":
        if not _is_file(value):
            expected = "a file (bytes, a binary file, or (name, content[, type]))"
            raise _Mismatch(where, f"expected {expected}, got {_type_name(value)}")
        return value
    if kind == "0":
        if value is not None:
            raise _Mismatch(where, f"expected None, got {_type_name(value)}")
        return None
    if kind == "o":
        return _object(shape, value, where, table)
    if kind == "a":
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
            raise _Mismatch(where, f"expected a list, got {_type_name(value)}")
        item = shape[1]
        return [check(item, v, f"{where}[{i}]", table) for i, v in enumerate(value)]
    if kind == "u":
        return _union(shape, value, where, table)
    return _any(value)


def _enum(allowed: tuple[Any, ...] | None, value: Any, where: str) -> Any:
    if allowed is not None and value not in allowed:
        values = ", ".join(repr(v) for v in allowed)
        raise _Mismatch(where, f"{value!r} is not one of {values}")
    return value


def _object(shape: Shape, value: Any, where: str, table: Mapping[str, Shape]) -> dict[str, Any]:
    _, props, required, extra = shape
    if not isinstance(value, Mapping):
        to_dict = getattr(value, "to_dict", None)
        if to_dict is None:
            raise _Mismatch(where, f"expected a dict, got {_type_name(value)}")
        value = to_dict()
    prefix = f"{where}." if where else ""
    missing = [key for key in required if key not in value]
    if missing:
        what = "key(s)" if where else "argument(s)"
        raise _Mismatch(where, f"missing required {what}: {', '.join(missing)}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = props.get(key)
        if sub is None:
            if extra is None:
                close = difflib.get_close_matches(str(key), list(props), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                known = ", ".join(props) or "none"
                raise _Mismatch(where, f"unknown key {key!r} (known: {known}){hint}")
            sub = extra
        if not isinstance(item, NotGiven):
            out[key] = check(sub, item, f"{prefix}{key}", table)
    return out


def _union(shape: Shape, value: Any, where: str, table: Mapping[str, Shape]) -> Any:
    _, members, labels = shape
    failures: list[_Mismatch] = []
    for member in members:
        try:
            return check(member, value, where, table)
        except _Mismatch as err:
            failures.append(err)
    resolved = [_resolve(m, table) for m in members]
    if value is not None and any(m[0] == "0" for m in resolved):  # a nullable value: say what it is
        candidates = [(m, f) for m, f in zip(resolved, failures, strict=True) if m[0] != "0"]
        if len(candidates) == 1:
            raise candidates[0][1]
    if isinstance(value, Mapping) and all(m[0] == "o" for m in resolved):
        if all(m[2] for m in resolved) and not any(k in value for m in resolved for k in m[2]):
            options = [" and ".join(m[2]) for m in resolved]
            raise _Mismatch(where, f"one of {', '.join(options)} is required")
        best = _closest(resolved, value)
        if len(best) == 1:
            raise failures[best[0]]
        failures = [failures[i] for i in best]
        labels = tuple(labels[i] for i in best)
    reasons = "; ".join(
        f"{label}: {failure.problem}" for label, failure in zip(labels, failures, strict=True)
    )
    raise _Mismatch(where, f"fits none of {', '.join(labels)} ({reasons})")


def _closest(objects: list[Shape], value: Mapping[str, Any]) -> list[int]:
    """The members that ``value`` most likely meant: none whose one-value enums (``type``) it
    contradicts, then those declaring most of its keys."""
    scores: list[tuple[int, int]] = []
    for i, (_, props, _required, _extra) in enumerate(objects):
        contradicts = any(
            key in value
            and props[key][0] in ("s", "i")
            and props[key][1] is not None
            and len(props[key][1]) == 1
            and value[key] not in props[key][1]
            for key in props
        )
        if not contradicts:
            scores.append((sum(1 for key in value if key in props), i))
    if not scores:
        return list(range(len(objects)))
    top = max(score for score, _ in scores)
    return [i for score, i in scores if score == top]


def _resolve(shape: Shape, table: Mapping[str, Shape]) -> Shape:
    while shape[0] == "r":
        shape = table[shape[1]]
    return shape


def _any(value: Any) -> Any:
    """Any JSON value: model instances inside it are sent as their ``to_dict()``."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Mapping):
        return {k: _any(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_any(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    raise _Mismatch("", f"{_type_name(value)} is not a JSON value")


def _form(value: Any) -> str:
    """A form field's text: a string as is, a boolean as JSON (``true``), other values as JSON."""
    import json

    return value if isinstance(value, str) else json.dumps(value)


def _is_file(value: object) -> bool:
    """bytes, a binary file object, or httpx's (filename, content[, content type]) tuple."""
    if isinstance(value, tuple):
        return 2 <= len(value) <= 4 and isinstance(value[0], (str, type(None))) and _is_file(value[1])
    return isinstance(value, (bytes, bytearray)) or callable(getattr(value, "read", None))


def _type_name(value: object) -> str:
    return type(value).__name__
