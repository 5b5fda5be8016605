"""Pass 0: read ``openapi/versions.toml``, the single list of API versions we generate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "openapi" / "versions.toml"
CACHE_DIR = ROOT / ".cache" / "specs"
BUILD_DIR = ROOT / "build"
GENERATED_DIR = ROOT / "generated"


@dataclass(frozen=True)
class Version:
    """One pinned upstream API description."""

    name: str  # "2.11"
    package: str  # "intercom_v2_11"
    header: str  # value of the Intercom-Version header
    url: str
    sha256: str
    shared: str  # path relative to the offline spec dir

    @property
    def module(self) -> str:
        """``intercom_v2_14`` -> ``v2_14``: the version's module under ``intercom_ext``."""
        return self.package.removeprefix("intercom_")

    @property
    def cache_path(self) -> Path:
        return CACHE_DIR / f"{self.name}.yaml"

    @property
    def repaired_path(self) -> Path:
        """Where the repaired spec is written (Prism and the contract tests read it)."""
        return BUILD_DIR / "specs" / f"{self.name}.json"


class ManifestError(ValueError):
    """The manifest is malformed."""


_FIELDS = ("package", "header", "url", "sha256", "shared")


def load_manifest(path: Path = MANIFEST) -> list[Version]:
    data = tomllib.loads(path.read_text())
    versions = []
    for name, entry in data.get("versions", {}).items():
        missing = [f for f in _FIELDS if f not in entry]
        if missing:
            raise ManifestError(f"{path}: version {name!r} is missing {', '.join(missing)}")
        versions.append(Version(name=name, **{f: entry[f] for f in _FIELDS}))
    if not versions:
        raise ManifestError(f"{path}: no [versions.*] entries")
    return versions


def select(versions: list[Version], names: list[str] | None) -> list[Version]:
    """Filter by version name; unknown names are an error listing the known ones."""
    if not names:
        return versions
    known = {v.name: v for v in versions}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ManifestError(f"unknown version(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]
