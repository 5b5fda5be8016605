"""docs/upgrading-2.11-to-2.14.md is what `make upgrade-report OLD=2.11 NEW=2.14` writes, and it tells a
v2_11 user what the generated facades really differ in."""

from __future__ import annotations

import inspect

from codegen import upgrade
from codegen.manifest import ROOT, load_manifest, select

DOC = ROOT / "docs" / "upgrading-2.11-to-2.14.md"


def test_published_report_is_current() -> None:
    old, new = select(load_manifest(), ["2.11", "2.14"])
    assert DOC.read_text(encoding="utf-8") == upgrade.report(old, new), (
        "run `make upgrade-report OLD=2.11 NEW=2.14` and commit docs/"
    )


def test_every_operation_2_11_and_2_14_share_keeps_its_2_11_name() -> None:
    old, new = select(load_manifest(), ["2.11", "2.14"])
    a, b = upgrade.methods(old), upgrade.methods(new)
    shared = a.keys() & b.keys()
    assert len(shared) == 107
    assert [(a[k].name, b[k].name) for k in shared if a[k].name != b[k].name] == []
    assert "## Client methods" in DOC.read_text() and "### Renamed (0)" in DOC.read_text()


def test_reported_signature_changes_are_the_facades_own() -> None:
    from intercom_ext import v2_11, v2_14

    text = DOC.read_text()
    old = inspect.signature(v2_11.Intercom(token="t").contacts.list).parameters
    new = inspect.signature(v2_14.Intercom(token="t").contacts.list).parameters
    assert "per_page" in old and "per_page" not in new
    assert (
        "- `contacts.list` (`GET /contacts`): arguments removed: `page`, `per_page`, `starting_after`" in text
    )
    assert (
        "- `conversations.auto_assign` (`POST /conversations/{conversation_id}/run_assignment_rules`)" in text
    )
    assert not hasattr(v2_14.Intercom(token="t").conversations, "auto_assign")
    assert "## API and model changes (`make spec-diff`)" in text
