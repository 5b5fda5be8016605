"""Repair: a string ``format`` that the schema's own example or length bounds rule out.

Upstream defect: ``create_conversation_request_from.id`` (2.10, 2.11, Unstable) is declared
``format: uuid`` with ``minLength: 24``, ``maxLength: 24`` and the example
``536e564f316c83104c000020`` -- an Intercom id (24 hex digits), not a UUID. No value satisfies the
schema (a UUID has 36 characters), so a validating server rejects every ``POST /conversations``
(Prism: "must match format uuid" / "must NOT have more than 24 characters"), and
openapi-python-client types the field as ``UUID``: a caller cannot pass a real contact id, and the
spec's own request example makes the generated ``from_dict`` raise ``ValueError``.

Rule: a ``format`` with a fixed shape (``uuid``, ``date-time``, ``date``, ``email``, ``ipv4``...) is
removed from a string schema when the schema's own ``example`` is a string that does not have that
format, or when its ``minLength``/``maxLength`` exclude every value of that format. The
description records the removed format. Formats without a checkable shape are left alone.
"""

from __future__ import annotations

from typing import Any

from openapi_schema_validator import oas30_format_checker

from codegen.spec import all_schemas

#: Length range (min, max) of every value of a format; None: unbounded.
_LENGTHS: dict[str, tuple[int, int | None]] = {
    "uuid": (36, 36),
    "date": (10, 10),
    "date-time": (20, None),
    "email": (3, None),
    "ipv4": (7, 15),
}


def _conflict(schema: dict[str, Any]) -> str | None:
    fmt = schema.get("format")
    if not isinstance(fmt, str) or fmt not in _LENGTHS or schema.get("type") not in (None, "string"):
        return None
    example = schema.get("example")
    if isinstance(example, str) and not oas30_format_checker.conforms(example, fmt):
        return f"example {example!r} is not a {fmt}"
    low, high = _LENGTHS[fmt]
    max_length, min_length = schema.get("maxLength"), schema.get("minLength")
    if isinstance(max_length, int) and max_length < low:
        return f"maxLength {max_length} is shorter than any {fmt}"
    if isinstance(min_length, int) and high is not None and min_length > high:
        return f"minLength {min_length} is longer than any {fmt}"
    return None


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for where, schema in list(all_schemas(spec)):
        reason = _conflict(schema)
        if reason is None:
            continue
        fmt = schema.pop("format")
        text = schema.get("description") or ""
        schema["description"] = f"{text}\n\n(Declared `format: {fmt}` upstream; {reason}.)".strip()
        notes.append(f"{where}: dropped format {fmt} ({reason})")
    return notes
