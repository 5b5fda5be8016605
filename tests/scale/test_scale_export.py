"""Exports through the facade against the loopback window server: every item exactly once, with
faults, with the companies scroll's ``scroll_exists`` and a scroll 500; the CLI killed and resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.window_server import WindowServer
from intercom_ext import v2_11

ROOT = Path(__file__).resolve().parents[2]


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def test_contacts_export_every_id_once_with_day_granular_search() -> None:
    with WindowServer(count=5000, span=400 * 86400) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        export = client.contacts.export(concurrency=4)
        ids = [c.id for c in export]
    assert sorted(ids) == sorted(f"c-{i}" for i in range(5000))
    assert export.total_count == 5000 and export.done


def test_tickets_and_conversations_export_since() -> None:
    with WindowServer(count=1000, span=100 * 86400, now=2_000_000_000) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        since = 2_000_000_000 - 50 * 86400
        want = {i for i, u in zip(server.ids, server.updated, strict=True) if u >= since}
        before = 2_000_000_001
        assert {t.id for t in client.tickets.export(updated_since=since, updated_before=before)} == want
        conversations = client.conversations.export(updated_since=since, updated_before=before, concurrency=2)
        assert {c.id for c in conversations} == want


def test_export_under_faults_every_id_once() -> None:
    sleeps = Sleeps()
    with WindowServer(count=3000, fault_every=4) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, sleep=sleeps)
        ids = [c.id for c in client.contacts.export(concurrency=3, per_page=50)]
        faults = server.faults
        kinds = server.fault_kinds
    assert len(ids) == 3000 and len(set(ids)) == 3000
    assert faults > 10 and len(sleeps.calls) == faults  # each fault retried once
    assert set(kinds) == {"500", "502", "503", "504", "reset"}


def test_companies_scroll_waits_on_scroll_exists() -> None:
    sleeps = Sleeps()
    with WindowServer(companies=1000, scroll_exists_times=2) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, sleep=sleeps)
        ids = [c.id for c in client.companies.export()]
    assert sorted(ids) == sorted(f"co-{i}" for i in range(1000))
    assert sleeps.calls == [5.0, 5.0]


def test_companies_scroll_restarts_after_a_500() -> None:
    with WindowServer(companies=1000, scroll_500_at=3) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, sleep=Sleeps())
        ids = [c.id for c in client.companies.export()]
        scrolls = server.scrolls
    assert sorted(ids) == sorted(f"co-{i}" for i in range(1000))  # none missed, none twice
    assert scrolls == 2


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "intercom_ext", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_killed_and_resumed_every_id_once(tmp_path: Path) -> None:
    out = tmp_path / "contacts.jsonl"
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": "tok-cli-secret"}
    with WindowServer(count=6000, latency=0.01) as server:
        args = ("export", "contacts", "--version", "2.11", "--base-url", server.url, "--out", str(out))
        proc = _cli(*args, "--concurrency", "2", env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if out.exists() and out.stat().st_size > 200_000:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = out.read_text(encoding="utf-8").count("\n")
        assert 0 < partial < 6000
        again = _cli(*args, "--concurrency", "2", env=env)
        _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "resuming" in err and "tok-cli-secret" not in err
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(f"c-{i}" for i in range(6000))


def test_cli_csv_call_and_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": "tok-cli-secret"}
    with WindowServer(count=30) as server:
        out = tmp_path / "c.csv"
        done = _cli(
            "export",
            "contacts",
            "--base-url",
            server.url,
            "--out",
            str(out),
            "--format",
            "csv",
            "--fields",
            "id,email",
            env=env,
        )
        assert done.wait(timeout=60) == 0
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "id,email" and len(lines) == 31
        call = _cli(
            "call", "contacts", "list", "per_page:=5", "max_items:=7", "--base-url", server.url, env=env
        )
        stdout, _ = call.communicate(timeout=60)
        assert call.returncode == 0 and len(json.loads(stdout)) == 7
        missing = _cli(
            "call", "admins", "identify", "--base-url", server.url, env=env
        )  # the server has no /me
        _, err = missing.communicate(timeout=60)
        assert missing.returncode == 1 and "404" in err and "request_id=req-" in err
    no_token = {k: v for k, v in env.items() if k != "INTERCOM_ACCESS_TOKEN"}
    usage = _cli("export", "contacts", "--out", str(tmp_path / "x.jsonl"), env=no_token)
    _, err = usage.communicate(timeout=60)
    assert usage.returncode == 2 and "INTERCOM_ACCESS_TOKEN" in err
    bad = _cli("call", "contacts", "fly", env=env)
    assert bad.wait(timeout=60) == 2
