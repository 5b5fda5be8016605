"""docs/upgrading-2.11-to-2.14.md is what `make upgrade-report OLD=2.11 NEW=2.14` writes, and it tells a
v2_11 user what the generated facades really differ in."""

from __future__ import annotations

import inspect

from codegen import upgrade
from codegen.manifest import ROOT, load_history, load_manifest, select

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
    # the SDK first (methods, then models); the spec-level changes only counted, in one section
    assert text.index("## Client methods") < text.index("## Models") < text.index("## Spec-level changes")
    assert "- `Contact`: " in text.split("## Models")[1]
    spec_part = text.split("## Spec-level changes (summary)")[1]
    assert "| operations |" in spec_part and "\n- `" not in spec_part


UNSTABLE_DOC = ROOT / "docs" / "upgrading-unstable-to-preview.md"


def test_unstable_to_preview_report_is_current_and_reads_as_a_migration_note() -> None:
    """The April Unstable pin is a [history] entry: generated on demand into build/history/."""
    old, new = select([*load_manifest(), *load_history()], ["Unstable", "Preview"])
    assert old.name in new.aliases
    text = UNSTABLE_DOC.read_text(encoding="utf-8")
    assert text == upgrade.report(old, new), "run `make upgrade-report OLD=Unstable NEW=Preview`"
    assert "`intercom_ext.unstable` is now an alias of\n`intercom_ext.preview`" in text
    assert "requests send `Intercom-Version: Preview` instead of `Unstable`" in text
    assert "189 methods in `unstable`, 256 in `preview`" in text
    assert (
        "- `Contact`: fields added: `merge_history`; fields retyped: `owner_id`: `int | None` -> `str | None`"
        in text
    )
