"""Honest annotations: every attribute of every response model of every version reads a value that
is an instance of its annotation, whatever the API sends, and to_dict() gives back what was sent.

Payloads are synthesised from each model's field table (tests/codegen/_model_samples.py), then
mutated the ways real responses differ from the spec: a property dropped, ``null``, an off-type
scalar, an unknown enum value, an unknown extra property - exhaustively at the top level of every
model, and by hypothesis anywhere in nested payloads. Unions are discriminated: every variant of
every union, built from its own fields, parses as that variant.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
from _model_samples import model_sample, response_model_classes, violations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intercom_ext import NOT_GIVEN
from intercom_ext import _model as m
from tests._specs import VERSIONS

CLASSES = {v.name: response_model_classes(v.package) for v in VERSIONS}
OFF_TYPE: dict[type, Any] = {str: 12.5, int: "twelve", float: "x", bool: "yes", list: "x", dict: 7}


def _mutations(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [("extra", {**payload, "zz_unknown_property": {"nested": [1]}})]
    for key, value in payload.items():
        dropped = dict(payload)
        del dropped[key]
        out.append((f"drop {key}", dropped))
        out.append((f"null {key}", {**payload, key: None}))
        if value is not None:
            out.append((f"off-type {key}", {**payload, key: OFF_TYPE.get(type(value), "x")}))
        if isinstance(value, str):
            out.append((f"unknown enum {key}", {**payload, key: "zz_new_value"}))
    return out


def _check(cls: type[Any], payload: dict[str, Any]) -> list[str]:
    sent = copy.deepcopy(payload)
    obj = cls.from_dict(payload)
    problems = violations(obj)
    if obj.to_dict() != sent:
        problems.append(f"to_dict() differs: {obj.to_dict()!r} != {sent!r}")
    return problems


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
def test_every_single_top_level_mutation_reads_honestly_and_round_trips(version: str) -> None:
    classes = CLASSES[version]
    assert len(classes) > 100
    problems: list[str] = []
    reads = 0
    for cls in classes:
        payload = model_sample(cls)
        problems += [f"{cls.__name__} (valid): {p}" for p in _check(cls, payload)]
        for label, mutated in _mutations(payload):
            reads += 1
            problems += [f"{cls.__name__} ({label}): {p}" for p in _check(cls, mutated)]
    assert problems == [], problems[:20]
    assert reads > 2000


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*prefix, key))
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


def _mutate(payload: Any, path: tuple[Any, ...], how: str) -> Any:
    out = copy.deepcopy(payload)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "drop" and isinstance(parent, dict):
        del parent[last]
    elif how == "null":
        parent[last] = None
    elif how == "off-type":
        parent[last] = OFF_TYPE.get(type(parent[last]), "x")
    elif how == "unknown enum" and isinstance(parent[last], str):
        parent[last] = "zz_new_value"
    elif how == "extra" and isinstance(parent[last], dict):
        parent[last]["zz_unknown_property"] = True
    return out


ALL = [(v, cls) for v, classes in CLASSES.items() for cls in classes]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_nested_mutations_anywhere_read_honestly_and_round_trip(data: st.DataObject) -> None:
    _version, cls = data.draw(st.sampled_from(ALL), label="model")
    payload = model_sample(cls)
    paths = _paths(payload)
    if not paths:
        return
    path = data.draw(st.sampled_from(paths), label="path")
    how = data.draw(st.sampled_from(["drop", "null", "off-type", "unknown enum", "extra"]), label="mutation")
    assert _check(cls, _mutate(payload, path, how)) == []


def _unions(shape: m.Shape) -> list[m.OneOf]:
    if isinstance(shape, m.OneOf):
        return [shape, *(u for member in shape.members for u in _unions(member))]
    if isinstance(shape, m.ListOf):
        return _unions(shape.item)
    return []


def _minimal(cls: type[Any]) -> dict[str, Any]:
    """The variant's required properties and constants only (what tells it from a wider sibling)."""
    full = model_sample(cls)
    return {k: v for k, v in full.items() if k in cls._required_keys or k in cls._consts}


def _twins(a: type[Any], b: type[Any]) -> bool:
    """Variants no payload can tell apart: the same keys, required keys and constants."""
    return (a._json_keys, a._required_keys, a._consts) == (b._json_keys, b._required_keys, b._consts)


def union_variants(version: str) -> tuple[int, int, list[str]]:
    """(unions, variants, twins): every model variant of every union of ``version``'s response
    models is parsed from its full sample and from its minimal one; ``twins`` lists the variants
    that parse as an identical earlier variant (declared order decides, as documented)."""
    unions: set[int] = set()
    variants = 0
    twins: list[str] = []
    for cls in CLASSES[version]:
        for name, _key, shape in cls._fields:
            for union in _unions(shape):
                unions.add(id(union))
                for variant in union.models:
                    variants += 1
                    samples = [model_sample(variant), _minimal(variant)]
                    got = [type(union.parse(sample)) for sample in samples if sample]
                    if variant in got:
                        continue
                    other = got[0]
                    where = f"{cls.__name__}.{name}: a {variant.__name__} parsed as {other.__name__}"
                    assert _twins(variant, other), where
                    assert union.models.index(other) < union.models.index(variant), where
                    twins.append(where)
    return len(unions), variants, twins


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
def test_every_variant_of_every_union_parses_as_that_variant(version: str) -> None:
    unions, variants, twins = union_variants(version)
    assert unions >= 5
    assert variants >= 5
    # Twins (identical declared shape, e.g. Unstable's conversation-attribute updates by admin and
    # by user) cannot be told apart from the object itself; each parsed as its earlier twin above.
    assert len(twins) < variants / 4, twins


