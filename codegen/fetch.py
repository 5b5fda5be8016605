"""Pass 1: put each pinned spec in the git-ignored cache (``.cache/specs``) and verify its sha256.

Source order: ``$INTERCOM_SPEC_DIR`` when set; otherwise the pinned upstream URL, falling back to the
offline copy in ``../shared/openapi`` when the network is unavailable. A file whose sha256 differs
from the manifest is never used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from codegen.manifest import ROOT, Version

DEFAULT_SHARED_DIR = ROOT.parent / "shared" / "openapi"


class SpecFetchError(RuntimeError):
    """A spec could not be obtained or did not match its pinned sha256."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spec_dir() -> Path:
    return Path(os.environ.get("INTERCOM_SPEC_DIR", DEFAULT_SHARED_DIR))


def _download(url: str, dest: Path, timeout: float = 15.0) -> None:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        dest.write_bytes(resp.read())


def _verify(version: Version, path: Path, origin: str) -> None:
    actual = sha256_of(path)
    if actual != version.sha256:
        raise SpecFetchError(
            f"{version.name}: sha256 mismatch for {origin}\n"
            f"  expected (openapi/versions.toml): {version.sha256}\n"
            f"  actual:                           {actual}"
        )


def fetch(version: Version, *, log: bool = True) -> Path:
    """Return the cached, verified spec for ``version``, obtaining it if needed."""
    dest = version.cache_path
    if dest.exists() and sha256_of(dest) == version.sha256:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".part")
    origin = ""
    if "INTERCOM_SPEC_DIR" not in os.environ:
        try:
            _download(version.url, tmp)
            origin = version.url
        except (urllib.error.URLError, OSError, TimeoutError):
            origin = ""
    if not origin:
        local = spec_dir() / version.shared
        if not local.is_file():
            raise SpecFetchError(
                f"{version.name}: no network and no offline copy at {local}; "
                f"download {version.url} there (or set INTERCOM_SPEC_DIR to a folder holding "
                f"{version.shared}) and check its sha256 is {version.sha256}"
            )
        shutil.copyfile(local, tmp)
        origin = str(local)
    try:
        _verify(version, tmp, origin)
    except SpecFetchError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(dest)
    if log:
        print(f"{version.name}: fetched from {origin} (sha256 ok)")
    return dest
