"""update-spec, the CI drift check and the command line, on temporary manifests and spec folders."""

from __future__ import annotations

import datetime
import io
import urllib.error
from pathlib import Path

import pytest
import yaml

from codegen.fetch import sha256_of
from codegen.manifest import load_manifest
from codegen.specdiff import _workflow
from codegen.specdiff.__main__ import main
from codegen.specdiff._workflow import (
    WorkflowError,
    add_changelog_entry,
    check_shared,
    pinned_url,
    rewrite_manifest,
    update_spec,
)

from .builders import evolve, op, param, spec

OLD_REF = "1" * 40
NEW_REF = "abcdef0" + "2" * 33


def _specs(tmp_path: Path) -> tuple[Path, Path]:
    old = spec()
    new = evolve(old)
    new["paths"]["/things/{thing_id}"] = {"get": op("getThing", params=[param("thing_id", "path")])}
    del new["paths"]["/things/{id}"]
    new["paths"]["/widgets"] = {"get": op("listWidgets")}
    old_path, new_path = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_path.write_text(yaml.safe_dump(old))
    new_path.write_text(yaml.safe_dump(new))
    return old_path, new_path


def _manifest(tmp_path: Path, sha: str) -> Path:
    text = (
        "# Test manifest: comments survive rewrites.\n\n"
        '[versions."9.1"]\n'
        'package = "intercom_test_a"\n'
        'header = "9.1"\n'
        f'url = "https://example.invalid/org/repo/{OLD_REF}/descriptions/9.1/api.yaml"\n'
        f'sha256 = "{sha}"\n'
        'shared = "9.1/api.yaml"\n\n'
        '[versions."9.2"]\n'
        'package = "intercom_test_b"\n'
        'header = "9.2"\n'
        f'url = "https://example.invalid/org/repo/{OLD_REF}/descriptions/9.2/api.yaml"\n'
        f'sha256 = "{sha}"\n'
        'shared = "9.2/api.yaml"\n'
    )
    path = tmp_path / "versions.toml"
    path.write_text(text)
    return path


def test_pinned_url_replaces_the_commit_and_wants_a_full_sha():
    url = f"https://example.invalid/o/r/{OLD_REF}/descriptions/2.11/api.yaml"
    assert pinned_url(url, NEW_REF) == f"https://example.invalid/o/r/{NEW_REF}/descriptions/2.11/api.yaml"
    with pytest.raises(WorkflowError, match="40-character"):
        pinned_url(url, "54a014d")
    with pytest.raises(WorkflowError, match="cannot find the commit"):
        pinned_url("https://example.invalid/main/api.yaml", NEW_REF)


def test_rewrite_manifest_changes_one_table_only(tmp_path):
    path = _manifest(tmp_path, "0" * 64)
    text = rewrite_manifest(path.read_text(), "9.1", "https://example.invalid/new.yaml", "f" * 64)
    assert text.startswith("# Test manifest: comments survive rewrites.")
    path.write_text(text)
    a, b = load_manifest(path)
    assert (a.url, a.sha256) == ("https://example.invalid/new.yaml", "f" * 64)
    assert b.sha256 == "0" * 64 and OLD_REF in b.url
    with pytest.raises(WorkflowError, match="no \\[versions"):
        rewrite_manifest(text, "7.0", "u", "s")


def test_changelog_entries_are_newest_first(tmp_path):
    path = tmp_path / "changelog" / "9.1.md"
    add_changelog_entry(path, "9.1", "## 2026-01-01: first\n\nbody one")
    add_changelog_entry(path, "9.1", "## 2026-02-01: second\n\nbody two")
    text = path.read_text()
    assert text.startswith("# Intercom API 9.1: spec changelog")
    assert text.index("body two") < text.index("body one")
    assert text.count("# Intercom API 9.1") == 1


def _update(tmp_path, **kw):
    old_path, new_path = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    out = io.StringIO()
    target = update_spec(
        "9.1",
        NEW_REF,
        manifest=manifest,
        changelog_dir=tmp_path / "changelog",
        generated_dir=tmp_path / "generated",
        old_spec=lambda version: old_path,
        today=datetime.date(2026, 11, 21),
        out=out,
        **{"file": new_path, "regenerate": False, **kw},
    )
    return manifest, target, out.getvalue(), new_path


