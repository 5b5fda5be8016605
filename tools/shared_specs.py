"""Provide ``../shared/openapi`` on a machine that has a network but no copy (GitHub Actions).

Downloads every manifest pin (``[versions]`` and ``[history]``) to ``<dest>/<shared>`` and the older
revisions the tests use to
``<dest>/history/``, verifying each sha256; a file already there with the right sha256 is kept.
``python tools/shared_specs.py [DEST]`` (default: ``../shared/openapi`` beside the checkout).
"""

from __future__ import annotations

import hashlib
import sys
import urllib.request
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
RAW = "https://raw.githubusercontent.com/intercom/Intercom-OpenAPI/{ref}/descriptions/{dir}/api.intercom.io.yaml"
#: history/ (older real revisions: tests/codegen/test_other_revisions.py, tests/specdiff, spec-watch)
HISTORY = {
    "history/2.11-54a014d.yaml": (
        RAW.format(ref="54a014d1f65d30e1709c9f5c6807b3f3778f9f49", dir="2.11"),
        "057f7e1e083a38fef008cb4c5ff0d81d3b7d2af86e49525d9624c7bd0f342318",
    ),
    "history/Unstable-7a21588.yaml": (
        RAW.format(ref="7a21588f7144323fde9f0bf6c0b4f14174136933", dir="0"),
        "e02057df972048d0b32f6087e838f3b6b48a707f5777d8a170c6fdff05cfc9f8",
    ),
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else ROOT.parent / "shared" / "openapi"
    data = tomllib.loads((ROOT / "openapi" / "versions.toml").read_text())
    pins = [*data["versions"].values(), *data.get("history", {}).values()]
    wanted = {e["shared"]: (e["url"], e["sha256"]) for e in pins} | HISTORY
    for rel, (url, sha) in wanted.items():
        target = dest / rel
        if target.is_file() and _sha(target) == sha:
            print(f"{rel}: present (sha256 ok)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(url, timeout=60) as resp:
            target.write_bytes(resp.read())
        if _sha(target) != sha:
            target.unlink()
            print(f"{rel}: {url} does not have the pinned sha256 {sha}", file=sys.stderr)
            return 1
        print(f"{rel}: downloaded from {url} (sha256 ok)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
