"""Exports through the facade against the loopback window server: every item exactly once, with
faults, with the companies scroll's ``scroll_exists`` and a scroll 500; the CLI killed and resumed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("tz_offset", [-11 * 3600, -5 * 3600 - 1800, 0, 1, 5 * 3600 + 1800, 14 * 3600])
def test_contacts_export_every_id_once_whatever_the_workspace_timezone(tz_offset: int) -> None:
    # Contact search compares days starting at the workspace's midnight; the export does not know
    # where that is, so every window boundary must be covered in every timezone.
    with WindowServer(count=3000, span=120 * 86400, tz_offset=tz_offset) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        ids = [c.id for c in client.contacts.export(concurrency=4, per_page=50)]
        windows = len(server.searches)
    assert sorted(ids) == sorted(f"c-{i}" for i in range(3000))
    assert windows > 20  # cut into many windows, so many boundaries were crossed


def test_export_probes_where_the_data_starts_and_searches_no_empty_windows() -> None:
    # No updated_since: the range starts in 1970, the data 400 days ago.
    with WindowServer(count=5000, span=400 * 86400) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        ids = [c.id for c in client.contacts.export(concurrency=4)]
        searches = list(server.searches)
        found = [server.search(body, by_day=True) for body in searches]
    assert sorted(ids) == sorted(f"c-{i}" for i in range(5000))
    probe, rest = searches[0], searches[1:]
    assert probe["sort"] == {"field": "updated_at", "order": "ascending"}
    assert probe["pagination"] == {"per_page": 1}
    assert not any("sort" in body for body in rest)  # one sorted search, the first
    first_pages = [
        stop - start
        for (start, stop), body in zip(found[1:], rest, strict=True)
        if not body["pagination"].get("starting_after")
    ]
    # The range before the data is searched once (one request, nothing found); every other window
    # holds data.
    assert first_pages.count(0) == 1 and len(first_pages) > 5


def test_export_since_probes_once_and_finds_every_id_from_since() -> None:
    # updated_since in the middle of a day: the probe's query reaches the day before it, whose
    # items sort first; the export still cuts windows from updated_since, not from scratch.
    with WindowServer(count=4000, span=200 * 86400, tz_offset=3 * 3600) as server:
        since = server.updated[1000] + 4321
        want = {i for i, u in zip(server.ids, server.updated, strict=True) if u >= since}
        client = v2_11.Intercom(token="t", base_url=server.url)
        ids = [c.id for c in client.contacts.export(updated_since=since, concurrency=3, per_page=100)]
        searches = list(server.searches)
    assert sorted(ids) == sorted(want)
    assert sum(1 for body in searches if "sort" in body) == 1
    assert searches[1]["query"] != searches[0]["query"]  # cut into windows, not searched again whole


@pytest.mark.parametrize("sort_mode", ["ignore", "reject"])
def test_export_every_id_once_when_the_server_ignores_or_rejects_the_sort(sort_mode: str) -> None:
    with WindowServer(count=4000, span=300 * 86400, sort_mode=sort_mode) as server:
        client = v2_11.Intercom(token="t", base_url=server.url, sleep=Sleeps())
        export = client.contacts.export(concurrency=3, per_page=100)
        ids = [c.id for c in export]
    assert sorted(ids) == sorted(f"c-{i}" for i in range(4000))
    assert export.total_count == 4000 and export.done


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


def test_a_window_search_finds_the_first_and_last_second_of_its_window_in_every_timezone() -> None:
    from intercom_ext._export import _search_body

    day = 86400
    rng = random.Random(15)
    offsets = range(-12 * 3600, 14 * 3600 + 1, 1800)
    for offset in offsets:
        server = WindowServer(tz_offset=offset, count=0)
        midnight = 1_700_000_000 - 1_700_000_000 % day - offset  # a workspace midnight
        for _ in range(40):
            a = rng.choice([midnight, midnight + 1, midnight - 1, 1_700_000_000 - 1_700_000_000 % day]) + (
                rng.randrange(-3, 3) * day
            )
            b = a + rng.choice([day, 2 * day, 7 * day, rng.randrange(day, 30 * day)]) + rng.choice([0, 1, -1])
            for overlap, by_day in ((day, True), (0, False)):
                server.updated = [a - 1, a, b - 1, b]
                start, stop = server.search(_search_body((a, b), overlap, 150), by_day=by_day)
                assert start <= 1 and stop >= 3, (offset, a, b, overlap)  # a and b - 1 are found
                if not by_day:
                    assert (start, stop) == (1, 3)  # exact timestamps: exactly the window
    # A UTC workspace and windows on UTC midnights (what the export cuts): nothing outside is read.
    server = WindowServer(count=0)
    a = 1_700_000_000 - 1_700_000_000 % day
    server.updated = [a - 1, a, a + 3 * day - 1, a + 3 * day]
    assert server.search(_search_body((a, a + 3 * day), day, 150), by_day=True) == (1, 3)


@pytest.mark.parametrize("resource", ["contacts", "tickets"])
def test_a_twice_resumed_export_counts_every_run(resource: str) -> None:
    # Stop after 700 items, resume and stop after 700 more, resume to the end: every id once, and
    # each checkpoint's count is of every run so far, not of the last one.
    with WindowServer(count=3000) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        ids: list[str] = []
        resume = None
        counts = []
        for _ in range(2):
            export = (
                getattr(client, resource).export(resume=resume)
                if resume
                else getattr(client, resource).export()
            )
            for item in export:
                ids.append(item.id)
                if export.yielded - sum(counts[-1:]) == 700:
                    break
            export.close()
            resume = export.checkpoint()
            counts.append(resume["yielded"])
        export = getattr(client, resource).export(resume=resume)
        ids.extend(item.id for item in export)
    assert counts == [700, 1400]
    assert export.yielded == 3000 and export.done
    assert len(ids) == 3000 and len(set(ids)) == 3000
