"""Pass 0: read ``openapi/versions.toml``, the single list of API versions we generate."""

from __future__ import annotations

import re
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
    aliases: tuple[str, ...] = ()  # other version names served by this package ("Unstable")

    @property
    def module(self) -> str:
        """``intercom_v2_14`` -> ``v2_14``: the version's module under ``intercom_ext``."""
        return self.package.removeprefix("intercom_")

    @property
    def alias_modules(self) -> dict[str, str]:
        """Alias name -> its module under ``intercom_ext`` (``"Unstable"`` -> ``unstable``)."""
        return {alias: alias_module(alias) for alias in self.aliases}

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


def alias_module(name: str) -> str:
    """The ``intercom_ext`` module of a version: ``"2.17"`` -> ``v2_17``, ``"Preview"`` -> ``preview``."""
    module = re.sub(r"\W", "_", name.lower())
    return f"v{module}" if module[:1].isdigit() else module


def package_for(name: str) -> str:
    """The package name the naming rule gives a new version (``"2.17"`` -> ``intercom_v2_17``)."""
    return f"intercom_{alias_module(name)}"


def _entries(path: Path, table: str) -> list[Version]:
    data = tomllib.loads(path.read_text())
    versions = []
    for name, entry in data.get(table, {}).items():
        missing = [f for f in _FIELDS if f not in entry]
        if missing:
            raise ManifestError(f"{path}: {table} {name!r} is missing {', '.join(missing)}")
        aliases = tuple(entry.get("aliases", ()))
        versions.append(Version(name=name, aliases=aliases, **{f: entry[f] for f in _FIELDS}))
    return versions


def load_manifest(path: Path = MANIFEST) -> list[Version]:
    versions = _entries(path, "versions")
    if not versions:
        raise ManifestError(f"{path}: no [versions.*] entries")
    names = {v.name for v in versions}
    modules = {v.module for v in versions}
    for v in versions:
        for alias, module in v.alias_modules.items():
            if alias in names or module in modules:
                raise ManifestError(f"{path}: alias {alias!r} of {v.name!r} is also a version")
    return versions


def load_history(path: Path = MANIFEST) -> list[Version]:
    """``[history.*]``: earlier pins no longer generated (the upgrade report generates them on demand)."""
    return _entries(path, "history")


def select(versions: list[Version], names: list[str] | None) -> list[Version]:
    """Filter by version name; unknown names are an error listing the known ones."""
    if not names:
        return versions
    known = {v.name: v for v in versions}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ManifestError(f"unknown version(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]
