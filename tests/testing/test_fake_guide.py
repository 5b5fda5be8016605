"""The testing guide's examples run as the pytest file a user would write from it: its plain blocks at
import, its ``test_*`` functions with the plugin's fixtures (no conftest, no ``-p``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "testing.md"


def test_the_testing_guide_runs_under_pytest(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 6
    (tmp_path / "test_from_the_guide.py").write_text("\n".join(blocks), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    printed = done.stdout
    for line in (
        "ada@example.com Ada Lovelace",
        "404 ['not_found']",
        "51",
        "Ada",
        "429 0",
        "connection reset",
    ):
        assert line in printed, printed
    assert "1 [503, 503, 200]" in printed
