"""``intercom-sdk export contacts`` end to end against the contract run's 2.11 Prism (``--errors``).

Prism validates every search request the export sends against the repaired spec (a body that does
not fit it gets a 422, which the CLI would report with exit code 1) and answers with the spec's
example, ``POST /contacts/search`` -> ``{"type": "list", "data": [], "total_count": 0, ...}``. So
what a user observes is asserted: exit code 0, the JSON Lines file holding exactly the mock's
items (none), a completed checkpoint beside it, the summary on stderr, the token nowhere.

Only contacts: the other exports cannot end against a static mock (the conversations and tickets
search examples always announce a next page, the companies scroll example never returns an empty
page).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.contract.prism_server import PrismServer

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok-contract-cli-secret"


def _cli(*args: str, token_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "INTERCOM_ACCESS_TOKEN"}
    if token_file is None:
        env["INTERCOM_ACCESS_TOKEN"] = TOKEN
    else:
        args = (*args, "--token-file", str(token_file))
    return subprocess.run(
        [sys.executable, "-m", "intercom_ext", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mock_items(base_url: str) -> list[dict[str, object]]:
    """What Prism answers to a contacts search: the items a complete export must contain."""
    body = {
        "query": {"field": "updated_at", "operator": ">", "value": 0},
        "pagination": {"per_page": 150},
    }
    headers = {"Authorization": f"Bearer {TOKEN}", "Intercom-Version": "2.11"}
    response = httpx.post(f"{base_url}/contacts/search", json=body, headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert "next" not in (page.get("pages") or {})  # one page: the export can end
    items: list[dict[str, object]] = page["data"]
    return items


@pytest.fixture
def prism_211(prism_servers: dict[str, PrismServer]) -> PrismServer:
    if "2.11" not in prism_servers:
        pytest.skip("2.11 is not part of this contract run")
    return prism_servers["2.11"]


def test_cli_export_contacts_against_prism(prism_211: PrismServer, tmp_path: Path) -> None:
    out = tmp_path / "contacts.jsonl"
    done = _cli(
        "export", "contacts", "--version", "2.11", "--base-url", prism_211.base_url,
        "--since", "2024-01-01", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    exported = [json.loads(line) for line in lines]  # every line is one JSON object
    assert exported == _mock_items(prism_211.base_url)
    state = json.loads((tmp_path / "contacts.jsonl.state").read_text(encoding="utf-8"))
    assert state["complete"] is True and state["checkpoint"]["todo"] == {}
    assert f"exported {len(exported)} contacts to {out}" in done.stderr
    for text in (done.stdout, done.stderr, out.read_text(encoding="utf-8"), json.dumps(state)):
        assert TOKEN not in text


def test_cli_export_contacts_csv_with_token_file_against_prism(
    prism_211: PrismServer, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    out = tmp_path / "contacts.csv"
    done = _cli(
        "export", "contacts", "--version", "2.11", "--base-url", prism_211.base_url,
        "--out", str(out), "--format", "csv", "--fields", "id,email",
        token_file=token_file,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows == ["id,email"] + [
        f"{c['id']},{c.get('email') or ''}" for c in _mock_items(prism_211.base_url)
    ]