def test_newsfeed_items_are_told_apart_by_their_type() -> None:
    from intercom_v2_10.models import Newsfeed, NewsItem, PaginatedResponse

    page = PaginatedResponse.from_dict(
        {
            "type": "list",
            "data": [{"type": "newsfeed", "id": "1", "name": "Feed"}, {"type": "news-item", "id": "2"}],
        }
    )
    assert page.data is not None
    assert [type(item) for item in page.data] == [Newsfeed, NewsItem]


def test_absent_null_and_off_type_values_read_none_and_are_kept(caplog: pytest.LogCaptureFixture) -> None:
    from intercom_v2_11.models import Contact

    sent = {"type": "contact", "id": 123, "created_at": "1700000000", "updated_at": [1], "email": None}
    with caplog.at_level(logging.DEBUG, logger="intercom_ext.models"):
        contact = Contact.from_dict(sent)
    assert contact.id == "123"  # lossless coercion
    assert contact.created_at == 1700000000
    assert contact.updated_at is None  # does not fit: reads as absent
    assert contact.raw("updated_at") == [1]  # ...kept as sent
    assert contact.email is None and contact.raw("email") is None
    assert contact.name is None and contact.raw("name") is NOT_GIVEN
    assert contact.to_dict() == sent
    assert "Contact.updated_at: received a JSON array" in caplog.text
    contact.updated_at = 5  # an assignment wins over what was kept
    assert contact.to_dict()["updated_at"] == 5


def test_mypy_makes_the_reader_handle_a_missing_value(tmp_path: Any) -> None:
    """``created_at`` may be missing: using it unchecked is a type error, the checked form is not."""
    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from intercom_ext import v2_11\n"
        "def unchecked(contact: v2_11.models.Contact) -> int:\n"
        "    return contact.created_at + 1\n"
        "def checked(contact: v2_11.models.Contact) -> int:\n"
        "    if contact.created_at is None:\n"
        "        return 0\n"
        "    return contact.created_at + 1\n"
    )
    stdout, _stderr, _status = api.run(
        [str(snippet), "--strict", "--no-error-summary", "--hide-error-context"]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, stdout
    assert "snippet.py:3:" in errors[0]
    assert 'Unsupported operand types for + ("None" and "int")' in errors[0]


def test_request_model_unions_are_discriminated_too() -> None:
    """Request models' from_dict picks a union variant by the same rule (never the first that builds)."""
    from intercom_v2_11 import models

    customer = models.AttachContactToConversationRequest.from_dict({"customer": {"email": "a@x.io"}}).customer
    assert type(customer) is models.AttachContactToConversationRequestCustomerEmail
    customer = models.AttachContactToConversationRequest.from_dict({"customer": {"user_id": "u1"}}).customer
    assert type(customer) is models.AttachContactToConversationRequestCustomerUserId
    multiple = {"operator": "AND", "value": [{"field": "email", "operator": "=", "value": "a@x.io"}]}
    query = models.SearchRequest.from_dict({"query": multiple}).query
    assert type(query) is models.MultipleFilterSearchRequest
    single = models.SearchRequest.from_dict(
        {"query": {"field": "email", "operator": "=", "value": "x"}}
    ).query
    assert type(single) is models.SingleFilterSearchRequest


def test_readme_table_matches_these_suites() -> None:
    """The "Honest types" table (docs/maintainers/codegen.md) gives the figures these tests compute."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "docs" / "maintainers" / "codegen.md").read_text(
        encoding="utf-8"
    )
    names = [v.name for v in VERSIONS]
    stats = {v: union_variants(v) for v in names}
    rows = {
        "response models (annotated `T \\| None`, runtime values checked)": [
            str(len(CLASSES[v])) for v in names
        ],
        "single top-level mutations checked (drop, `null`, off-type, unknown enum, extra)": [
            f"{sum(len(_mutations(model_sample(c))) for c in CLASSES[v]):,}" for v in names
        ],
        "unions discriminated / all unions in response models": [
            f"{stats[v][0]} / {stats[v][0]}" for v in names
        ],
        "union model variants parsing as themselves": [
            f"{stats[v][1] - len(stats[v][2])} / {stats[v][1]}"
            + (f" ({len(stats[v][2])} identical twins)" if stats[v][2] else "")
            for v in names
        ],
    }
    for label, cells in rows.items():
        assert f"| {label} | {' | '.join(cells)} |" in readme, label
