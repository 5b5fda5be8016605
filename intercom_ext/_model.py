"""Runtime of the generated models: the one "not given" sentinel's users, value shapes, unions.

Every generated *response* model (a schema a response can contain, in any API version) derives from
:class:`ResponseModel`. Its convention, the same for every attribute of every version:

- **Honest annotations.** An attribute is annotated ``T | None`` (``created_at: int | None``) and
  its value is always an instance of that annotation: ``None`` when the property was absent, ``null``
  or received with a value that does not fit ``T``. ``mypy --strict`` makes the reader handle it.
- **Nothing is lost.** ``model.raw("created_at")`` gives the JSON value as received (``NOT_GIVEN``
  when absent), and ``to_dict()`` writes back exactly what was received: absent stays absent,
  ``null`` stays ``null``, a value kept as sent is written back unchanged. A value that does not
  fit is logged at DEBUG on the ``intercom_ext.models`` logger, naming ``Model.attribute`` and the
  JSON type received.
- **Lossless coercion only.** An integer where a string is declared reads as its decimal string,
  and a string of decimal digits (``"123"``) where an integer is declared reads as that integer;
  ``to_dict()`` still writes what was received. Nothing else is coerced.
- **Unions are discriminated**, never first-wins (:class:`OneOf`): the spec's ``discriminator``
  mapping where present; else each variant's constant properties (a single-value ``enum`` such as
  Intercom's ``type``) rule out the variants they contradict and rank those they match; then the
  structural best fit: all required keys present, then most declared keys matched, then fewest
  declared keys missing (the tightest fit), then declared order.
- **Lazy nested models.** A nested model (or list of them, or union) is built on first read of its
  attribute; until then its JSON is kept by reference (build models from data you do not mutate).

Request models (schemas only requests use) keep the generator's strict convention instead:
``x: T | Unset = UNSET``, where ``Unset``/``UNSET`` are :class:`NotGiven`/``NOT_GIVEN``, the one
sentinel shared by every version.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from ._types import NOT_GIVEN

__all__ = [
    "ANY",
    "BOOL",
    "DATE",
    "DATETIME",
    "FLOAT",
    "INT",
    "NONE",
    "NO_KEPT",
    "NO_LAZY",
    "STR",
    "UUID",
    "EnumOf",
    "ListOf",
    "ModelOf",
    "OneOf",
    "ResponseModel",
    "Shape",
    "describe",
    "fit",
    "fit_extra",
]

log = logging.getLogger("intercom_ext.models")

# A kept entry is (value received, value read): to_dict() writes the value received while the
# attribute still holds the value read (identity), so a later assignment wins.
_ABSENT_ENTRY = (NOT_GIVEN, None)
_NULL_ENTRY = (None, None)
_EXTRA = "additional_properties"

#: Shared empty tables of a model with nothing kept / nothing pending; never written (see _kept_of).
NO_KEPT: dict[str, Any] = {}
NO_LAZY: dict[str, Any] = {}


def _kept_of(obj: ResponseModel) -> dict[str, Any]:
    kept = obj._kept
    if kept is NO_KEPT:
        kept = obj._kept = {}
    return kept


class Off(Exception):
    """Internal: a JSON value does not fit a shape."""


_OFF = Off()


class Shape:
    """How one declared type reads from JSON (``parse``, strict: raises :class:`Off`) and writes
    back (``dump``). ``lossy`` shapes may not write back the exact text they read (date-times),
    so the value received is kept beside the value read."""

    __slots__ = ()
    lossy: ClassVar[bool] = False
    models: tuple[type[Any], ...] = ()

    def parse(self, value: Any) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def coerce(self, value: Any) -> Any:
        """A lossless, unambiguous conversion of an off-type top-level value, or :class:`Off`."""
        raise _OFF


class _Str(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        if value.__class__ is str:
            return value
        raise _OFF

    def coerce(self, value: Any) -> Any:
        if value.__class__ is int:
            return str(value)
        raise _OFF


_DIGITS = re.compile(r"-?(0|[1-9][0-9]*)")


class _Int(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        if value.__class__ is int:
            return value
        raise _OFF

    def coerce(self, value: Any) -> Any:
        if value.__class__ is str and len(value) < 20 and _DIGITS.fullmatch(value):
            return int(value)
        raise _OFF


class _Float(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        if value.__class__ is float or value.__class__ is int:
            return value
        raise _OFF


class _Bool(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        if value is True or value is False:
            return value
        raise _OFF


class _Any(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        return value


class _None(Shape):
    __slots__ = ()

    def parse(self, value: Any) -> Any:
        if value is None:
            return None
        raise _OFF


class _IsoParsed(Shape):
    """An ISO 8601 string read with dateutil's ``isoparse`` (3.10's ``fromisoformat`` rejects
    ``Z``), then ``convert``-ed; written back with ``isoformat()``."""

    __slots__ = ("convert",)
    lossy = True

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert

    def parse(self, value: Any) -> Any:
        if value.__class__ is str:
            from dateutil.parser import isoparse

            try:
                return self.convert(isoparse(value))
            except (ValueError, OverflowError):
                pass
        raise _OFF

    def dump(self, value: Any) -> Any:
        return value.isoformat()


class _UUID(Shape):
    __slots__ = ()
    lossy = True

    def parse(self, value: Any) -> Any:
        if value.__class__ is str:
            try:
                return uuid.UUID(value)
            except ValueError:
                pass
        raise _OFF

    def dump(self, value: Any) -> Any:
        return str(value)


STR: Shape = _Str()
INT: Shape = _Int()
FLOAT: Shape = _Float()
BOOL: Shape = _Bool()
ANY: Shape = _Any()
NONE: Shape = _None()
DATETIME: Shape = _IsoParsed(lambda moment: moment)
DATE: Shape = _IsoParsed(lambda moment: moment.date())
UUID: Shape = _UUID()


class EnumOf(Shape):
    """A ``str`` or ``int`` enum: an unknown value of the right JSON type reads as a pseudo-member
    (an instance of the enum whose ``value`` is what was received)."""

    __slots__ = ("cls", "value_type")

    def __init__(self, cls: type[Enum], value_type: type) -> None:
        self.cls = cls
        self.value_type = value_type

    def parse(self, value: Any) -> Any:
        if value.__class__ is self.value_type:
            member = self.cls._value2member_map_.get(value)
            return member if member is not None else self.cls(value)
        raise _OFF

    def dump(self, value: Any) -> Any:
        return value.value


class ModelOf(Shape):
    """A JSON object read as the generated model ``cls`` (its own ``from_dict``, lenient)."""

    __slots__ = ("cls", "models")

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.models = (cls,)

    def parse(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.cls.from_dict(value)
        raise _OFF

    def dump(self, value: Any) -> Any:
        return value.to_dict()


class ListOf(Shape):
    """A JSON array whose every item fits ``item`` (else the whole array does not fit)."""

    __slots__ = ("item", "lossy", "models")

    def __init__(self, item: Shape) -> None:
        self.item = item
        self.lossy = item.lossy  # type: ignore[misc]
        self.models = item.models

    def parse(self, value: Any) -> Any:
        if value.__class__ is not list:
            raise _OFF
        item = self.item
        if isinstance(item, ModelOf):
            cls = item.cls
            if all(isinstance(v, dict) for v in value):
                return list(map(cls.from_dict, value))
            raise _OFF
        return [item.parse(v) for v in value]

    def dump(self, value: Any) -> Any:
        dump = self.item.dump
        return [dump(v) for v in value]


class OneOf(Shape):
    """A union (``oneOf`` / ``anyOf``): an object goes to the model variant :meth:`pick` chooses;
    any other value to the first non-model member it fits (those members are disjoint JSON types).

    ``discriminator`` is the spec's ``(property name, {value: model})`` when it declares one."""

    __slots__ = ("discriminator", "lossy", "members", "models", "others")

    def __init__(
        self, members: Iterable[Shape], discriminator: tuple[str, Mapping[str, type[Any]]] | None = None
    ) -> None:
        self.members = tuple(members)
        self.models = tuple(cls for m in self.members if isinstance(m, ModelOf) for cls in m.models)
        self.others = tuple(m for m in self.members if not isinstance(m, ModelOf))
        self.discriminator = discriminator
        self.lossy = any(m.lossy for m in self.members)  # type: ignore[misc]

    def pick(self, data: Mapping[str, Any]) -> type[Any]:
        """The model variant for the JSON object ``data`` (see the module docstring for the rule)."""
        if self.discriminator is not None:
            key, mapping = self.discriminator
            chosen = mapping.get(data.get(key))  # type: ignore[arg-type]
            if chosen is not None:
                return chosen
        if len(self.models) == 1:
            return self.models[0]
        best: type[Any] = self.models[0]
        best_score: tuple[int, int, int, int, int] | None = None
        keys = data.keys()
        for cls in self.models:
            matched = 0
            contradicted = False
            for key, const in cls._consts.items():
                got = data.get(key, NOT_GIVEN)
                if got is NOT_GIVEN:
                    continue
                if got != const:
                    contradicted = True
                    break
                matched += 1
            score = (
                0 if contradicted else 1,
                matched,
                1 if cls._required_keys <= keys else 0,
                len(cls._json_keys & keys),
                -len(cls._json_keys - keys),
            )
            if best_score is None or score > best_score:  # ties keep the earlier (declared order)
                best, best_score = cls, score
        return best

    def parse(self, value: Any) -> Any:
        if self.models and isinstance(value, dict):
            return self.pick(value).from_dict(value)
        for member in self.others:
            try:
                return member.parse(value)
            except Off:
                pass
        raise _OFF

    def dump(self, value: Any) -> Any:
        if hasattr(value, "to_dict"):
            return value.to_dict()
        for member in self.others:
            if not isinstance(member, EnumOf) or isinstance(value, member.cls):
                try:
                    return member.dump(value)
                except (AttributeError, TypeError, ValueError):
                    pass
        return value


