"""The task scripts in ``examples/`` end to end against the contract run's 2.11 Prism (``make contract``).

Each script runs as a user runs it: a subprocess with ``INTERCOM_ACCESS_TOKEN`` and
``INTERCOM_BASE_URL`` in its environment (the scripts pass ``base_url=os.environ.get(...)``
themselves, so this holds whether or not the client reads ``$INTERCOM_BASE_URL`` on its own).
Where Prism's static examples cannot show a path (a 404), the script's function is also called
in-process with a client that asks Prism for it (``Prefer: code=404``). The spec's example contact
list is empty, so ``tests/test_examples_offline.py`` exports real rows from a loopback server.
"""

from __future__ import annotations

import csv
import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from intercom_ext import v2_11
from tests._examples import EXAMPLES, run_example
from tests.contract.prism_server import PrismServer

pytestmark = pytest.mark.contract

TOKEN = "placeholder-token-for-the-mock"  # Prism accepts any bearer token


@pytest.fixture
def base_url(prism_servers: dict[str, PrismServer]) -> str:
    if "2.11" not in prism_servers:
        pytest.skip("2.11 is not part of this contract run")
    return prism_servers["2.11"].base_url


def run_script(name: str, base_url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_example(name, base_url, *args, token=TOKEN, cwd=cwd)


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def client(base_url: str, prefer: str) -> v2_11.Intercom:
    return v2_11.Intercom(token=TOKEN, base_url=base_url, max_retries=0, default_headers={"Prefer": prefer})


def test_export_contacts_csv(base_url: str, tmp_path: Path) -> None:
    done = run_script("export_contacts_csv.py", base_url, "contacts.csv", "--limit", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote 0 contact(s) to contacts.csv" in done.stdout  # the spec's example list is empty
    with (tmp_path / "contacts.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == [
            "id",
            "external_id",
            "email",
            "name",
            "role",
            "created_at",
            "updated_at",
        ]


def test_reply_to_open_conversations(base_url: str, tmp_path: Path) -> None:
    args = ["--admin-id", "991", "--message", "On it!", "--limit", "1"]
    done = run_script("reply_to_open_conversations.py", base_url, *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["replied to conversation 1295 (state now open)", "sent 1 reply(ies)"]


def test_reply_needs_an_admin(base_url: str, tmp_path: Path) -> None:
    done = run_script("reply_to_open_conversations.py", base_url, "--message", "hi", cwd=tmp_path)
    assert done.returncode == 2 and "--admin-id" in done.stderr


def test_create_ticket_and_tag(base_url: str, tmp_path: Path) -> None:
    args = ["--ticket-type-id", "1234", "--contact-id", "6657a", "--tag-id", "7522907", "--admin-id", "780"]
    done = run_script("create_ticket_and_tag.py", base_url, *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "created ticket 1295 and tagged it 'Manual tag'"


def test_archive_contact_and_the_404(
    base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = run_script("archive_contact.py", base_url, "6657a", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "contact 667d60b18a68186f43bafdc0 archived=True"

    module = load("archive_contact.py")
    with client(base_url, "code=404") as missing:
        assert module.archive(missing, "does-not-exist") == module.NOT_FOUND == 3
    assert "no contact 'does-not-exist' (status 404" in capsys.readouterr().out


def test_fetch_concurrently(base_url: str, tmp_path: Path) -> None:
    ids = [f"c{i}" for i in range(12)]
    done = run_script("fetch_concurrently.py", base_url, *ids, "--concurrency", "4", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{i}: joe@bloggs.com (user)" for i in ids]  # in the order asked


async def test_fetch_concurrently_reports_missing(base_url: str) -> None:
    module = load("fetch_concurrently.py")
    headers = {"Prefer": "code=404"}
    async with v2_11.AsyncIntercom(token=TOKEN, base_url=base_url, default_headers=headers) as missing:
        assert await module.fetch_all(missing, ["x", "y"], concurrency=2) == {"x": None, "y": None}
