"""What ``intercom-sdk export`` draws on stderr: a redrawn progress bar on a TTY (items, rate, ETA from
``total_count``), plain log lines otherwise; and where the token may come from."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from intercom_ext import cli


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_on_a_tty_is_one_redrawn_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    stream = Stream(tty=True)
    progress = cli._Progress("contacts", stream)
    for done in (250, 500):
        now[0] += 1.0
        progress.update(done, 1000)
    progress.update(1000, 1000, final=True)
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    first = text.split("\r")[1]
    assert first == f"contacts: [{'#' * 7:<30}] 250/1000 250/s ETA 3s"  # 250 items in 1 s: 750 left
    assert "1000/1000" in text.split("\r")[3]


def test_progress_without_a_tty_is_plain_lines_every_few_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    stream = Stream(tty=False)
    progress = cli._Progress("companies", stream)
    for done in range(1, 21):
        now[0] += 1.0
        progress.update(done * 10, None)  # no total_count: count and rate only
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines == [f"companies: {n} 10/s" for n in (10, 60, 110, 160)]  # the first, then every 5 s


def test_token_from_env_or_file_never_a_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", "from-env")
    args = cli._parser().parse_args(["call", "admins", "identify"])
    assert cli._token(args) == "from-env"
    secret = tmp_path / "token"
    secret.write_text("from-file\n", encoding="utf-8")
    args = cli._parser().parse_args(["call", "admins", "identify", "--token-file", str(secret)])
    assert cli._token(args) == "from-file"  # the file wins over the environment
    with pytest.raises(SystemExit) as exc:  # there is no --token flag (nor an abbreviation of --token-file)
        cli._parser().parse_args(["call", "admins", "identify", "--token", "x"])
    assert exc.value.code == 2