def test_update_spec_from_a_file_rewrites_manifest_and_writes_the_changelog(tmp_path):
    manifest, target, printed, new_path = _update(tmp_path)
    version = load_manifest(manifest)[0]
    assert version.sha256 == sha256_of(new_path) and NEW_REF in version.url
    assert load_manifest(manifest)[1].sha256 != version.sha256  # the other entry is untouched
    assert target == tmp_path / "changelog" / "9.1.md"
    text = target.read_text()
    assert "## 2026-11-21: `1111111` -> `abcdef0`" in text
    assert "path parameter `id` renamed to `thing_id`" in text
    assert "`GET /widgets`: operation added" in text
    assert text.rstrip().splitlines()[-1].startswith("**Summary:** 1 breaking, 1 non-breaking")
    assert "changelog:" in printed and "1 breaking" in printed


def test_update_spec_downloads_when_no_file_is_given(tmp_path):
    _, new_path = _specs(tmp_path)
    seen = []

    def fake_download(url, dest):
        seen.append(url)
        Path(dest).write_bytes(new_path.read_bytes())

    manifest, _target, _printed, _ = _update(tmp_path, file=None, download=fake_download)
    assert seen == [f"https://example.invalid/org/repo/{NEW_REF}/descriptions/9.1/api.yaml"]
    assert load_manifest(manifest)[0].sha256 == sha256_of(new_path)


def test_update_spec_without_network_explains_how_to_provide_the_file(tmp_path):
    def no_network(url, dest):
        raise urllib.error.URLError("no route")

    old_path, _ = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    before = manifest.read_text()
    with pytest.raises(WorkflowError) as info:
        update_spec(
            "9.1",
            NEW_REF,
            manifest=manifest,
            old_spec=lambda v: old_path,
            download=no_network,
            regenerate=False,
        )
    message = str(info.value)
    assert "could not download" in message and f"make update-spec VERSION=9.1 REF={NEW_REF} FILE=" in message
    assert manifest.read_text() == before


def test_update_spec_regenerates_and_reports_the_code_effect(tmp_path, monkeypatch):
    def fake_generate(version, spec_path, out_root, spec_out=None):
        pkg = out_root / version.package
        (pkg / "models").mkdir(parents=True)
        (pkg / "models" / "widget.py").write_text("class Widget: ...\n")
        return pkg

    monkeypatch.setattr(_workflow, "generate_into", fake_generate)
    stale = tmp_path / "generated" / "intercom_test_a" / "models"
    stale.mkdir(parents=True)
    (stale / "thing.py").write_text("class Thing: ...\n")
    _, target, _, _ = _update(tmp_path, regenerate=True)
    assert (tmp_path / "generated" / "intercom_test_a" / "models" / "widget.py").is_file()
    assert not (stale / "thing.py").exists()
    text = target.read_text()
    assert "### Generated code" in text and "`models.widget.Widget`" in text and "`models.thing`" in text


def test_update_spec_to_the_same_pin_does_nothing(tmp_path):
    old_path, _ = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    out = io.StringIO()
    update_spec(
        "9.1",
        OLD_REF,
        file=old_path,
        manifest=manifest,
        changelog_dir=tmp_path / "changelog",
        old_spec=lambda v: old_path,
        regenerate=False,
        out=out,
    )
    assert "nothing to do" in out.getvalue() and not (tmp_path / "changelog").exists()


def _shared(tmp_path, files):
    root = tmp_path / "shared"
    for rel, src in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(src.read_bytes())
    return root


def test_check_shared_passes_when_every_copy_matches(tmp_path):
    old_path, _ = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    shared = _shared(tmp_path, {"9.1/api.yaml": old_path})  # 9.2 has no copy: noted, not an error
    out = io.StringIO()
    assert check_shared(manifest=manifest, shared_dir=shared, download=None, out=out) == 0
    assert "9.1: " in out.getvalue() and "matches the manifest" in out.getvalue()
    assert "9.2: no shared copy" in out.getvalue()


