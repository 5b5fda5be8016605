"""The pytest plugin in a project of its own, and ``intercom-sdk mock`` in a process of its own."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from intercom_ext import cli, v2_11
from tests.test_readme import quickstart

USER_TESTS = """
from intercom_ext import v2_11, v2_16


def test_the_default_fake(intercom_fake):
    client = v2_16.Intercom(token="t", base_url=intercom_fake.url)
    client.contacts.create(email="ada@example.com")
    assert [r.operation for r in intercom_fake.requests] == ["contacts.create"]


def test_a_fresh_fake_each_test(intercom_fake):
    assert intercom_fake.requests == []


def test_the_factory(intercom_fake_factory):
    fake = intercom_fake_factory(version="2.11", rate_limit=(100, 10))
    client = v2_11.Intercom(token="t", base_url=fake.url)
    assert client.with_raw_response.admins.identify().headers["X-RateLimit-Remaining"] == "99"
    assert fake.version == "2.11"
"""


def test_the_fixtures_come_with_the_package(tmp_path: Path) -> None:
    """Only the installed package's entry point provides them: no conftest, no -p."""
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
            "test_user.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_intercom_sdk_mock_serves_until_interrupted(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "intercom_ext",
        "mock",
        "--port",
        "0",
        "--seed",
        "20",
        "--rate-limit",
        "100/10",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        url = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
        assert url, lines
        assert lines[1].strip() == f"export INTERCOM_BASE_URL={url.group(0)}"
        assert lines[2].strip() == "export INTERCOM_ACCESS_TOKEN=fake-token"
        env_client = v2_11.Intercom(token="fake-token", base_url=url.group(0))
        assert len(list(env_client.contacts.list())) == 20
        raw = env_client.with_raw_response.admins.identify()
        assert raw.headers["X-RateLimit-Limit"] == "100"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "mock stopped" in err


def test_the_readme_quickstart_runs_as_is_against_intercom_sdk_mock(tmp_path: Path) -> None:
    """README: `intercom-sdk mock` in one shell, the quickstart in another."""
    (tmp_path / "quickstart.py").write_text(quickstart(), encoding="utf-8")
    mock = subprocess.Popen(
        [sys.executable, "-m", "intercom_ext", "mock", "--port", "0", "--seed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert mock.stdout is not None
        exports = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in [mock.stdout.readline() for _ in range(3)][1:]
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCOM_")}
        done = subprocess.run(
            [sys.executable, "quickstart.py"],
            cwd=tmp_path,
            env={**env, **exports},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        mock.send_signal(signal.SIGINT)
        mock.communicate(timeout=30)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len([line for line in lines if "@example.com" in line]) >= 5  # the seeded contacts, then Ada
    assert "ada@example.com" in lines
    assert lines[-1].startswith("404 ") and "not_found" in lines[-1]


def test_mock_arguments_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["mock", "--rate-limit", "lots"]) == 2
    assert "LIMIT/SECONDS" in capsys.readouterr().err
    assert cli.main(["mock", "--seed", "-1"]) == 2


def test_mock_prints_the_lines_to_use_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []

    def wait() -> None:
        seen.append(capsys.readouterr().out)
        raise KeyboardInterrupt

    args = cli._parser().parse_args(["mock", "--port", "0", "--version", "2.14"])
    assert cli._mock(args, wait) == 0
    assert "(API 2.14)" in seen[0] and "export INTERCOM_ACCESS_TOKEN=fake-token" in seen[0]
    assert os.environ.get("INTERCOM_BASE_URL") is None
