"""Every ```python block of README.md and of the guides runs, in order, against FakeIntercom.

The fake (``intercom_ext.testing``, API 2.11) holds five contacts ``c-1``..``c-5`` and two companies
``co-0``, ``co-1``. All regions are pointed at it, so the README can show ``region="eu"`` and the
default region honestly while nothing leaves the machine."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intercom_ext import _regions
from intercom_ext.testing import FakeIntercom

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


CONTACTS = [{"id": f"c-{i}", "email": f"user{i}@example.com"} for i in range(1, 6)]
#: A request id as FakeIntercom makes them (UUID-shaped).
REQUEST_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with FakeIntercom(version="2.11") as fake:
        fake.seed(
            contacts=CONTACTS, companies=[{"id": "co-0", "name": "Acme"}, {"id": "co-1", "name": "Initech"}]
        )
        url = fake.url
        monkeypatch.setattr(_regions, "REGIONS", dict.fromkeys(_regions.REGIONS, url))
        monkeypatch.delenv("INTERCOM_REGION", raising=False)
        monkeypatch.delenv("INTERCOM_BASE_URL", raising=False)
        monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", "placeholder-token")
        yield url


def test_readme_has_usage_examples() -> None:
    assert len(BLOCKS) >= 7


def test_readme_python_blocks_run_against_loopback(loopback: str) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in BLOCKS:
            code = block.replace("http://127.0.0.1:4010", loopback)
            exec(compile(code, str(README), "exec"), namespace)  # our own README
    printed = out.getvalue()
    assert "c-1 user1@example.com" in printed and "c-5 user5@example.com" in printed
    assert "Unknown Intercom region 'mars'" in printed
    not_found = "[('not_found', 'User Not Found: does-not-exist')]"
    assert re.search(f"404 {REQUEST_ID} " + re.escape(not_found), printed)  # the quickstart
    assert re.search(f"NotFoundError 404 {REQUEST_ID}", printed)  # the errors section
    assert "https://api.eu.intercom.io" not in printed  # every region points at the loopback server
    assert "contacts.update: unexpected keyword argument 'nmae'; did you mean 'name'?" in printed
    assert namespace["conversation"].id == namespace["message"].conversation_id
    # the fake keeps state: the search also finds the contact the quickstart created
    assert namespace["found"] == [c["id"] for c in CONTACTS] + [namespace["new"].id]
    assert namespace["companies"] == ["co-0", "co-1"]
    assert namespace["new"].email == "ada@example.com"
    assert namespace["raw"].status_code == 200 and namespace["raw"].parsed.id == "c-1"


def test_readme_quickstart_comes_first_and_is_short() -> None:
    """The first screen shows install and the quickstart: both before any other section."""
    text = README.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[:3] == ["Install", "Quickstart", "Versions"]
    assert "pip install intercom-sdk" in text.split("## Quickstart")[0]
    assert len(quickstart().strip().splitlines()) <= 15


def quickstart() -> str:
    """The README's quickstart block (also run from an installed wheel by tests/test_dist.py)."""
    section = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


GUIDES = sorted((README.parent / "docs" / "guides").glob("*.md"))


def test_every_guide_is_here() -> None:
    names = {p.stem for p in GUIDES}
    assert {"versions", "models", "pagination", "errors", "retries", "raw-responses", "webhooks"} <= names
    assert {"logging", "exports-cli", "testing"} <= names


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.stem)
def test_guide_python_blocks_run_against_loopback(guide: Path, loopback: str) -> None:
    """Each guide's ```python blocks run in order in one namespace, like the README's."""
    blocks = re.findall(r"```python\n(.*?)```", guide.read_text(encoding="utf-8"), re.DOTALL)
    namespace: dict[str, Any] = {"__name__": f"guide_{guide.stem}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, str(guide), "exec"), namespace)  # our own docs
    printed = out.getvalue()
    expected = {
        "versions": "intercom_ext.v2_11 2.11",
        "models": "{'brand_new': 1}",
        "pagination": "c-5 user5@example.com",
        "errors": f"404 {REQUEST_ID} " + re.escape("[('not_found', 'User Not Found: does-not-exist')]"),
        "retries": "c-1",
        "raw-responses": f"200 {REQUEST_ID} c-1",
        "webhooks": "topic: contact.user.created",
        "exports-cli": "5 True",
        "testing": re.escape("1 [503, 503, 200]"),
    }
    if guide.stem in expected:
        assert re.search(expected[guide.stem], printed), printed
    assert "placeholder-token" not in printed


@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md", "examples/README.md", "CHANGELOG.md"])
def test_relative_links_point_at_files(doc: str) -> None:
    """The repository's Markdown (README is also the package page) links only to files that exist."""
    path = README.parent / doc
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not t.startswith(("http://", "https://", "mailto:"))]
    missing = [t for t in local if not (path.parent / t).exists()]
    assert not missing, missing
