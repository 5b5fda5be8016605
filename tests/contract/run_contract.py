"""``make contract``: run the contract tests and print one line per version.

    python tests/contract/run_contract.py [VERSION ...]

Runs ``pytest -m contract tests/contract`` (quietly: a dot per operation, no tracebacks) and the
harness prints ``<version>: contract N/M operations`` and each failure with Prism's validation
message. Exit status: pytest's (0 when every operation passed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main(argv: list[str]) -> int:
    if argv:
        os.environ["CONTRACT_VERSIONS"] = " ".join(argv)
    os.chdir(ROOT)
    began = time.perf_counter()
    code = pytest.main(
        [
            "-m",
            "contract",
            "-q",
            "--tb=no",
            "-rN",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            str(HERE.relative_to(ROOT)),
        ]
    )
    print(f"contract run took {time.perf_counter() - began:.1f} s")
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
