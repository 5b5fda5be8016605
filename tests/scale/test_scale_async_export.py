"""The async export (``AsyncIntercom(...).<resource>.export``) against the loopback window server: every
item exactly once, across a checkpoint and resume, with faults, the companies scroll (and its
``updated_since`` filter), no thread of its own (the searches are tasks on the caller's loop, the
pages parsed by ``asyncio.to_thread``), and the resumable JSON Lines file of both drivers."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from intercom_v2_11.models import ContactList

from benchmarks.window_server import WindowServer
from intercom_ext import AsyncExport, Export, ExportOptions, NotFoundError, v2_11
from intercom_ext._export import DAY, async_export_search, load_checkpoint, plan_windows

ROOT = Path(__file__).resolve().parents[2]


class AsyncSleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


def _client(server: WindowServer, **kwargs: Any) -> v2_11.AsyncIntercom:
    return v2_11.AsyncIntercom(token="t", base_url=server.url, **kwargs)


async def test_async_contacts_export_every_id_once_without_a_thread() -> None:
    with WindowServer(count=4000, span=300 * DAY) as server:
        seen_threads: set[str] = set()
        async with _client(server) as client:
            export = client.contacts.export(concurrency=8)
            assert isinstance(export, AsyncExport)
            ids = []
            async for contact in export:
                ids.append(contact.id)
                seen_threads.update(t.name for t in threading.enumerate())
    assert sorted(ids) == sorted(f"c-{i}" for i in range(4000))
    assert export.total_count == 4000 and export.done and export.yielded == 4000
    # The searches are tasks on this loop: the export starts no thread of its own (the sync one
    # starts 8); only the pages' parsing goes to the loop's default executor (asyncio.to_thread,
    # threads named asyncio_N). The others are the server's.
    ours = {n for n in seen_threads if "process_request_thread" not in n and "serve_forever" not in n}
    assert {n for n in ours if not n.startswith("asyncio_")} == {threading.main_thread().name}, ours
    assert not any(n.startswith("intercom-export") for n in ours)


async def test_async_export_checkpoint_and_resume_every_id_once() -> None:
    with WindowServer(count=3000, span=200 * DAY) as server:
        async with _client(server) as client:
            ids: list[str] = []
            export = client.contacts.export(concurrency=4, per_page=50)
            async for contact in export:
                ids.append(contact.id)
                if len(ids) == 1100:
                    break
            await export.aclose()
            checkpoint = json.loads(json.dumps(export.checkpoint()))  # JSON-able
            assert checkpoint["version"] == 1 and checkpoint["yielded"] == 1100 and not export.done
            again = client.contacts.export(resume=checkpoint, concurrency=4, per_page=50)
            ids.extend([c.id async for c in again])
    assert len(ids) == 3000 and len(set(ids)) == 3000
    assert again.yielded == 3000 and again.done


async def test_async_export_under_faults_every_id_once() -> None:
    sleeps = AsyncSleeps()
    with WindowServer(count=2000, fault_every=4) as server:
        async with _client(server, sleep=sleeps) as client:
            ids = [c.id async for c in client.conversations.export(concurrency=3, per_page=50)]
        faults = server.faults
    assert len(ids) == 2000 and len(set(ids)) == 2000
    assert faults > 5 and len(sleeps.calls) == faults  # each fault retried once


async def test_async_export_an_error_stops_it_and_is_raised() -> None:
    with WindowServer(count=100) as server:
        async with _client(server, max_retries=0) as client:
            # No search endpoint for this path on the server: a 404.

            export = async_export_search(
                client, "/nothing/search", ContactList.from_dict, lambda page: page.data or []
            )
            with pytest.raises(NotFoundError):
                async for _ in export:
                    pass


async def test_async_companies_scroll_waits_on_scroll_exists_and_filters_by_updated_at() -> None:
    sleeps = AsyncSleeps()
    with WindowServer(companies=1000, scroll_exists_times=2, span=1000 * DAY) as server:
        since = server.company_updated[600]
        want = {c for c, u in zip(server.companies, server.company_updated, strict=True) if u >= since}
        async with _client(server, sleep=sleeps) as client:
            ids = [c.id async for c in client.companies.export(updated_since=since)]
            every = [c.id async for c in client.companies.export()]
    assert sorted(ids) == sorted(want) and len(want) == 400
    assert sorted(every) == sorted(server.companies)
    assert sleeps.calls == [5.0, 5.0]


def test_sync_companies_export_since_and_restart_after_a_500() -> None:
    with WindowServer(companies=1000, scroll_500_at=3, span=1000 * DAY) as server:
        since = server.company_updated[250]
        client = v2_11.Intercom(token="t", base_url=server.url)
        ids = [c.id for c in client.companies.export(updated_since=since)]
    assert sorted(ids) == sorted(server.companies[250:])


async def test_async_scroll_checkpoint_and_resume() -> None:
    with WindowServer(companies=1000) as server:
        async with _client(server) as client:
            export = client.companies.export()
            ids: list[str] = []
            async for company in export:
                ids.append(company.id)
                if len(ids) == 300:
                    break
            await export.aclose()
            server.scroll_open = None  # Intercom expires an abandoned scroll after a minute
            again = client.companies.export(resume=export.checkpoint())
            ids.extend([c.id async for c in again])
    assert sorted(ids) == sorted(server.companies)


def test_checkpoints_of_another_version_are_refused_and_old_ones_read() -> None:
    with WindowServer(count=500) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        export = client.tickets.export()
        first = [next(export).id for _ in range(10)]
        export.close()
        checkpoint = dict(export.checkpoint())
        with pytest.raises(ValueError, match="format version 2"):
            client.tickets.export(resume={**checkpoint, "version": 2})
        with pytest.raises(ValueError, match="not the checkpoint of a scroll export"):
            client.companies.export(resume=checkpoint)
        with pytest.raises(ValueError, match="not a valid export checkpoint"):
            client.tickets.export(resume={"kind": "search", "todo": {"a": 1}})
        del checkpoint["version"]  # as written before the field existed
        rest = [t.id for t in client.tickets.export(resume=checkpoint)]
    assert sorted(first + rest) == sorted(server.ids)


def test_plan_windows_cuts_the_probe_and_big_windows() -> None:
    day = DAY
    whole = (0, 400 * day)
    # A probe found the data from day 100: [0, day 100) alone, the rest cut by its count.
    parts = plan_windows(
        whole, total=10_000, start=100 * day + 5, share=1000, overlap=day, min_split=2 * day, splittable=True
    )
    assert parts[0] == (0, 100 * day) and parts[-1][1] == 400 * day
    assert len(parts) == 1 + 10
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(parts))  # contiguous
    # A window within its share (times the tolerance) is read whole; unsplittable ones too.
    assert plan_windows(
        whole, total=1500, start=None, share=1000, overlap=0, min_split=3600, splittable=True
    ) == [whole]
    assert plan_windows(
        whole, total=9000, start=None, share=1000, overlap=0, min_split=3600, splittable=False
    ) == [whole]
    assert (
        len(
            plan_windows(
                whole, total=9000, start=None, share=1000, overlap=0, min_split=3600, splittable=True
            )
        )
        == 9
    )
    # No count: nothing to size by.
    assert plan_windows(
        whole, total=None, start=None, share=1000, overlap=0, min_split=3600, splittable=True
    ) == [whole]


def test_load_checkpoint_normalises() -> None:
    state = load_checkpoint({"kind": "search", "range": [0, 10], "todo": {"0-10": ["0", "10"]}}, "search")
    assert state["todo"] == {"0-10": [0, 10]} and state["yielded"] == 0


def test_export_options_are_public() -> None:
    assert set(ExportOptions.__annotations__) >= {"updated_since", "concurrency", "resume"}
    assert Export.__name__ == "Export"


def _script(url: str, out: Path, asynchronous: bool) -> str:
    if asynchronous:
        return (
            "import asyncio\n"
            "from intercom_ext import v2_11\n"
            "async def main():\n"
            f"    async with v2_11.AsyncIntercom(base_url={url!r}) as client:\n"
            f"        print(await client.contacts.export(concurrency=2).write_jsonl({str(out)!r}))\n"
            "asyncio.run(main())\n"
        )
    return (
        "from intercom_ext import v2_11\n"
        f"client = v2_11.Intercom(base_url={url!r})\n"
        f"print(client.contacts.export(concurrency=2).write_jsonl({str(out)!r}))\n"
    )


@pytest.mark.parametrize("asynchronous", [False, True])
def test_write_jsonl_killed_and_run_again_every_id_once(tmp_path: Path, asynchronous: bool) -> None:
    out = tmp_path / "contacts.jsonl"
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": "tok-file-secret"}
    with WindowServer(count=5000, latency=0.01) as server:
        script = _script(server.url, out, asynchronous)
        proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if out.exists() and out.stat().st_size > 150_000:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = out.read_text(encoding="utf-8").count("\n")
        assert 0 < partial < 5000
        state = json.loads((tmp_path / "contacts.jsonl.state").read_text(encoding="utf-8"))
        assert not state["complete"] and "tok-file-secret" not in json.dumps(state)
        again = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "5000"
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(f"c-{i}" for i in range(5000))
    assert json.loads((tmp_path / "contacts.jsonl.state").read_text(encoding="utf-8"))["complete"]


def test_write_jsonl_refuses_another_exports_state(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    with WindowServer(count=50) as server:
        client = v2_11.Intercom(token="t", base_url=server.url)
        assert client.tickets.export(updated_since=0).write_jsonl(out) == 50
        assert client.tickets.export(updated_since=0).write_jsonl(out) == 50  # complete: starts over
        state = json.loads((tmp_path / "t.jsonl.state").read_text(encoding="utf-8"))
        state["complete"] = False
        (tmp_path / "t.jsonl.state").write_text(json.dumps(state), encoding="utf-8")
        with pytest.raises(ValueError, match="other arguments"):
            client.tickets.export(updated_since=5).write_jsonl(out)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 50


def test_cli_exports_companies_since_a_date(tmp_path: Path) -> None:
    out = tmp_path / "companies.jsonl"
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": "tok-cli-secret"}
    with WindowServer(companies=600, span=600 * DAY) as server:
        since = server.company_updated[450]
        args = ["export", "companies", "--base-url", server.url, "--since", str(since), "--out", str(out)]
        done = subprocess.run(
            [sys.executable, "-m", "intercom_ext", *args], env=env, cwd=ROOT, capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(server.companies[450:])
