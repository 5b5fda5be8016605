"""The repair rules are general: older real upstream revisions (../shared/openapi/history) generate
completely too, with no new special case."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.fetch import spec_dir
from codegen.manifest import Version
from codegen.pipeline import generate_version


@pytest.mark.parametrize(
    "filename, name, operations",
    [("2.11-54a014d.yaml", "2.11", 108), ("Unstable-7a21588.yaml", "Unstable", 129)],
)
def test_history_revision_generates_fully_without_warnings(
    tmp_path: Path, filename: str, name: str, operations: int
) -> None:
    version = Version(name, f"hist_{name.replace('.', '_').lower()}", name, "", "", "")
    report = generate_version(
        version, spec_dir() / "history" / filename, tmp_path, spec_out=tmp_path / "spec.json"
    )
    assert report.warnings == []
    assert report.operations == (operations, operations)
    assert report.schemas[0] == report.schemas[1]
    assert report.responses[0] == report.responses[1]
