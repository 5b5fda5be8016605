"""The facade's codegen: the naming rule and its exception tables on real operationIds, the
pagination-style rule, the enum member names, the docs URL rule, the Markdown converter, and the
raw render (before ruff) is lint-clean."""

from __future__ import annotations

import copy
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen import enum_names
from codegen.docs import docs_url, markdown_text
from codegen.facade import render
from codegen.generate import run_generator
from codegen.manifest import BUILD_DIR, ROOT
from codegen.naming import (
    EXPORTS,
    PAGINATION_OVERRIDES,
    VERB_EXCEPTIONS,
    pagination_style,
    resource_for,
    verb_for,
)
from codegen.spec import operations
from tests._specs import VERSIONS, repaired_spec

SPEC_OPS = {
    v.name: {str(op["operationId"]): (m.upper(), p, op) for p, m, op in operations(repaired_spec(v.name))}
    for v in VERSIONS
}
FACADES = {v.name: importlib.import_module(f"{v.package}.facade") for v in VERSIONS}


def _spec_op(operation_id: str) -> tuple[str, str, str, dict[str, Any]]:
    for version, ops in SPEC_OPS.items():
        if operation_id in ops:
            method, path, op = ops[operation_id]
            return version, method, path, op
    raise AssertionError(f"{operation_id} is not an operationId of any pinned spec")


# (operationId, its first tag, the method name): real operationIds, one per clause of the rule.
VERBS = [
    ("ShowContact", "Contacts", "get"),  # show -> get, the resource's singular dropped
    ("retrieveAdmin", "Admins", "get"),  # retrieve -> get
    ("RetrieveACompanyById", "Companies", "get_by_id"),  # filler "a" dropped
    ("ListContacts", "Contacts", "list"),  # the resource's plural dropped
    ("lisDataAttributes", "Data Attributes", "list"),  # the spec's typo "lis" -> list; two-word resource
    ("createDataAttribute", "Data Attributes", "create"),  # singular two-word resource
    ("listCompaniesForAContact", "Contacts", "list_companies"),  # trailing preposition dropped
    ("attachContactToACompany", "Companies", "attach_contact"),
    ("scrollOverAllCompanies", "Companies", "scroll"),  # "all" and the trailing "over" dropped
    ("attachTagToContact", "Tags", "attach_to_contact"),
    ("identifyAdmin", "Admins", "identify"),
    ("listActivityLogs", "Admins", "list_activity_logs"),  # another resource's words stay
    ("retrieveVisitorWithUserId", "Visitors", "get_with_user_id"),
    ("SearchContacts", "Contacts", "search"),
    ("MergeContact", "Contacts", "merge"),
]


@pytest.mark.parametrize(("operation_id", "tag", "verb"), VERBS, ids=[v[0] for v in VERBS])
def test_verb_rule_on_real_operation_ids(operation_id: str, tag: str, verb: str) -> None:
    version, method, path, op = _spec_op(operation_id)
    assert op["tags"][0] == tag
    resource = resource_for(tag)
    assert verb_for(operation_id, resource) == verb
    facade_ops = {(o.method, o.path): o for o in FACADES[version].OPERATIONS}
    assert (facade_ops[(method, path)].resource, facade_ops[(method, path)].verb) == (resource, verb)


@pytest.mark.parametrize("operation_id", sorted(VERB_EXCEPTIONS))
def test_every_verb_exception_is_a_real_operation_the_facade_names_so(operation_id: str) -> None:
    version, method, path, op = _spec_op(operation_id)
    resource = resource_for(op["tags"][0])
    facade_ops = {(o.method, o.path): o for o in FACADES[version].OPERATIONS}
    assert facade_ops[(method, path)].verb == VERB_EXCEPTIONS[operation_id]
    assert verb_for(operation_id, resource) == VERB_EXCEPTIONS[operation_id]


def test_verb_exceptions_are_needed() -> None:
    """Without its exception each of these reads badly or collides with another operation's name."""
    saved = dict(VERB_EXCEPTIONS)
    try:
        VERB_EXCEPTIONS.clear()
        assert verb_for("createPhoneSwitch", "switch") == "create_phone"
        assert verb_for("dataEventSummaries", "data_events") == "data_event_summaries"
        assert verb_for("detachSubscriptionTypeToContact", "subscription_types") == "detach_to_contact"
        clash = verb_for("getWhatsAppMessageStatus", "messages")
        others = [
            verb_for(str(op["operationId"]), "messages")
            for oid, (_m, _p, op) in SPEC_OPS["Preview"].items()
            if oid != "getWhatsAppMessageStatus" and op["tags"][0] == "Messages"
        ]
        assert clash in others
    finally:
        VERB_EXCEPTIONS.update(saved)


# (version, METHOD, path, style): one real list operation per clause of the rule.
STYLES = [
    ("2.11", "GET", "/contacts", "CURSOR"),  # starting_after query
    ("2.11", "GET", "/companies/scroll", "SCROLL"),  # scroll_param query
    ("2.11", "POST", "/contacts/search", "SEARCH"),  # body with `pagination`
    ("2.11", "GET", "/articles", "PAGE"),  # page query
    ("2.10", "GET", "/contacts", "CURSOR"),  # PAGINATION_OVERRIDES: the spec declares no paging
    ("Preview", "POST", "/conversations/search", "SEARCH"),
]


