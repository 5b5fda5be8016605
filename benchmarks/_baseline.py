"""python-intercom is the ``bench`` extra; without it the benchmarks still run (ours vs raw httpx /
``json.loads``) and the report says the baseline is missing."""

from __future__ import annotations

import importlib.util


def python_intercom_installed() -> bool:
    return (
        importlib.util.find_spec("intercom") is not None and importlib.util.find_spec("pydantic") is not None
    )
