"""Pass 5: write the repaired spec to ``build/specs/<version>.json`` (git-ignored).

The contract tests start Prism from this file, so it must be exactly what the code was generated from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_spec(spec: dict[str, Any], dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return dest
