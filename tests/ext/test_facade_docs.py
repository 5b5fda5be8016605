"""help() on every facade method carries the spec's documentation: computed from the repaired spec,
for every operation of every version, the operation's description and every described path, query,
header and body parameter's description (every variant's, for a union body such as a reply) are in
the method's docstring (100 %), as are its summary
and its page on Intercom's developer site. Resources carry their tag's description.

Text is compared as word sequences (letters and digits), so Markdown markup, wrapping and the
Markdoc admonition tags (``{% admonition ... %}``, which become a "Warning: <name>." line) do not
matter; the words of each description (of each part between such tags) must appear in the
docstring in the same order, together.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pydoc
import re
from typing import Any

import pytest

from codegen.naming import resource_for
from codegen.spec import operations
from codegen.spec_props import declared_properties, resolve
from tests._specs import VERSIONS, repaired_spec

FACADES = {v.name: importlib.import_module(f"{v.package}.facade") for v in VERSIONS}
_MARKDOC = re.compile(r"\{%.*?%\}", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
#: A fence's language (```json): the docstring shows the block indented, without it.
_FENCE = re.compile(r"```[\w+-]*")


def _words(text: str) -> str:
    text = _TAG.sub(" ", _MARKDOC.sub(" ", _FENCE.sub(" ", html.unescape(text))))
    return " " + " ".join(re.findall(r"[A-Za-z0-9]+", text)).lower() + " "


def _contains(doc: str, text: str) -> bool:
    """Whether ``doc``'s words hold those of ``text``; a Markdoc tag ends a run of words (the
    docstring puts its label, "Warning: ...", there)."""
    words = _words(doc)
    return all(_words(part) in words for part in _MARKDOC.split(text) if _words(part).strip())


def _members(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The members of a union schema, nested unions flattened; ``[schema]`` for any other."""
    resolved = resolve(spec, schema)
    members = resolved.get("oneOf") or resolved.get("anyOf")
    if not members:
        return [schema]
    return [m for member in members for m in _members(spec, member)]


def _described(spec: dict[str, Any], path: str, op: dict[str, Any]) -> list[tuple[str, str]]:
    """(what, description) for the operation and each of its described parameters."""
    out = [("description", str(op.get("description") or ""))]
    params = [*(spec["paths"][path].get("parameters") or []), *(op.get("parameters") or [])]
    for param in params:
        param = resolve(spec, param)
        out.append((f"{param.get('in')} parameter {param.get('name')}", str(param.get("description") or "")))
    body = resolve(spec, op.get("requestBody") or {})
    for media in (body.get("content") or {}).values():
        schema = media.get("schema") or {}
        fields = [  # every variant of a union body counts, with its own description of a field
            (name, prop)
            for member in _members(spec, schema)
            for name, prop in declared_properties(spec, member).items()
        ]
        if fields:
            for name, prop in fields:
                out.append((f"body field {name}", str(resolve(spec, prop).get("description") or "")))
        else:
            out.append(("body", str(body.get("description") or "")))
    return [(what, text) for what, text in out if _words(text).strip()]


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
def test_help_carries_every_description_of_every_operation(version: str) -> None:
    spec = repaired_spec(version)
    facade = FACADES[version]
    client = facade.Intercom(token="t")
    by_route = {(o.method, o.path): o for o in facade.OPERATIONS}
    checked = 0
    missing: list[str] = []
    for path, method, op in operations(spec):
        row = by_route[(method.upper(), path)]
        fn = getattr(getattr(client, row.resource), row.verb)
        shown = pydoc.render_doc(fn, renderer=pydoc.plaintext)
        for what, text in [("summary", str(op.get("summary") or "")), *_described(spec, path, op)]:
            checked += 1
            if not _contains(shown, text):
                missing.append(f"{method.upper()} {path} ({row.resource}.{row.verb}): {what}")
        if row.docs_url not in shown:
            missing.append(f"{method.upper()} {path}: docs URL")
    assert missing == [], f"{len(missing)} of {checked} descriptions missing: {missing[:15]}"
    assert checked > 300


@pytest.mark.parametrize("version", [v.name for v in VERSIONS])
def test_resources_carry_their_tag_description_and_methods_are_google_style(version: str) -> None:
    spec = repaired_spec(version)
    facade = FACADES[version]
    client = facade.Intercom(token="t")
    tags = {t["name"]: t for t in spec.get("tags") or []}
    for row in facade.OPERATIONS:
        resource = getattr(client, row.resource)
        tag = next((t for t in tags.values() if resource_for(t["name"]) == row.resource), None)
        if tag is not None:  # (Unstable uses two tags it does not declare: Export, Folders)
            assert _contains(inspect.getdoc(type(resource)) or "", tag.get("description") or "")
        doc = inspect.getdoc(getattr(resource, row.verb)) or ""
        sections = [line for line in doc.splitlines() if line in ("Args:", "Returns:", "Raises:")]
        assert sections == ["Args:", "Returns:", "Raises:"], f"{row.resource}.{row.verb}"
    assert "Args:" in (inspect.getdoc(facade.Intercom) or "")


def test_a_method_docstring_reads_well() -> None:
    from intercom_ext import v2_11

    doc = inspect.getdoc(v2_11.Intercom(token="t").conversations.list) or ""
    assert doc.startswith("List all conversations.\n\nYou can fetch a list of all conversations.")
    assert "per_page (int, optional): How many results per page. Server default: 20." in " ".join(doc.split())
    assert "AuthenticationError: HTTP 401. Unauthorized." in doc
    assert "cursor pagination" in doc
    assert doc.endswith("api.intercom.io/conversations/listconversations")