def test_check_shared_prints_the_changelog_and_fails_on_drift(tmp_path):
    old_path, new_path = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    # The pinned revision is found anywhere under the shared dir by its sha256 (here: history/).
    shared = _shared(tmp_path, {"9.1/api.yaml": new_path, "history/9.1-old.yaml": old_path})
    out = io.StringIO()
    assert check_shared(manifest=manifest, shared_dir=shared, download=None, out=out) == 1
    text = out.getvalue()
    assert "9.1: DRIFT" in text and "## Summary" in text
    assert "path parameter `id` renamed to `thing_id`" in text
    assert "make update-spec VERSION=9.1 REF=<its upstream commit>" in text


def test_check_shared_says_when_the_pinned_spec_is_not_available_offline(tmp_path):
    old_path, new_path = _specs(tmp_path)
    manifest = _manifest(tmp_path, sha256_of(old_path))
    shared = _shared(tmp_path, {"9.1/api.yaml": new_path})

    def no_network(url, dest):
        raise urllib.error.URLError("offline")

    out = io.StringIO()
    assert check_shared(manifest=manifest, shared_dir=shared, download=no_network, out=out) == 1
    assert "not obtainable offline" in out.getvalue() and "## Summary" not in out.getvalue()


def test_cli_prints_markdown_and_can_fail_on_breaking(tmp_path, capsys):
    old_path, new_path = _specs(tmp_path)
    assert main([str(old_path), str(new_path)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# API changes: Test API 1.0 -> Test API 1.0")
    assert text.rstrip().splitlines()[-1].startswith("**Summary:**")
    assert main([str(old_path), str(new_path), "--fail-on-breaking"]) == 1
    assert main([str(old_path), str(old_path), "--fail-on-breaking"]) == 0


def test_cli_compares_given_generated_trees(tmp_path, capsys):
    old_path, new_path = _specs(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "m.py").write_text("def f(): ...\n")
    code = main(
        [str(old_path), str(new_path), "--old-code", str(tmp_path / "a"), "--new-code", str(tmp_path / "b")]
    )
    assert code == 0
    assert "functions added (1): `m.f`" in capsys.readouterr().out


def test_cli_errors(tmp_path, capsys):
    assert main(["update", "no-such-version", NEW_REF]) == 2
    assert "unknown version" in capsys.readouterr().err
    assert main(["update", "2.11", "not-a-sha"]) == 2
    assert "40-character" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(tmp_path / "missing.yaml"), str(tmp_path / "missing.yaml")])


def test_cli_check_shared_on_this_repository_is_green(capsys):
    # CI runs this check: the shared copies must match openapi/versions.toml.
    assert main(["check-shared", "--offline"]) == 0
    assert "DRIFT" not in capsys.readouterr().out


def test_codegen_effect_generates_both_sides_and_survives_a_refused_spec(tmp_path, monkeypatch, capsys):
    old_path, new_path = _specs(tmp_path)

    def fake_generate(version, spec_path, out_root):
        pkg = out_root / version.package
        pkg.mkdir(parents=True)
        if spec_path == new_path:
            (pkg / "widgets.py").write_text("def list_widgets(*, client): ...\n")
        return pkg

    monkeypatch.setattr(_workflow, "generate_into", fake_generate)
    assert main([str(old_path), str(new_path), "--codegen", "--version", "2.11"]) == 0
    assert "functions added (1): `widgets.list_widgets`" in capsys.readouterr().out

    def refuse_old(version, spec_path, out_root):
        if spec_path == old_path:
            raise ValueError("repaired spec is not valid OpenAPI\nmore detail")
        return fake_generate(version, spec_path, out_root)

    monkeypatch.setattr(_workflow, "generate_into", refuse_old)
    assert main([str(old_path), str(new_path), "--codegen"]) == 0
    text = capsys.readouterr().out
    assert "Not compared: the old spec" in text and "ValueError: repaired spec is not valid OpenAPI." in text
    assert text.rstrip().endswith("generated code: not compared (generation failed).")
