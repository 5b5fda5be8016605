"""Read every value: the "every attribute read" contenders of the parse and iterate benchmarks.

Our models build each nested model on its first read (``LazyModel`` in the generated ``types.py``);
a caller reading only plain fields never pays for the rest. These walkers give the other end: every
attribute of every model read (so every nested model built), and, for the raw loop, every value of
the decoded JSON visited, so the two can be compared like for like.
"""

from __future__ import annotations

from typing import Any


def read_models(value: Any) -> int:
    """Read every attribute of ``value`` (an attrs model), recursively; return how many were read."""
    fields = getattr(type(value), "__attrs_attrs__", None)
    if fields is not None:
        return sum(1 + read_models(getattr(value, field.name)) for field in fields)
    if isinstance(value, list):
        return sum(read_models(item) for item in value)
    return 0


def read_pydantic(value: Any) -> int:
    """Read every declared field of ``value`` (a pydantic model, python-intercom's), recursively."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return sum(1 + read_pydantic(getattr(value, name)) for name in fields)
    if isinstance(value, list):
        return sum(read_pydantic(item) for item in value)
    return 0


def read_json(value: Any) -> int:
    """Visit every value of decoded JSON, recursively; return how many object members were visited."""
    if isinstance(value, dict):
        return sum(1 + read_json(item) for item in value.values())
    if isinstance(value, list):
        return sum(read_json(item) for item in value)
    return 0
