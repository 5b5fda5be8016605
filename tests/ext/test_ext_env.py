"""The environment: ``$INTERCOM_BASE_URL`` (after ``base_url=``, before ``region``) and ``$INTERCOM_LOG``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from ext_helpers import BASE, TOKEN, VERSION, json_response

from intercom_ext import REGIONS, IntercomConfigError, SyncAPIClient

ROOT = Path(__file__).resolve().parents[2]
ENV_URL = "http://127.0.0.1:4010"
OWN_URL = "http://127.0.0.1:1"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTERCOM_ACCESS_TOKEN", "INTERCOM_REGION", "INTERCOM_BASE_URL", "INTERCOM_LOG"):
        monkeypatch.delenv(name, raising=False)


# -- $INTERCOM_BASE_URL -----------------------------------------------------------------------------


def test_env_base_url_is_used_and_requests_go_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERCOM_BASE_URL", ENV_URL + "/mock/")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, {"ok": True})

    client = SyncAPIClient(
        version_header=VERSION, token=TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    assert client.base_url == ENV_URL + "/mock"
    assert client.region is None
    client.request({"method": "get", "url": "/contacts"}, lambda r: r.json())
    assert [str(r.url) for r in seen] == [ENV_URL + "/mock/contacts"]


@pytest.mark.parametrize(
    ("kwargs", "env", "expected_url", "expected_region"),
    [
        # base_url= wins over everything
        ({"base_url": OWN_URL}, {"INTERCOM_BASE_URL": ENV_URL}, OWN_URL, None),
        ({"base_url": OWN_URL, "region": "eu"}, {"INTERCOM_BASE_URL": ENV_URL}, OWN_URL, "eu"),
        # then $INTERCOM_BASE_URL, over region= and $INTERCOM_REGION (the region is still validated and kept)
        ({"region": "eu"}, {"INTERCOM_BASE_URL": ENV_URL}, ENV_URL, "eu"),
        ({}, {"INTERCOM_BASE_URL": ENV_URL, "INTERCOM_REGION": "au"}, ENV_URL, None),
        # then region=, then $INTERCOM_REGION, then us
        ({"region": "eu"}, {"INTERCOM_REGION": "au"}, REGIONS["eu"], "eu"),
        ({}, {"INTERCOM_REGION": "au"}, REGIONS["au"], "au"),
        ({}, {}, REGIONS["us"], "us"),
        # a blank variable counts as unset
        ({}, {"INTERCOM_BASE_URL": "  ", "INTERCOM_REGION": "eu"}, REGIONS["eu"], "eu"),
    ],
)
def test_base_url_precedence(
    monkeypatch: pytest.MonkeyPatch,
    kwargs: dict[str, str],
    env: dict[str, str],
    expected_url: str,
    expected_region: str | None,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, **kwargs)  # type: ignore[arg-type]
    assert (client.base_url, client.region) == (expected_url, expected_region)


def test_env_base_url_through_the_facade(monkeypatch: pytest.MonkeyPatch) -> None:
    from intercom_ext import v2_11

    monkeypatch.setenv("INTERCOM_BASE_URL", ENV_URL)
    assert v2_11.Intercom(token=TOKEN, region="au").base_url == ENV_URL
    assert v2_11.AsyncIntercom(token=TOKEN).base_url == ENV_URL


def test_bad_env_base_url_is_a_config_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERCOM_BASE_URL", "localhost:4010")
    with pytest.raises(IntercomConfigError, match=r"\$INTERCOM_BASE_URL must start with http"):
        SyncAPIClient(version_header=VERSION, token=TOKEN)
    with pytest.raises(IntercomConfigError, match="valid regions"):  # region= is validated first
        SyncAPIClient(version_header=VERSION, token=TOKEN, region="mars")


# -- $INTERCOM_LOG ----------------------------------------------------------------------------------

# A child process: the stderr handler is added once per process, when a client is constructed.
CHILD = textwrap.dedent(
    """
    import httpx
    from intercom_ext import SyncAPIClient

    replies = iter([
        httpx.Response(503, json={{}}, headers={{"x-request-id": "rid-1", "retry-after": "2"}}),
        httpx.Response(200, json={{"ok": True}}, headers={{"x-request-id": "rid-2"}}),
    ])
    transport = httpx.MockTransport(lambda request: next(replies))
    for _ in range(2):  # a second client must not add a second handler
        client = SyncAPIClient(
            version_header="2.11", token={token!r}, base_url={base!r}, rate_limiter=None,
            http_client=httpx.Client(transport=transport), sleep=lambda seconds: None,
        )
    kwargs = {{"method": "get", "url": "/contacts/c-1", "params": {{"email": "a@b.c"}}}}
    client.request(kwargs, lambda r: r.json())
    print("done")
    """
)


def _run_child(level: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCOM_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "generated")])
    if level is not None:
        env["INTERCOM_LOG"] = level
    code = CHILD.format(token=TOKEN, base=BASE)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )


def test_intercom_log_debug_writes_requests_responses_and_retries_to_stderr() -> None:
    result = _run_child("debug")
    assert result.stdout.strip() == "done"
    lines = result.stderr.splitlines()
    url = f"{BASE}/contacts/c-1"
    expected = [
        f"DEBUG] Sending GET {url} (attempt 1 of 3)",
        f"INFO] GET {url} -> 503 (request_id=rid-1, attempt 1 of 3)",
        f"INFO] Retrying GET {url} in 2.00s (retry 1 of 2) after status 503 (request_id=rid-1)",
        f"DEBUG] Sending GET {url} (attempt 2 of 3)",
        f"INFO] GET {url} -> 200 (request_id=rid-2, attempt 2 of 3)",
    ]
    assert [line.split(" intercom_ext ", 1)[1] for line in lines] == expected  # once each: one handler
    assert all(line.startswith("[") for line in lines)  # [time intercom_ext LEVEL] message
    assert TOKEN not in result.stderr and "Bearer" not in result.stderr
    assert "a@b.c" not in result.stderr  # URLs are logged without their query string


def test_intercom_log_info_leaves_out_debug_lines() -> None:
    lines = _run_child("INFO").stderr.splitlines()
    assert len(lines) == 3
    assert all(" intercom_ext INFO] " in line for line in lines)


@pytest.mark.parametrize("level", [None, "verbose"])
def test_without_intercom_log_nothing_is_printed(level: str | None) -> None:
    assert _run_child(level).stderr == ""
