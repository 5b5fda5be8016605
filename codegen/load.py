"""Pass 2: load a spec file (YAML or JSON) into plain dicts and lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_spec(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
    if not isinstance(data, dict) or "openapi" not in data:
        raise ValueError(f"{path}: not an OpenAPI document (no top-level 'openapi' key)")
    return data
