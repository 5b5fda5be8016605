"""``examples/tour.py`` (what ``make demo`` runs) end to end against the contract run's 2.11 Prism."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.contract.prism_server import PrismServer

pytestmark = pytest.mark.contract

TOUR = Path(__file__).resolve().parents[2] / "examples" / "tour.py"


def test_tour_runs_against_prism(
    prism_servers: dict[str, PrismServer], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if "2.11" not in prism_servers:
        pytest.skip("2.11 is not part of this contract run")
    monkeypatch.setenv("INTERCOM_BASE_URL", prism_servers["2.11"].base_url)
    monkeypatch.delenv("INTERCOM_ACCESS_TOKEN", raising=False)
    spec = importlib.util.spec_from_file_location("tour", TOUR)
    assert spec is not None and spec.loader is not None
    tour = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tour)
    assert tour.main() == 0
    out = capsys.readouterr().out
    assert "NotFoundError 404" in out and "UnprocessableEntityError 422" in out
    assert out.rstrip().endswith("Tour complete.")
