"""Two of the ``examples/`` scripts against the loopback server (``tests/_loopback.py``), in ``make test``.

Prism (``tests/contract/test_examples.py``, ``make contract``) runs all five; these cover what the
spec's examples cannot show: a contact list with rows in it, and a missing contact among many.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from tests._examples import run_example
from tests._loopback import CONTACTS, serve

TOKEN = "placeholder-token-for-loopback"


def run_script(name: str, base_url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_example(name, base_url, *args, token=TOKEN, cwd=cwd)


def test_export_writes_every_contact_once(tmp_path: Path) -> None:
    with serve() as url:
        done = run_script("export_contacts_csv.py", url, "out.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {len(CONTACTS)} contact(s) to out.csv"
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["email"], r["name"]) for r in rows] == [(c["id"], c["email"], "") for c in CONTACTS]


def test_export_limit_and_api_error(tmp_path: Path) -> None:
    with serve() as url:
        limited = run_script("export_contacts_csv.py", url, "two.csv", "--limit", "2", cwd=tmp_path)
        broken = run_script("export_contacts_csv.py", url + "/nowhere", "x.csv", cwd=tmp_path)
    assert limited.returncode == 0 and "wrote 2 contact(s)" in limited.stdout
    assert broken.returncode == 1 and broken.stderr.startswith("export failed: 404")
    assert TOKEN not in broken.stderr


def test_fetch_concurrently_reports_the_missing_one(tmp_path: Path) -> None:
    with serve() as url:
        done = run_script("fetch_concurrently.py", url, "c-1", "does-not-exist", "c-2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "c-1: user1@example.com (None)",
        "does-not-exist: not found",
        "c-2: user1@example.com (None)",
    ]