def fit(obj: ResponseModel, name: str, value: Any) -> Any:
    """What attribute ``name`` of ``obj`` reads for the JSON ``value`` (``NOT_GIVEN`` when absent),
    recording in ``obj._kept`` whatever ``to_dict()`` and ``raw()`` need to give back what was
    received. Generated ``from_dict`` methods call this off their fast paths."""
    if value is NOT_GIVEN:
        _kept_of(obj)[name] = _ABSENT_ENTRY
        return None
    if value is None:
        _kept_of(obj)[name] = _NULL_ENTRY
        return None
    shape = type(obj)._shapes[name]
    try:
        read = shape.parse(value)
    except Off:
        try:
            read = shape.coerce(value)
        except Off:
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "%s.%s: received a JSON %s, which does not fit the declared type; it reads as None "
                    "and is kept as sent (.raw(%r))",
                    type(obj).__name__,
                    name,
                    _json_type(value),
                    name,
                )
            _kept_of(obj)[name] = (value, None)
            return None
        _kept_of(obj)[name] = (value, read)  # coerced: to_dict() writes what was received
        return read
    if shape.lossy:
        _kept_of(obj)[name] = (value, read)
    return read


def fit_extra(obj: ResponseModel, extra: dict[str, Any]) -> dict[str, Any]:
    """The additional properties of ``obj`` that fit its typed ``additionalProperties`` shape; the
    others are kept as sent (``raw(key)``, ``to_dict()``) and logged like attributes."""
    shape = type(obj)._extra_shape
    if shape is None:
        return extra
    fitted: dict[str, Any] = {}
    for key, value in extra.items():
        try:
            fitted[key] = shape.parse(value)
        except Off:
            log.debug("%s[%r]: received a JSON %s, kept as sent", type(obj).__name__, key, _json_type(value))
            _kept_of(obj).setdefault(_EXTRA, {})[key] = value
    return fitted


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number"}.get(
        type(value), type(value).__name__
    )


