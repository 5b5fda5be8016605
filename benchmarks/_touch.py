"""Read every value: the "every attribute read" contenders of the parse and iterate benchmarks.

Our models build each nested model on its first read (``LazyModel`` in the generated ``types.py``);
a caller reading only plain fields never pays for the rest. These walkers give the other end: every
attribute of every model read (so every nested model built), and, for the raw loop, every value of
the decoded JSON visited, so the two can be compared like for like.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def read_models(value: Any) -> int:
    """Read every attribute of ``value`` (one of our attrs models), recursively; return how many."""
    return _read_attributes(value, _attrs_names)


def read_pydantic(value: Any) -> int:
    """Read every declared field of ``value`` (a pydantic model, python-intercom's), recursively."""
    return _read_attributes(value, _pydantic_names)


@functools.cache
def _attrs_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in getattr(cls, "__attrs_attrs__", ()))


@functools.cache
def _pydantic_names(cls: type) -> tuple[str, ...]:
    return tuple(getattr(cls, "model_fields", ()))


def _read_attributes(value: Any, names_of: Callable[[type], tuple[str, ...]]) -> int:
    names = names_of(type(value))
    if names:
        return sum(1 + _read_attributes(getattr(value, name), names_of) for name in names)
    if isinstance(value, list):
        return sum(_read_attributes(item, names_of) for item in value)
    return 0


def read_json(value: Any) -> int:
    """Visit every value of decoded JSON, recursively; return how many object members were visited."""
    if isinstance(value, dict):
        return sum(1 + read_json(item) for item in value.values())
    if isinstance(value, list):
        return sum(read_json(item) for item in value)
    return 0
