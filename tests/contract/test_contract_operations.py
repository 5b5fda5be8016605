"""Every operation of every version, called through the public client against Prism (``--errors``).

One test per operation, parametrised from GEN's repaired spec (what the packages were generated from
and what Prism serves). What passes is described in ``contract_check``; how arguments are chosen in
``contract_args``. ``make contract`` runs these and prints one summary line per version.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from codegen.spec import operations
from tests.contract.contract_check import ContractClient, Outcome, check_operation
from tests.contract.prism_server import contract_versions, load_repaired_spec, version_named

pytestmark = pytest.mark.contract


def _contract_deselected(config: pytest.Config) -> bool:
    """``-m 'not contract'`` (pyproject's default): skip preparing specs nobody will use."""
    expression = str(config.getoption("markexpr") or "")
    return bool(re.search(r"\bnot\s+contract\b", expression))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "operation" not in metafunc.fixturenames:
        return
    params: list[Any] = []
    if not _contract_deselected(metafunc.config):
        for version in contract_versions():
            spec = load_repaired_spec(version)
            params += [
                pytest.param(version.name, (method, path), id=f"{version.name} {method.upper()} {path}")
                for path, method, _op in operations(spec)
            ]
    metafunc.parametrize(("version_name", "operation"), params)


def test_operation(
    version_name: str,
    operation: tuple[str, str],
    contract_clients: dict[str, ContractClient],
    record_outcome: Any,
) -> None:
    method, path = operation
    version = version_named(version_name)
    outcome: Outcome = check_operation(
        version=version.name,
        package=version.package,
        spec=load_repaired_spec(version),
        path=path,
        method=method,
        client=contract_clients[version.name],
    )
    record_outcome(outcome)
    assert outcome.ok, outcome.message()
