"""A description of the machine a run was measured on (printed and written to the README)."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata


def _proc_field(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _cpu() -> str:
    return _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")  # "24683412 kB"
    return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB" if total else "?"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[str]:
    load = "/".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    libs = ", ".join(
        f"{d} {_version(d)}" for d in ("httpx", "attrs", "tenacity", "python-intercom", "pydantic")
    )
    return [
        f"CPU: {_cpu()}, {os.cpu_count()} logical cores; RAM {_memory()}",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python: {platform.python_implementation()} {sys.version.split()[0]}",
        f"Libraries: {libs}",
        f"Load average at start (1/5/15 min): {load}",
    ]
