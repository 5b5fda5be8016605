"""``make spec-watch``: offline, ``--from ../shared/openapi/history``, a loopback stand-in for upstream
(its commits API and raw files), and ``--apply`` in a scratch copy of the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from codegen.fetch import fetch, sha256_of, spec_dir
from codegen.manifest import ROOT, load_manifest, select
from intercom_ext.testing import free_port
from tests._loopback import serve

HISTORY = spec_dir() / "history"
OLD_2_11 = "54a014d1f65d30e1709c9f5c6807b3f3778f9f49"


def _watch(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "spec-watch", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_without_a_network_it_says_so_and_exits_0(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    done = _watch("--api", dead, "--raw", dead, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "spec-watch: no network: cannot reach 127.0.0.1" in done.stdout
    assert "nothing compared, nothing changed" in done.stdout
    assert not (tmp_path / "out").exists()


def test_from_history_prints_the_changelog_of_each_moved_version(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _watch("--from", str(HISTORY), "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "2.10: nothing in" in text and "2.14: nothing in" in text
    assert "2.11: MOVED: descriptions/2.11/api.intercom.io.yaml at 54a014d has sha256 057f7e1e083a" in text
    assert "# Intercom API 2.11: `8889625` -> `54a014d`" in text
    # Unstable-7a21588.yaml is found under Preview's alias (its earlier name): descriptions/0 in 2025
    assert "# Intercom API Preview: `8889625` -> `7a21588`" in text
    assert "Preview: RENAMED upstream: info.version 'Preview' -> 'Unstable'" in text
    assert "52 x path parameter renamed" in text  # the real 2.11 changelog (codegen/specdiff/README.md)
    assert text.rstrip().endswith(
        "spec-watch: 2 of 5 version(s) moved: 2.11, Preview; renamed upstream: Preview"
    )
    assert json.loads((out / "moved.json").read_text()) == ["2.11", "Preview"]
    assert json.loads((out / "new.json").read_text()) == []
    body = (out / "2.11.md").read_text()
    assert body.startswith("# Intercom API 2.11") and "## Breaking changes" in body


def test_from_a_directory_reports_a_new_version_with_a_ready_manifest_entry(tmp_path: Path) -> None:
    newer = tmp_path / "newer"
    (newer / "2.17").mkdir(parents=True)
    (v216,) = select(load_manifest(), ["2.16"])
    text = fetch(v216, log=False).read_text().replace("version: '2.16'", "version: '2.17'", 1)
    (newer / "2.17" / "api.intercom.io.yaml").write_text(text)
    (newer / "2.9").mkdir()  # an older version we do not ship: counted, not proposed
    (newer / "2.9" / "api.intercom.io.yaml").write_text(text.replace("version: '2.17'", "version: '2.9'", 1))
    out = tmp_path / "out"
    done = _watch("2.16", "--from", str(newer), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "2.17: NEW upstream version: descriptions/2.17 (no manifest entry)" in done.stdout
    assert "1 older upstream version(s) not shipped: 2.9" in done.stdout
    assert done.stdout.rstrip().endswith("; 1 new upstream version(s): 2.17")
    assert json.loads((out / "new.json").read_text()) == ["2.17"]
    body = (out / "new-2.17.md").read_text()
    assert body.startswith("# Intercom API 2.17: new upstream version")
    assert '[versions."2.17"]\npackage = "intercom_v2_17"\nheader = "2.17"\n' in body
    assert f'sha256 = "{sha256_of(newer / "2.17" / "api.intercom.io.yaml")}"' in body
    assert "231 operations" in body and "`intercom_ext.v2_17`" in body

    # --add-new appends the ready entry, and the manifest then lists the version (scratch manifest)
    from codegen.specwatch import add_new

    manifest = tmp_path / "versions.toml"
    shutil.copyfile(ROOT / "openapi" / "versions.toml", manifest)
    assert add_new(out / "new-2.17.toml", manifest) == "2.17"
    (v217,) = select(load_manifest(manifest), ["2.17"])
    assert (v217.package, v217.header, v217.module) == ("intercom_v2_17", "2.17", "v2_17")


class _Upstream(BaseHTTPRequestHandler):
    """The commits API (newest commit touching ``path``), the contents API of ``descriptions/`` and
    raw files."""

    files: ClassVar[dict[str, tuple[str, bytes]]] = {}  # repo path -> (head commit, content)
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.seen.append(self.path)
        if url.path == "/api/repos/intercom/Intercom-OpenAPI/contents/descriptions":
            dirs = sorted({p.split("/")[1] for p in self.files} | {"2.7", "2.8"})
            body = json.dumps(
                [{"name": d, "type": "dir"} for d in dirs] + [{"name": "README", "type": "file"}]
            )
            body = body.encode()
        elif url.path == "/api/repos/intercom/Intercom-OpenAPI/commits":
            path = parse_qs(url.query)["path"][0]
            body = json.dumps([{"sha": self.files[path][0]}] if path in self.files else []).encode()
        else:
            prefix = "/raw/intercom/Intercom-OpenAPI/"
            ref, _, path = url.path.removeprefix(prefix).partition("/")
            if path not in self.files or self.files[path][0] != ref:
                self.send_error(404)
                return
            body = self.files[path][1]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[str]:
    """Upstream as it could be next: 2.11 unchanged, the beta channel renamed again ("Preview" ->
    "Beta", the way "Unstable" became "Preview"), and a new ``descriptions/2.17``."""
    v211, v216, preview = select(load_manifest(), ["2.11", "2.16", "Preview"])
    beta = fetch(preview, log=False).read_text().replace("version: Preview", "version: Beta", 1)
    v217 = fetch(v216, log=False).read_text().replace("version: '2.16'", "version: '2.17'", 1)
    _Upstream.files = {
        "descriptions/2.11/api.intercom.io.yaml": ("a" * 40, fetch(v211, log=False).read_bytes()),
        "descriptions/0/api.intercom.io.yaml": ("b" * 40, beta.encode()),
        "descriptions/2.17/api.intercom.io.yaml": ("c" * 40, v217.encode()),
    }
    _Upstream.seen = []
    with serve(_Upstream) as url:
        yield url


def test_compares_each_pin_with_the_newest_upstream_commit_of_its_file(upstream: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _watch(
        "2.11", "Preview", "--api", f"{upstream}/api", "--raw", f"{upstream}/raw", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    # a newer commit whose file is byte-identical to the pin is not a move
    assert (
        "2.11: up to date (descriptions/2.11/api.intercom.io.yaml at aaaaaaa has the pinned sha256"
        in done.stdout
    )
    assert "Preview: MOVED: descriptions/0/api.intercom.io.yaml at bbbbbbb" in done.stdout
    assert any("path=descriptions%2F0%2Fapi.intercom.io.yaml" in p for p in _Upstream.seen)
    # the rename: info.version changed, reported first in the pull-request body
    assert "Preview: RENAMED upstream: info.version 'Preview' -> 'Beta'" in done.stdout
    body = (out / "Preview.md").read_text()
    assert body.startswith(
        "# Intercom API Preview: `8889625` -> `bbbbbbb`\n\n## Renamed upstream: `Preview` -> `Beta`"
    )
    assert 'header = "Beta"' in body and 'aliases = ["Preview"]' in body
    # the new version directory, with its ready manifest entry (pinned at the commit that added it)
    assert "2.17: NEW upstream version: descriptions/2.17 (no manifest entry)" in done.stdout
    assert "2 older upstream version(s) not shipped: 2.7, 2.8" in done.stdout
    entry = (out / "new-2.17.toml").read_text()
    assert (
        f'url = "https://raw.githubusercontent.com/intercom/Intercom-OpenAPI/{"c" * 40}/descriptions/2.17/'
        in entry
    )
    assert json.loads((out / "new.json").read_text()) == ["2.17"]
    assert json.loads((out / "moved.json").read_text()) == ["Preview"]
    assert done.stdout.rstrip().endswith(
        "spec-watch: 1 of 2 version(s) moved: Preview; renamed upstream: Preview; "
        "1 new upstream version(s): 2.17"
    )


def test_apply_without_the_full_commit_is_an_error_that_changes_nothing() -> None:
    before = (ROOT / "openapi" / "versions.toml").read_text()
    done = _watch("2.11", "--from", str(HISTORY), "--apply")
    assert done.returncode == 2
    assert "--apply needs the full upstream commit" in done.stderr
    assert (ROOT / "openapi" / "versions.toml").read_text() == before


def test_apply_runs_update_spec_for_each_moved_version(tmp_path: Path) -> None:
    """In a scratch copy: the manifest, generated/ and the changelog move to the newer spec."""
    repo = tmp_path / "repo"
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, files.split(b"\0")):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            (repo / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / os.fsdecode(name))
    newer = tmp_path / "newer"
    newer.mkdir()
    shutil.copyfile(HISTORY / "2.11-54a014d.yaml", newer / f"2.11-{OLD_2_11}.yaml")
    sha = sha256_of(newer / f"2.11-{OLD_2_11}.yaml")

    done = _watch(
        "2.11", "--from", str(newer), "--apply", cwd=repo, env={"INTERCOM_SPEC_DIR": str(spec_dir())}
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"2.11: update-spec VERSION=2.11 REF={OLD_2_11} FILE={newer}" in done.stdout
    (v211,) = select(load_manifest(repo / "openapi" / "versions.toml"), ["2.11"])
    assert v211.sha256 == sha and f"/{OLD_2_11}/descriptions/2.11/" in v211.url
    assert f'SPEC_SHA256 = "{sha}"' in (repo / "generated" / "intercom_v2_11" / "_metadata.py").read_text()
    entry = (repo / "openapi" / "changelog" / "2.11.md").read_text()
    assert f"`8889625` -> `{OLD_2_11[:7]}`" in entry
