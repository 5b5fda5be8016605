"""The generated reference pages (``docsgen.reference``), without building the site (in ``make test``)."""

from __future__ import annotations

import ast
import re
import uuid
from typing import Any

from codegen.manifest import load_manifest
from docsgen import reference

VERSIONS = reference.load_versions()
PAGES = dict(reference.pages(VERSIONS))


def test_one_section_per_manifest_version() -> None:
    assert [d.version.name for d in VERSIONS] == [v.name for v in load_manifest()]
    nav = reference.nav(VERSIONS)
    assert [next(iter(e)) for e in nav[1:]] == [f"API {v.name}" for v in load_manifest()]
    for doc in VERSIONS:
        assert (
            f"reference/{doc.module}/index.md" in PAGES and f"reference/{doc.module}/models/index.md" in PAGES
        )


def test_every_operation_has_its_directive_and_an_example_that_parses() -> None:
    total = 0
    for doc in VERSIONS:
        assert len(doc.operations) == len(doc.facade.OPERATIONS)
        for op in doc.operations:
            page = PAGES[f"reference/{doc.module}/{op.resource}.md"]
            assert f"::: {doc.qualname(op.resource, op.verb)}\n" in page, (doc.version.name, op)
            example = reference.example_call(doc, op)
            ast.parse(example)
            assert f"client.{op.resource}.{op.verb}(" in example
            total += 1
    assert total == sum(len(d.facade.OPERATIONS) for d in VERSIONS) > 300


def test_example_passes_required_arguments() -> None:
    doc = next(d for d in VERSIONS if d.module == "v2_11")
    ops = {(op.resource, op.verb): op for op in doc.operations}
    assert 'client.contacts.get("<contact_id>")' in reference.example_call(doc, ops["contacts", "get"])
    listing = reference.example_call(doc, ops["contacts", "list"])
    assert "for item in client.contacts.list():" in listing and "cursor pagination" in listing
    contact = reference.example_call(doc, ops["contacts", "create"])  # the spec's request example
    assert 'client.contacts.create(email="joebloggs@intercom.io")' in contact
    # the spec's examples send ids as numbers where strings are declared: the required arguments
    ticket = reference.example_call(doc, ops["tickets", "create"])
    assert 'client.tickets.create(ticket_type_id="<ticket_type_id>", contacts=[])' in ticket
    reply = reference.example_call(doc, ops["conversations", "reply"])  # a union body, as keywords
    assert 'reply("<conversation_id>", message_type="comment", type="user", ' in reply


def test_every_example_call_type_checks(tmp_path: Any) -> None:
    """The reference's example calls of one version pass mypy --strict."""
    from mypy import api

    doc = next(d for d in VERSIONS if d.module == "v2_11")
    blocks = [reference.example_call(doc, op).split("\n\n", 1)[1] for op in doc.operations]
    lines = ["from intercom_ext import v2_11"]
    for i, block in enumerate(blocks):
        lines += ["", "", f"def example_{i}() -> None:", *(f"    {line}" for line in block.splitlines())]
    path = tmp_path / f"reference_examples_{uuid.uuid4().hex[:8]}.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stdout, _stderr, _status = api.run(["--strict", "--no-error-summary", str(path)])
    assert [line for line in stdout.splitlines() if ": error:" in line] == [], stdout[-4000:]


def test_method_table_links_each_method_anchor() -> None:
    doc = VERSIONS[0]
    resource = doc.resources()[0]
    page = PAGES[f"reference/{doc.module}/{resource}.md"]
    links = re.findall(r"\[`(\w+)`\]\(#([\w.]+)\)", page)
    verbs = [op.verb for op in doc.operations if op.resource == resource]
    assert links == [(v, doc.qualname(resource, v)) for v in verbs]


def test_models_are_split_one_page_per_resource_and_each_model_is_on_exactly_one() -> None:
    for doc in VERSIONS:
        groups = reference.model_groups(doc)
        placed = [cls for items in groups.values() for _, cls in items]
        assert sorted(placed) == sorted(cls for _, cls in reference.model_names(doc)), doc.version.name
        assert len(placed) == len(set(placed))
        assert set(groups) <= {*doc.resources(), reference.OTHER}
        for group, items in groups.items():
            page = PAGES[f"reference/{doc.module}/models/{group}.md"]
            assert page.count("\n::: ") + page.startswith("::: ") == len(items)
        index = PAGES[f"reference/{doc.module}/models/index.md"]
        assert index.count("\n- [`") == len(placed)
        # no page holds a version's models wholesale any more (2.14 had 515 on one page)
        assert max(len(items) for items in groups.values()) < len(placed) / 3


def test_a_resource_s_own_models_are_on_its_page_and_its_methods_link_them() -> None:
    doc = next(d for d in VERSIONS if d.module == "v2_14")
    page_of = reference.model_page_of(doc)
    assert page_of["Contact"] == "contacts" and page_of["ContactList"] == "contacts"
    assert page_of["Ticket"] == "tickets"
    contacts = PAGES["reference/v2_14/contacts.md"]
    assert "[`ContactList`](models/contacts.md#intercom_v2_14.models.contact_list.ContactList)" in contacts
