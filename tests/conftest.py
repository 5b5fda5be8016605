import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "generated"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


@pytest.fixture(autouse=True)
def _no_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``$INTERCOM_BASE_URL`` (set by the Prism launcher, ``make demo``) would send every test client
    to it; tests that want it set it themselves."""
    monkeypatch.delenv("INTERCOM_BASE_URL", raising=False)
    # Likewise a deployment's shared rate-limit budget: the Redis tests set it themselves.
    monkeypatch.delenv("INTERCOM_RATE_LIMIT_REDIS_URL", raising=False)
