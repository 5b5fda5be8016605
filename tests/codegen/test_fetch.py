from __future__ import annotations

import re
from pathlib import Path

import pytest

import codegen.manifest
from codegen.fetch import SpecFetchError, fetch, sha256_of
from codegen.manifest import ManifestError, Version, load_manifest, select


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    specs = tmp_path / "shared"
    (specs / "9.9").mkdir(parents=True)
    monkeypatch.setenv("INTERCOM_SPEC_DIR", str(specs))
    monkeypatch.setattr(codegen.manifest, "CACHE_DIR", tmp_path / "cache")
    return specs


def _version(sha: str) -> Version:
    return Version("9.9", "intercom_v9_9", "9.9", "https://example.invalid/spec.yaml", sha, "9.9/api.yaml")


def test_copies_from_spec_dir_and_verifies_sha(offline: Path) -> None:
    src = offline / "9.9" / "api.yaml"
    src.write_text("openapi: 3.0.1\n")
    path = fetch(_version(sha256_of(src)), log=False)
    assert path.read_text() == "openapi: 3.0.1\n"
    assert path.parent == codegen.manifest.CACHE_DIR


def test_sha_mismatch_names_version_and_both_hashes(offline: Path) -> None:
    src = offline / "9.9" / "api.yaml"
    src.write_text("openapi: 3.0.1\n")
    with pytest.raises(SpecFetchError) as err:
        fetch(_version("0" * 64), log=False)
    message = str(err.value)
    assert "9.9" in message and "0" * 64 in message and sha256_of(src) in message
    assert not codegen.manifest.CACHE_DIR.joinpath("9.9.yaml").exists()


def test_missing_offline_file_explains_how_to_provide_it(offline: Path) -> None:
    with pytest.raises(SpecFetchError, match=r"9\.9: no network and no offline copy .*INTERCOM_SPEC_DIR"):
        fetch(_version("0" * 64), log=False)


def test_manifest_lists_its_tables_in_order_and_rejects_unknown_names() -> None:
    import tomllib

    tables = tomllib.loads(codegen.manifest.MANIFEST.read_text())["versions"]
    versions = load_manifest()
    assert [(v.name, v.package, v.header) for v in versions] == [
        (name, t["package"], t["header"]) for name, t in tables.items()
    ]
    assert {"2.10", "2.11", "2.14", "2.16", "Preview"} <= {v.name for v in versions}
    known = ", ".join(v.name for v in versions)
    with pytest.raises(ManifestError, match=f"known: {re.escape(known)}$"):
        select(versions, ["3.0"])


def test_manifest_entry_missing_a_field_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "versions.toml"
    bad.write_text('[versions."1.0"]\npackage = "x"\n')
    with pytest.raises(ManifestError, match="missing header, url, sha256, shared"):
        load_manifest(bad)
