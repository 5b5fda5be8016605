"""Contract test harness: one Prism per version (session-scoped, started together), the public client
pointed at it, and the ``make contract`` summary.

Only runs with ``-m contract`` (pyproject's addopts deselect the marker); ``CONTRACT_VERSIONS``
(space or comma separated, e.g. ``2.11``) limits the versions. Every Prism is stopped by the
fixture finalizer (also after a failure or Ctrl-C), at interpreter exit, and on SIGTERM/SIGHUP.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from codegen.manifest import load_manifest
from tests.contract.contract_check import ContractClient, Outcome
from tests.contract.prism_server import (
    PrismError,
    PrismServer,
    contract_versions,
    signals_raise_system_exit,
    start_all,
)

OUTCOMES = pytest.StashKey[list[Outcome]]()
STARTED = pytest.StashKey[dict[str, float]]()
COLLECTED = pytest.StashKey[dict[str, int]]()  # version -> selected contract tests


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OUTCOMES] = []
    config.stash[STARTED] = {}
    config.stash[COLLECTED] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Count the selected contract tests per version: their Prism servers start together."""
    counts: dict[str, int] = {}
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        version = callspec.params.get("version_name") if callspec else None
        if item.get_closest_marker("contract") is not None and isinstance(version, str):
            counts[version] = counts.get(version, 0) + 1
    session.config.stash[COLLECTED] = counts


@pytest.fixture(scope="session")
def prism_servers(pytestconfig: pytest.Config) -> Iterator[dict[str, PrismServer]]:
    """One ``prism mock --errors`` per needed version on a free loopback port, started in parallel."""
    names = list(pytestconfig.stash[COLLECTED]) or [v.name for v in contract_versions()]
    with signals_raise_system_exit():
        began = time.perf_counter()
        try:
            servers = start_all(names)
        except PrismError as exc:
            pytest.fail(f"Prism did not start: {exc}", pytrace=False)
        pytestconfig.stash[STARTED] = {
            "__all__": time.perf_counter() - began,
            **{name: s.startup_seconds for name, s in servers.items()},
        }
        try:
            yield servers
        finally:
            for server in servers.values():
                server.stop()


@pytest.fixture(scope="session")
def contract_clients(prism_servers: dict[str, PrismServer]) -> Iterator[dict[str, ContractClient]]:
    clients = {
        name: ContractClient(server.version.package, server.base_url)
        for name, server in prism_servers.items()
    }
    yield clients
    for client in clients.values():
        client.close()


@pytest.fixture
def record_outcome(pytestconfig: pytest.Config) -> Any:
    return pytestconfig.stash[OUTCOMES].append


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """``<version>: contract N/M operations``, then every failure with Prism's message."""
    collected = config.stash.get(COLLECTED, {})
    if not collected:
        return
    by_version: dict[str, list[Outcome]] = {}
    for outcome in config.stash.get(OUTCOMES, []):
        by_version.setdefault(outcome.version, []).append(outcome)
    write = terminalreporter.write_line
    terminalreporter.section("contract", sep="-")
    for version in [v.name for v in load_manifest()]:
        total = collected.get(version, 0)
        if not total:
            continue
        done = by_version.get(version, [])
        write(f"{version}: contract {sum(o.ok for o in done)}/{total} operations")
        for outcome in done:
            if not outcome.ok:
                write(f"    FAIL {outcome.label}: {outcome.message()}")
        if len(done) < total:
            write(f"    {total - len(done)} operation(s) did not run (see the errors above)")
    started = config.stash.get(STARTED, {})
    if started:
        per_version = ", ".join(f"{k} {v:.1f} s" for k, v in started.items() if k != "__all__")
        write(f"Prism ready in {started['__all__']:.1f} s ({per_version})")
