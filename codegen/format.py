"""Pass 9: lint-fix and format the generated package with the project's pinned ruff and config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codegen.manifest import ROOT

CONFIG = Path(__file__).with_name("ruff-generated.toml")


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ruff"]


def format_package(package_dir: Path) -> None:
    config = ["--config", str(CONFIG)]
    for args in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        subprocess.run([*_ruff(), *args, *config, str(package_dir)], check=True, cwd=ROOT)
