"""Real upstream revisions, parsed once per session (each is ~1 MB of YAML)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.specdiff import Changelog, diff_specs, load_spec

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("INTERCOM_SPEC_DIR", REPO.parent / "shared" / "openapi"))

PAIRS = {
    "2.11": ("history/2.11-54a014d.yaml", "2.11/api.intercom.io.yaml"),
    "Unstable": ("history/Unstable-7a21588.yaml", "Unstable/api.intercom.io.yaml"),
}


def _changelog(name: str) -> Changelog:
    old, new = PAIRS[name]
    for rel in (old, new):
        assert (SHARED / rel).is_file(), f"missing {SHARED / rel}: the shared spec copies are required"
    return diff_specs(load_spec(SHARED / old), load_spec(SHARED / new))


@pytest.fixture(scope="session")
def changelog_211() -> Changelog:
    return _changelog("2.11")


@pytest.fixture(scope="session")
def changelog_unstable() -> Changelog:
    return _changelog("Unstable")
