"""Every ```python block of README.md runs, in order, against a local loopback server.

All regions are pointed at the server, so the README can show ``region="eu"`` and the default
region honestly while nothing leaves the machine."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intercom_ext import _regions
from tests._loopback import CONTACTS, serve

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serve() as url:
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
    assert "404 req-readme [('not_found', 'User Not Found')]" in printed
    assert namespace["found"] == [c["id"] for c in CONTACTS]
    assert namespace["companies"] == ["co-0", "co-1"]
    assert namespace["new"].email == "ada@example.com"
