"""Runs an ``examples/`` script as a user runs it: a subprocess whose environment carries the token
and ``INTERCOM_BASE_URL`` (shared by the Prism and the loopback example tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(
    name: str, base_url: str, *args: str, token: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run ``examples/<name>`` with ``args``; the token must appear in none of its output."""
    env = {**os.environ, "INTERCOM_BASE_URL": base_url, "INTERCOM_ACCESS_TOKEN": token}
    env.pop("INTERCOM_REGION", None)
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert token not in done.stdout + done.stderr
    return done