def _paging_inputs(version: str, method: str, path: str) -> tuple[set[str], set[str]]:
    spec = repaired_spec(version)
    op = spec["paths"][path][method.lower()]
    query = {p["name"] for p in op.get("parameters") or [] if p.get("in") == "query"}
    from codegen.spec_props import declared_properties

    body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
    return query, set(declared_properties(spec, body)) if body else set()


@pytest.mark.parametrize(("version", "method", "path", "style"), STYLES)
def test_pagination_style_rule_on_real_operations(version: str, method: str, path: str, style: str) -> None:
    query, body = _paging_inputs(version, method, path)
    assert pagination_style(version, method, path, query, body) == style
    facade_ops = {(o.method, o.path): o for o in FACADES[version].OPERATIONS}
    assert facade_ops[(method, path)].style == style


def test_a_non_list_operation_has_no_pagination_style() -> None:
    query, body = _paging_inputs("2.11", "GET", "/contacts/{contact_id}")
    assert pagination_style("2.11", "GET", "/contacts/{contact_id}", query, body) is None


@pytest.mark.parametrize("key", sorted(PAGINATION_OVERRIDES))
def test_every_pagination_override_is_a_real_operation_without_paging_parameters(
    key: tuple[str, str, str],
) -> None:
    version, method, path = key
    query, body = _paging_inputs(version, method, path)
    assert pagination_style("none", method, path, query, body) is None, "the rule alone would do"
    facade_ops = {(o.method, o.path): o for o in FACADES[version].OPERATIONS}
    assert facade_ops[(method, path)].style == PAGINATION_OVERRIDES[key]


@pytest.mark.parametrize("resource", sorted(EXPORTS))
def test_every_export_walks_a_paged_operation_and_the_client_has_it(resource: str) -> None:
    verb, _overlap = EXPORTS[resource]
    for version, facade in FACADES.items():
        ops = {(o.resource, o.verb): o for o in facade.OPERATIONS}
        assert ops[(resource, verb)].style in ("SEARCH", "SCROLL"), version
        assert callable(getattr(facade.Intercom(token="t"), resource).export)


def test_enum_members_named_by_meaning_words_keep_their_names() -> None:
    values = ["=", "!=", "IN", "NIN", "<", ">", "~", "!~", "^", "$", ">=", "<="]
    names = ["EQ", "NE", "IN", "NIN", "LT", "GT", "CONTAINS", "NOT_CONTAINS", "STARTS_WITH", "ENDS_WITH"]
    assert enum_names.member_names(values) == [*names, "GE", "LE"]
    assert enum_names.member_names(["draft", "published"]) is None  # no symbol: untouched
    # a word value keeps its name; the symbol that would take it keeps the generator's
    assert enum_names.member_names(["contains", "~"]) == ["CONTAINS", "VALUE_1"]
    from intercom_ext import v2_11

    op = v2_11.models.SingleFilterSearchRequestOperator
    assert (op.EQ.value, op.NE.value, op.CONTAINS.value, op.IN.value) == ("=", "!=", "~", "IN")
    assert not [m for m in op if m.name.startswith("VALUE_")]


def test_docs_url_rule() -> None:
    server = "https://api.intercom.io"
    assert (
        docs_url("2.11", server, "Data Attributes", "lisDataAttributes")
        == "https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/data-attributes/lisdataattributes"
    )
    assert docs_url("Unstable", server, "AI Content", "listContentImportSources").startswith(
        "https://developers.intercom.com/docs/references/unstable/rest-api/api.intercom.io/ai-content/"
    )
    ops = {(o.resource, o.verb): o for o in FACADES["2.11"].OPERATIONS}
    assert ops[("contacts", "get")].docs_url.endswith("/2.11/rest-api/api.intercom.io/contacts/showcontact")


def test_markdown_becomes_readable_text_with_links_as_urls() -> None:
    text = markdown_text(
        "Use **bold** and `code`. See [the guide](https://example.com/g).\n\n"
        '{% admonition type="warning" name="Paging" %}\n  Pages hold 50.\n{% /admonition %}\n'
        "* one\n* two\n\n| Field | Type |\n|---|---|\n| id | String |\n"
    )
    assert text.split("\n\n") == [
        "Use bold and `code`. See the guide (https://example.com/g).",
        "Warning: Paging.",
        "Pages hold 50.",
        "- one\n- two",
        "Field | Type\nid | String",
    ]


RENDERED = [v for v in VERSIONS if v.name in ("2.11", "Preview")]


@pytest.mark.parametrize("version", RENDERED, ids=lambda v: v.name)
def test_raw_render_is_lint_clean_before_ruff(version: Any) -> None:
    """The templates' output (the facade, every resource module, ``params.py``, the shapes) passes
    ``ruff check --no-fix`` (imports sorted, none unused) as rendered."""
    spec = copy.deepcopy(repaired_spec(version.name))
    enum_names.apply(spec)
    BUILD_DIR.mkdir(exist_ok=True)
    out = BUILD_DIR / "facade-render" / version.package
    data, warnings, env = run_generator(spec, version.package, out)
    assert data is not None and env is not None and warnings == []
    files, _ops = render(env, version, spec, data)
    raw = out / "raw"
    for name, text in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--no-fix", "--config", "codegen/ruff-generated.toml", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
