"""Intercom's search query language, evaluated over rendered items.

A query is a single filter ``{"field", "operator", "value"}`` or a group
``{"operator": "AND" | "OR", "value": [queries]}`` (nested groups allowed). Operators:
``=``, ``!=``, ``IN``, ``NIN``, ``<``, ``>``, ``~`` (contains), ``!~`` (does not contain), ``^``
(starts with), ``$`` (ends with). Text comparisons ignore case, as Intercom's do. A field is a dotted
path into the item (``custom_attributes.plan``, ``source.author.email``) or one of the resource's
aliases (``tag_id``, ``contact_ids``...); a field whose value is a list matches when any element does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._errors import bad_request

__all__ = ["OPERATORS", "matches", "sort_items", "validate_query"]

OPERATORS = ("=", "!=", "IN", "NIN", "<", ">", "~", "!~", "^", "$")
_MISSING = object()

Aliases = Mapping[str, Callable[[Mapping[str, Any]], Any]]


def validate_query(query: Any, depth: int = 0) -> None:
    """400 ``invalid_query`` for a malformed query (unknown operator, a group without a list...)."""
    if not isinstance(query, Mapping):
        raise bad_request("query must be an object", "invalid_query", "query")
    if depth > 2:
        raise bad_request("query nesting is limited to two levels", "invalid_query", "query")
    operator = query.get("operator")
    if operator in ("AND", "OR"):
        value = query.get("value")
        if not isinstance(value, list) or not value:
            raise bad_request(f"{operator} needs a non-empty list of queries as value", "invalid_query")
        for sub in value:
            validate_query(sub, depth + 1)
        return
    if operator not in OPERATORS:
        raise bad_request(
            f"unsupported operator {operator!r}; one of {', '.join(OPERATORS)}", "invalid_query"
        )
    if not isinstance(query.get("field"), str) or not query["field"]:
        raise bad_request("a filter needs a field", "invalid_query", "field")
    if "value" not in query:
        raise bad_request(f"the filter on {query['field']} needs a value", "invalid_query", "value")
    if operator in ("IN", "NIN") and not isinstance(query["value"], list):
        raise bad_request(f"{operator} needs a list value", "invalid_query", "value")


def lookup(item: Mapping[str, Any], field: str, aliases: Aliases) -> Any:
    if field in aliases:
        return aliases[field](item)
    value: Any = item
    for part in field.split("."):
        if type(value) is dict or isinstance(value, Mapping):
            try:
                value = value[part]
            except KeyError:
                return _MISSING
        else:
            return _MISSING
    return value


def _norm(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(actual: Any, operator: str, expected: Any) -> bool:
    if operator in ("IN", "NIN"):
        found = any(_compare(actual, "=", e) for e in expected)
        return found if operator == "IN" else not found
    if operator == "!=":
        return not _compare(actual, "=", expected)
    if operator == "!~":
        return not _compare(actual, "~", expected)
    if actual is _MISSING:
        actual = None
    if operator == "=":
        if type(actual) is str and type(expected) is str:  # the common case, without number parsing
            return actual.lower() == expected.lower()
        if expected is None or actual is None:
            return actual is expected
        if isinstance(actual, bool) or isinstance(expected, bool):
            return str(actual).lower() == str(expected).lower()
        a, e = _number(actual), _number(expected)
        if a is not None and e is not None and not (isinstance(actual, str) and isinstance(expected, str)):
            return a == e
        return bool(_norm(str(actual)) == _norm(str(expected)))
    if operator in ("<", ">"):
        a, e = _number(actual), _number(expected)
        if a is None or e is None:
            return False
        return a < e if operator == "<" else a > e
    if actual is None or expected is None:
        return False
    text, part = str(actual).lower(), str(expected).lower()
    if operator == "~":
        return part in text
    if operator == "^":
        return text.startswith(part)
    return text.endswith(part)  # "$"


def matches(item: Mapping[str, Any], query: Mapping[str, Any], aliases: Aliases) -> bool:
    operator = query["operator"]
    if operator == "AND":
        return all(matches(item, q, aliases) for q in query["value"])
    if operator == "OR":
        return any(matches(item, q, aliases) for q in query["value"])
    actual = lookup(item, query["field"], aliases)
    expected = query["value"]
    if isinstance(actual, list):
        hits = [_compare(a, operator.lstrip("!").replace("NIN", "IN"), expected) for a in actual]
        if operator in ("!=", "!~", "NIN"):
            return not any(hits)
        return any(hits)
    return _compare(actual, operator, expected)


def sort_items(items: Sequence[Mapping[str, Any]], sort: Any, aliases: Aliases) -> list[Mapping[str, Any]]:
    """``sort = {"field", "order": "ascending" | "descending"}``; items without the field go last."""
    if not isinstance(sort, Mapping) or not isinstance(sort.get("field"), str):
        return list(items)
    order = sort.get("order", "ascending")
    if order not in ("ascending", "descending"):
        raise bad_request("sort order is ascending or descending", "invalid_query", "sort")
    field = sort["field"]

    def key(item: Mapping[str, Any]) -> tuple[int, Any]:
        value = lookup(item, field, aliases)
        if value is _MISSING or value is None:
            return (1, "")
        number = _number(value)
        return (0, number) if number is not None else (0, str(value).lower())

    present = [i for i in items if key(i)[0] == 0]
    absent = [i for i in items if key(i)[0] == 1]
    try:
        present.sort(key=key, reverse=order == "descending")
    except TypeError:  # numbers and text mixed: compare as text
        present.sort(key=lambda i: str(key(i)[1]), reverse=order == "descending")
    return present + absent
