"""Pass 3b: names by meaning for enum members whose values are symbols.

openapi-python-client names a string enum member after its value when the value starts with a
letter (``"contains"`` -> ``CONTAINS``) and ``VALUE_<index>`` otherwise, so Intercom's search
operators read ``SingleFilterSearchRequestOperator.VALUE_0`` for ``=``. The generator honours an
``x-enum-varnames`` list on the schema; this pass writes one for every string enum of the document
that has a value in :data:`SYMBOL_NAMES`: symbols get their meaning, word values keep the name the
generator gives them, any other value keeps ``VALUE_<index>``. A name that would collide with
another member's keeps ``VALUE_<index>`` too. The rule is general: it applies to every enum, not to
a list of schemas.
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas

#: Enum value -> member name.
SYMBOL_NAMES = {
    "=": "EQ",
    "!=": "NE",
    ">": "GT",
    "<": "LT",
    ">=": "GE",
    "<=": "LE",
    "~": "CONTAINS",
    "!~": "NOT_CONTAINS",
    "^": "STARTS_WITH",
    "$": "ENDS_WITH",
}


def member_names(values: list[Any]) -> list[str] | None:
    """``x-enum-varnames`` for an enum's values, or None when no value is a known symbol."""
    if not any(isinstance(v, str) and v in SYMBOL_NAMES for v in values):
        return None
    # The generator's own names first, so a symbol never takes a word value's name.
    names = [v.upper() if v and v[0].isalpha() else f"VALUE_{i}" for i, v in enumerate(values)]
    for i, value in enumerate(values):
        meaning = SYMBOL_NAMES.get(value)
        if meaning and meaning not in names:
            names[i] = meaning
    return names


def apply(spec: dict[str, Any]) -> list[str]:
    notes = []
    for path, schema in all_schemas(spec):
        values = schema.get("enum")
        if (
            schema.get("type") not in (None, "string")
            or not isinstance(values, list)
            or "x-enum-varnames" in schema
        ):
            continue
        if not all(isinstance(v, str) for v in values):
            continue
        names = member_names(values)
        if names is not None:
            schema["x-enum-varnames"] = names
            notes.append(f"{path}: members {', '.join(names)}")
    return notes