def describe(
    cls: type[ResponseModel],
    fields: Iterable[tuple[str, str, Shape]],
    *,
    required: Iterable[str] = (),
    consts: Mapping[str, Any] | None = None,
    extra: Shape | None = None,
) -> None:
    """Attach a generated model's field table: ``(attribute, JSON key, shape)`` per declared
    property, the required JSON keys, the constant properties (single-value enums) and the shape
    of typed additional properties. Called once at the end of each model module."""
    cls._fields = tuple(fields)
    cls._shapes = {name: shape for name, _, shape in cls._fields}
    cls._json_keys = frozenset(key for _, key, _ in cls._fields)
    cls._required_keys = frozenset(required)
    cls._consts = dict(consts or {})
    cls._extra_shape = extra


_EMPTY: dict[str, Any] = NO_KEPT


class ResponseModel:
    """Base of every generated response model (see the module docstring for the convention)."""

    __slots__ = ("_kept", "_lazy")
    _kept: dict[str, Any]  # attribute -> (value received, value read); see fit()
    _lazy: dict[str, Any]  # attribute -> JSON of a nested model not built yet

    _fields: ClassVar[tuple[tuple[str, str, Shape], ...]] = ()
    _shapes: ClassVar[dict[str, Shape]] = {}
    _json_keys: ClassVar[frozenset[str]] = frozenset()
    _required_keys: ClassVar[frozenset[str]] = frozenset()
    _consts: ClassVar[dict[str, Any]] = {}
    _extra_shape: ClassVar[Shape | None] = None

    if not TYPE_CHECKING:  # type checkers see only the declared attributes

        def __getattr__(self, name):
            if name == "_kept" or name == "_lazy":  # made by __init__, pickle or copy
                return _EMPTY
            try:
                pending = object.__getattribute__(self, "_lazy")
            except AttributeError:
                pending = None
            raw = pending.get(name, NOT_GIVEN) if pending else NOT_GIVEN
            if raw is NOT_GIVEN:
                # Not pending: set meanwhile by another thread, or really missing (a typo, a deleted
                # attribute): the attribute lookup gives the value or the usual AttributeError.
                return object.__getattribute__(self, name)
            value = fit(self, name, raw)
            object.__setattr__(self, name, value)
            pending.pop(name, None)
            return value

    def raw(self, name: str) -> Any:
        """The JSON value received for attribute ``name`` (``NOT_GIVEN`` if it was absent or the
        model was not parsed from JSON), also when the attribute reads ``None`` because the value
        did not fit its declared type. For an additional property, pass its JSON key."""
        shape = type(self)._shapes.get(name)
        if shape is None:
            extra = self._kept.get(_EXTRA)
            if extra is not None and name in extra:
                return extra[name]
            additional = getattr(self, _EXTRA, _EMPTY)
            if name in additional:
                value = additional[name]
                extra_shape = type(self)._extra_shape
                return extra_shape.dump(value) if extra_shape is not None else value
            raise AttributeError(f"{type(self).__name__} declares no property {name!r}")
        pending = self._lazy.get(name, NOT_GIVEN)
        if pending is not NOT_GIVEN:
            return pending
        value = getattr(self, name)
        entry = self._kept.get(name)
        if entry is not None and entry[1] is value:
            return entry[0]
        return NOT_GIVEN if value is None else shape.dump(value)

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data: what was received, with any attribute assigned since."""
        out: dict[str, Any] = {}
        additional = getattr(self, _EXTRA, None)
        kept = self._kept
        if additional:
            extra_shape = type(self)._extra_shape
            out.update(
                additional
                if extra_shape is None
                else {key: extra_shape.dump(value) for key, value in additional.items()}
            )
        if kept:
            out.update(kept.get(_EXTRA, _EMPTY))
        lazy = self._lazy
        for name, key, shape in type(self)._fields:
            if lazy and name in lazy:
                out[key] = lazy[name]
                continue
            value = getattr(self, name)
            entry = kept.get(name) if kept else None
            if entry is not None and entry[1] is value:
                if entry[0] is not NOT_GIVEN:
                    out[key] = entry[0]
            elif value is not None:
                out[key] = shape.dump(value)
        return out
