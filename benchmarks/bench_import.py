"""1. Cold import: a fresh interpreter runs ``from intercom_ext import v2_11;
v2_11.Intercom(token=...).contacts`` (ours) or ``import intercom; intercom.Intercom(token=...).contacts``
(python-intercom 5.0.1); the child times the statement itself with ``perf_counter`` (interpreter
start-up, the same for both, is reported separately as process wall time).

Both clients defer work to the first request (ours imports httpx and builds its httpx.Client there),
so the same children also time import, construction and the first page of ``contacts.list()``
from a loopback server (``server.py``): "to the first contact".

Bytecode is cached for both, as after ``pip install``: children write and read ``.pyc`` files under a
private ``PYTHONPYCACHEPREFIX`` (a warm-up run fills it), whatever ``PYTHONDONTWRITEBYTECODE`` says.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks._baseline import python_intercom_installed
from benchmarks._stats import Series, alternate, ratio

STATEMENTS = {
    "ours": "from intercom_ext import v2_11\nv2_11.Intercom(token='bench-token').contacts",
    "python-intercom": "import intercom\nintercom.Intercom(token='bench-token').contacts",
}
CHILD = "{prelude}import time\n_t0 = time.perf_counter()\n{stmt}\nprint(time.perf_counter() - _t0)\n"
# The share of each statement that is not importing httpx: the same, timed after an untimed
# `import httpx, httpcore` (both SDKs import httpx and build an httpx.Client at construction).
PRELUDE = "import httpx, httpcore\n"
PRELOADED = " (httpx preloaded)"
FIRST = ", to the first contact"
FIRST_STATEMENTS = {
    "ours": "from intercom_ext import v2_11\n"
    "next(iter(v2_11.Intercom(token='bench-token', base_url={url!r}).contacts.list()))",
    "python-intercom": "import intercom\n"
    "next(iter(intercom.Intercom(token='bench-token', base_url={url!r}).contacts.list()))",
}


@dataclass
class ImportResult:
    statement: dict[str, Series]  # seconds, timed inside the child; also "<name> (httpx preloaded)"
    # and "<name>, to the first contact"
    process: dict[str, Series]  # seconds, spawn to exit
    ratio: Series  # ours / python-intercom, statement time
    first_ratio: Series  # the same, to the first contact
    importtime: list[str]  # ours: -X importtime tree (cumulative, self, module)


def child_env(cache_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache_dir
    return env


def _run(stmt: str, env: dict[str, str], prelude: str = "") -> tuple[float, float]:
    start = time.perf_counter()
    code = CHILD.format(prelude=prelude, stmt=stmt)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return float(out.stdout.strip().splitlines()[-1]), wall


def _importtime(env: dict[str, str], code: str) -> list[tuple[int, int, int, str]]:
    """``python -X importtime -c code`` as (depth, self us, cumulative us, module), in pre-order."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    pending: dict[int, list[tuple[tuple[int, int, int, str], list[Any]]]] = {}
    for line in out.stderr.splitlines():  # post-order: a module is printed after what it imported
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        node = ((depth, int(own), int(cumulative), name.strip()), pending.pop(depth + 1, []))
        pending.setdefault(depth, []).append(node)
    rows: list[tuple[int, int, int, str]] = []

    def walk(nodes: list[Any]) -> None:
        for row, children in nodes:
            rows.append(row)
            walk(children)

    walk(pending.get(0, []))
    return rows


def importtime_tree(env: dict[str, str], min_seconds: float = 0.004, max_depth: int = 3) -> list[str]:
    """Our statement's imports (interpreter start-up excluded) down to ``max_depth``, entries costing
    at least ``min_seconds`` cumulative, as ``cumulative  self  module`` lines."""
    startup = {row[3] for row in _importtime(env, "pass")}
    lines = []
    skip_below: int | None = None
    for depth, own, cumulative, name in _importtime(env, STATEMENTS["ours"]):
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        if depth == 0 and name in startup:
            skip_below = 0
            continue
        if depth <= max_depth and cumulative / 1e6 >= min_seconds:
            lines.append(f"{cumulative / 1000:7.1f} ms {own / 1000:6.1f} ms  {'  ' * depth}{name}")
    return lines


def run(reps: int = 15, contenders: tuple[str, ...] = ("ours", "python-intercom")) -> ImportResult:
    from benchmarks.bench_iterate import loopback_server

    if not python_intercom_installed():
        contenders = tuple(c for c in contenders if c != "python-intercom")
    with tempfile.TemporaryDirectory(prefix="bench-pyc-") as cache, loopback_server(1, 150) as url:
        env = child_env(cache)
        statements = {name: STATEMENTS[name] for name in contenders}
        statements |= {name + PRELOADED: STATEMENTS[name] for name in contenders}
        statements |= {name + FIRST: FIRST_STATEMENTS[name].format(url=url) for name in contenders}
        for name in contenders:  # warm-up: compile and cache bytecode for both
            _run(statements[name + FIRST], env)
        walls: dict[str, Series] = {name: Series() for name in statements}

        def measure(name: str) -> Callable[[], float]:
            def once() -> float:
                inner, wall = _run(statements[name], env, PRELUDE if name.endswith(PRELOADED) else "")
                walls[name].values.append(wall)
                return inner

            return once

        stmt = alternate({name: measure(name) for name in statements}, reps, collect=False)
        top = importtime_tree(env)
    nan = Series([float("nan")])
    base = stmt.get("python-intercom")
    base_first = stmt.get("python-intercom" + FIRST)
    return ImportResult(
        statement=stmt,
        process=walls,
        ratio=ratio(stmt["ours"], base) if base else nan,
        first_ratio=ratio(stmt["ours" + FIRST], base_first) if base_first else nan,
        importtime=top,
    )
