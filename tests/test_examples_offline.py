"""The ``examples/`` scripts against FakeIntercom (``intercom_ext.testing``), in ``make test``.

Each runs as a user runs it: a subprocess pointed at the fake by ``$INTERCOM_BASE_URL``. Prism
(``tests/contract/test_examples.py``, ``make contract``) answers from the spec's examples; the fake
keeps state, so these check what the scripts did: the rows exported, the replies and tags recorded,
the contact archived, the missing contact among many.
"""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from intercom_ext.testing import FakeIntercom
from tests._examples import run_example

TOKEN = "placeholder-token-for-loopback"
CONTACTS = [{"id": f"c-{i}", "email": f"user{i}@example.com", "name": f"User {i}"} for i in range(1, 6)]


@pytest.fixture
def fake() -> Iterator[FakeIntercom]:
    with FakeIntercom(version="2.11") as fake:
        fake.seed(contacts=CONTACTS)
        yield fake


def run_script(name: str, base_url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_example(name, base_url, *args, token=TOKEN, cwd=cwd)


def test_export_writes_every_contact_once(fake: FakeIntercom, tmp_path: Path) -> None:
    done = run_script("export_contacts_csv.py", fake.url, "out.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {len(CONTACTS)} contact(s) to out.csv"
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["email"], r["name"]) for r in rows] == [
        (c["id"], c["email"], c["name"]) for c in CONTACTS
    ]


def test_export_limit_and_api_error(fake: FakeIntercom, tmp_path: Path) -> None:
    limited = run_script("export_contacts_csv.py", fake.url, "two.csv", "--limit", "2", cwd=tmp_path)
    broken = run_script("export_contacts_csv.py", fake.url + "/nowhere", "x.csv", cwd=tmp_path)
    assert limited.returncode == 0 and "wrote 2 contact(s)" in limited.stdout
    assert broken.returncode == 1 and broken.stderr.startswith("export failed: 404")
    assert TOKEN not in broken.stderr


def test_fetch_concurrently_reports_the_missing_one(fake: FakeIntercom, tmp_path: Path) -> None:
    done = run_script("fetch_concurrently.py", fake.url, "c-1", "does-not-exist", "c-2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "c-1: user1@example.com (user)",
        "does-not-exist: not found",
        "c-2: user2@example.com (user)",
    ]


def test_reply_to_open_conversations_skips_the_closed_ones(fake: FakeIntercom, tmp_path: Path) -> None:
    fake.seed(
        conversations=[
            {"from": {"id": "c-1"}, "body": "Help"},
            {"from": {"id": "c-2"}, "body": "Solved already", "state": "closed"},
            {"from": {"id": "c-3"}, "body": "Hello?"},
        ]
    )
    done = run_script(
        "reply_to_open_conversations.py", fake.url, "--admin-id", "1", "--message", "On it", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "sent 2 reply(ies)"
    replies = [r for r in fake.requests if r.operation == "conversations.reply"]
    assert [r.body["body"] for r in replies] == ["On it", "On it"]
    assert all(r.status == 200 for r in replies)


def test_create_ticket_and_tag(fake: FakeIntercom, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    made = httpx.post(f"{fake.url}/tags", json={"name": "urgent"}, headers=headers)  # the tag to attach
    args = ["--ticket-type-id", "1", "--contact-id", "c-1", "--tag-id", made.json()["id"], "--admin-id", "1"]
    done = run_script("create_ticket_and_tag.py", fake.url, *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("and tagged it 'urgent'")
    assert [r.operation for r in fake.requests[-2:]] == ["tickets.create", "tags.attach_to_ticket"]


def test_archive_contact_and_a_missing_one(fake: FakeIntercom, tmp_path: Path) -> None:
    done = run_script("archive_contact.py", fake.url, "c-3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "contact c-3 archived=True"
    missing = run_script("archive_contact.py", fake.url, "c-404", cwd=tmp_path)
    assert missing.stdout.startswith("no contact 'c-404' (status 404, request id ")
