"""Valid payloads for generated response models, and a check that parsed values fit their annotations.

A payload is synthesised from the model's own field table (``_fields``: JSON key and shape per
declared property, ``_consts`` for single-value enums), so it exercises every declared property,
nested models and unions included. :func:`violations` reads every attribute of a parsed model,
recursively, and checks each value against the attribute's annotation with typeguard (every item of
every collection).
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from functools import cache
from typing import Any

import attrs
from typeguard import CollectionCheckStrategy, TypeCheckError, check_type

from intercom_ext import _model as m

MAX_DEPTH = 4
DATETIME = "2024-01-02T03:04:05+00:00"


def sample(shape: m.Shape, depth: int = 0) -> Any:
    """A JSON value that fits ``shape``."""
    if shape is m.STR:
        return "text"
    if shape is m.INT:
        return 7
    if shape is m.FLOAT:
        return 1.5
    if shape is m.BOOL:
        return True
    if shape is m.DATETIME:
        return DATETIME
    if shape is m.DATE:
        return "2024-01-02"
    if shape is m.UUID:
        return "6f1c5a9e-8d1b-4a53-9a1e-1c7f3b2d9e10"
    if shape is m.NONE:
        return None
    if shape is m.ANY:
        return {"any": "value"}
    if isinstance(shape, m.EnumOf):
        return next(iter(shape.cls)).value
    if isinstance(shape, m.ModelOf):
        return model_sample(shape.cls, depth + 1)
    if isinstance(shape, m.ListOf):
        return [] if depth >= MAX_DEPTH else [sample(shape.item, depth + 1)]
    if isinstance(shape, m.OneOf):
        return sample(shape.members[0], depth)
    raise AssertionError(f"no sample for {shape!r}")


def model_sample(cls: type[Any], depth: int = 0) -> dict[str, Any]:
    """A payload with every declared property of ``cls`` (only the required ones when deep)."""
    payload: dict[str, Any] = {}
    if not hasattr(cls, "_fields"):  # a request model inside a response-only one (2.16's list options)
        return payload
    for _name, key, shape in cls._fields:
        if depth >= MAX_DEPTH and key not in cls._required_keys:
            continue
        payload[key] = cls._consts[key] if key in cls._consts else sample(shape, depth)
    return payload


def response_model_classes(package: str) -> list[type[Any]]:
    """Every generated response model class of ``package``, by name."""
    models = importlib.import_module(f"{package}.models")
    found: dict[str, type[Any]] = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{package}.models.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and issubclass(value, m.ResponseModel)
            ):
                found[value.__name__] = value
    return [found[name] for name in sorted(found)]


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def violations(obj: Any, where: str = "") -> list[str]:
    """Every attribute read (recursively) whose value is not an instance of its annotation."""
    found: list[str] = []
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            found += violations(item, f"{where}[{i}]")
        return found
    if not isinstance(obj, m.ResponseModel):
        return found
    hints = _hints(type(obj))
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        label = f"{where or type(obj).__name__}.{field.name}"
        try:
            check_type(value, hints[field.name], collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
        except TypeCheckError as exc:
            found.append(f"{label}: {exc}")
        if field.name == "additional_properties":
            continue
        found += violations(value, label)
    return found
