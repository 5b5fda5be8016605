"""Construction (regions, token), headers, request building, options and lifecycle of the base clients."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from ext_helpers import BASE, TOKEN, VERSION, as_json, get_kwargs, json_response, make_async, make_sync

import intercom_ext
from intercom_ext import (
    DEFAULT_TIMEOUT,
    REGIONS,
    APIStatusError,
    AsyncAPIClient,
    IntercomConfigError,
    IntercomError,
    MissingTokenError,
    PaginationStyle,
    RawResponse,
    SyncAPIClient,
    async_to_raw_response_wrapper,
    json_parser,
    parse_none,
    to_raw_response_wrapper,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERCOM_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("INTERCOM_REGION", raising=False)


def ok(_: httpx.Request) -> httpx.Response:
    return json_response(200, {"type": "contact", "id": "1"})


# -- regions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "url"),
    [
        ("us", "https://api.intercom.io"),
        ("eu", "https://api.eu.intercom.io"),
        ("au", "https://api.au.intercom.io"),
        ("EU", "https://api.eu.intercom.io"),
    ],
)
def test_region_selects_host(region: str, url: str) -> None:
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, region=region)
    assert client.base_url == url
    assert client.region == region.lower()
    client.close()


def test_region_defaults_to_us_then_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert SyncAPIClient(version_header=VERSION, token=TOKEN).base_url == REGIONS["us"]
    monkeypatch.setenv("INTERCOM_REGION", "au")
    client = SyncAPIClient(version_header=VERSION, token=TOKEN)
    assert client.base_url == "https://api.au.intercom.io"
    assert client.region == "au"
    # an explicit region beats the environment
    assert SyncAPIClient(version_header=VERSION, token=TOKEN, region="eu").base_url == REGIONS["eu"]


def test_unknown_region_is_value_error_listing_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="valid regions are: au, eu, us") as info:
        SyncAPIClient(version_header=VERSION, token=TOKEN, region="mars")
    assert isinstance(info.value, IntercomConfigError)
    assert "'mars'" in str(info.value)
    monkeypatch.setenv("INTERCOM_REGION", "jp")
    with pytest.raises(ValueError, match="'jp'"):
        SyncAPIClient(version_header=VERSION, token=TOKEN)


def test_base_url_overrides_region_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERCOM_REGION", "eu")
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url="http://127.0.0.1:4010/mock/")
    assert client.base_url == "http://127.0.0.1:4010/mock"
    assert client.region is None
    with pytest.raises(IntercomConfigError):
        SyncAPIClient(version_header=VERSION, token=TOKEN, base_url="localhost:4010")


def test_base_url_with_path_prefix_is_joined() -> None:
    client, rec, _ = make_sync(ok, base_url="http://127.0.0.1:4010/prefix/")
    client.request(get_kwargs("/contacts/abc%2F1"), as_json)
    assert str(rec.requests[0].url) == "http://127.0.0.1:4010/prefix/contacts/abc%2F1"


# -- token ----------------------------------------------------------------------------------------


def test_missing_token_is_typed_error_at_construction() -> None:
    with pytest.raises(MissingTokenError, match="INTERCOM_ACCESS_TOKEN"):
        SyncAPIClient(version_header=VERSION)
    with pytest.raises(MissingTokenError):
        AsyncAPIClient(version_header=VERSION, token="  ")
    assert issubclass(MissingTokenError, IntercomError)


def test_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", "env-token")
    client, rec, _ = make_sync(ok, token=None)
    client.request(get_kwargs(), as_json)
    assert rec.requests[0].headers["authorization"] == "Bearer env-token"


@pytest.mark.parametrize("bad", ["abc def", "abc\ndef", "tökén", "abc\x00"])
def test_malformed_token_rejected_without_echo(bad: str) -> None:
    with pytest.raises(IntercomConfigError) as info:
        SyncAPIClient(version_header=VERSION, token=bad)
    assert bad not in str(info.value)


def test_version_header_required() -> None:
    with pytest.raises(IntercomConfigError):
        SyncAPIClient(version_header=" ", token=TOKEN)


@pytest.mark.parametrize("bad", [-1, True, 1.5])
def test_max_retries_validated(bad: object) -> None:
    with pytest.raises(IntercomConfigError):
        SyncAPIClient(version_header=VERSION, token=TOKEN, max_retries=bad)  # type: ignore[arg-type]


# -- headers --------------------------------------------------------------------------------------


def test_default_headers_on_every_request() -> None:
    client, rec, _ = make_sync(ok)
    client.request(get_kwargs(), as_json)
    client.request({"method": "post", "url": "/contacts", "json": {"email": "a@b.c"}}, as_json)
    for request in rec.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["intercom-version"] == VERSION
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"] == f"intercom-sdk-python/{intercom_ext.__version__}"
    assert json.loads(rec.requests[1].content) == {"email": "a@b.c"}
    assert rec.requests[1].headers["content-type"] == "application/json"


def test_header_precedence() -> None:
    client, rec, _ = make_sync(ok, default_headers={"X-App": "a", "Intercom-Version": "Unstable"})
    kwargs = get_kwargs(headers={"X-App": "b", "X-Gen": "g"})
    client.request(
        kwargs, as_json, options={"extra_headers": {"x-gen": "override", "Authorization": "Bearer other"}}
    )
    headers = rec.requests[0].headers
    assert headers["intercom-version"] == "Unstable"  # default_headers beat the built-ins
    assert headers["x-app"] == "b"  # the generated kwargs' headers beat default_headers
    assert headers["x-gen"] == "override"  # extra_headers win over everything
    assert headers["authorization"] == "Bearer other"
    assert headers.get_list("x-gen") == ["override"]  # replaced case-insensitively, not duplicated
    assert kwargs["headers"] == {"X-App": "b", "X-Gen": "g"}  # caller's dict untouched


def test_extra_query_and_extra_body() -> None:
    client, rec, _ = make_sync(ok)
    client.request(
        {"method": "post", "url": "/x", "params": {"a": 1}, "json": {"k": "v"}},
        as_json,
        options={"extra_query": {"b": "2"}, "extra_body": {"extra": True}},
    )
    request = rec.requests[0]
    assert dict(request.url.params) == {"a": "1", "b": "2"}
    assert json.loads(request.content) == {"k": "v", "extra": True}


def test_unknown_kwargs_rejected() -> None:
    client, _, _ = make_sync(ok)
    with pytest.raises(TypeError, match="bogus"):
        client.request({"method": "get", "url": "/x", "bogus": 1}, as_json)


def test_absolute_url_to_other_origin_refused() -> None:
    client, rec, _ = make_sync(ok)
    with pytest.raises(ValueError, match="another origin"):
        client.request(get_kwargs("https://evil.example/contacts"), as_json)
    client.request(get_kwargs(f"{BASE}/contacts"), as_json)  # same origin is fine
    assert len(rec.requests) == 1


def test_user_supplied_http_client_base_url_ignored_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, {})

    http = httpx.Client(
        base_url="https://wrong.example", headers={"X-Mine": "1"}, transport=httpx.MockTransport(handler)
    )
    with SyncAPIClient(version_header=VERSION, token=TOKEN, region="eu", http_client=http) as client:
        client.request(get_kwargs(), as_json)
        assert client.http_client is http
    assert str(seen[0].url) == "https://api.eu.intercom.io/contacts"
    assert seen[0].headers["x-mine"] == "1"  # the user's client headers still apply
    assert seen[0].headers["user-agent"].startswith("intercom-sdk-python/")
    assert not http.is_closed
    http.close()


def test_wrong_http_client_type() -> None:
    with pytest.raises(TypeError):
        SyncAPIClient(version_header=VERSION, token=TOKEN, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncAPIClient(version_header=VERSION, token=TOKEN, http_client=httpx.Client())  # type: ignore[arg-type]


def test_own_http_client_closed_by_context_manager() -> None:
    with SyncAPIClient(version_header=VERSION, token=TOKEN) as client:
        assert not client.is_closed
    assert client.is_closed


async def test_async_context_manager_closes_own_client() -> None:
    async with AsyncAPIClient(version_header=VERSION, token=TOKEN) as client:
        assert not client.is_closed
    assert client.is_closed


# The own httpx client is created on the first request (or first read of http_client), not in
# __init__. These tests count creations by replacing httpx.Client / httpx.AsyncClient with a
# subclass that answers from a MockTransport.


def counting_client(monkeypatch: pytest.MonkeyPatch, *, delay: float = 0.0) -> list[httpx.Client]:
    created: list[httpx.Client] = []

    class Counting(httpx.Client):
        def __init__(self, **kwargs: Any) -> None:
            created.append(self)
            time.sleep(delay)  # widens the window in which a second thread could also create one
            super().__init__(transport=httpx.MockTransport(ok), **kwargs)

    monkeypatch.setattr(httpx, "Client", Counting)
    return created


def counting_async_client(monkeypatch: pytest.MonkeyPatch) -> list[httpx.AsyncClient]:
    created: list[httpx.AsyncClient] = []

    class Counting(httpx.AsyncClient):
        def __init__(self, **kwargs: Any) -> None:
            created.append(self)
            super().__init__(transport=httpx.MockTransport(ok), **kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", Counting)
    return created


def test_own_http_client_created_on_first_request_only(monkeypatch: pytest.MonkeyPatch) -> None:
    created = counting_client(monkeypatch)
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=BASE)
    assert created == []
    assert not client.is_closed
    assert client.request(get_kwargs(), as_json) == {"type": "contact", "id": "1"}
    client.request(get_kwargs(), as_json)
    assert len(created) == 1
    assert client.http_client is created[0]  # the property returns the client requests go through
    assert not client.http_client.follow_redirects
    client.close()
    assert client.is_closed
    assert created[0].is_closed


def test_http_client_property_creates_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    created = counting_client(monkeypatch)
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=BASE)
    http = client.http_client
    assert created == [http]
    assert client.http_client is http
    client.request(get_kwargs(), as_json)
    assert created == [http]
    client.close()


async def test_async_own_http_client_created_on_first_request_only(monkeypatch: pytest.MonkeyPatch) -> None:
    created = counting_async_client(monkeypatch)
    client = AsyncAPIClient(version_header=VERSION, token=TOKEN, base_url=BASE)
    assert created == []
    assert not client.is_closed
    assert await client.request(get_kwargs(), as_json) == {"type": "contact", "id": "1"}
    await client.request(get_kwargs(), as_json)
    assert len(created) == 1
    assert client.http_client is created[0]
    assert not client.http_client.follow_redirects
    await client.close()
    assert client.is_closed
    assert created[0].is_closed


def test_concurrent_first_requests_create_one_client(monkeypatch: pytest.MonkeyPatch) -> None:
    created = counting_client(monkeypatch, delay=0.05)
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=BASE)
    start = threading.Barrier(8)
    results: list[Any] = []
    errors: list[BaseException] = []

    def first_request() -> None:
        try:
            start.wait()
            results.append(client.request(get_kwargs(), as_json))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [{"type": "contact", "id": "1"}] * 8
    assert len(created) == 1
    assert client.http_client is created[0]
    client.close()


# Never reached while the behaviour holds; if it regressed, a refused loopback connection fails fast.
UNREACHABLE = "http://127.0.0.1:9"


def test_close_before_first_request_then_request_fails() -> None:
    client = SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=UNREACHABLE, max_retries=0)
    client.close()
    assert client.is_closed
    with pytest.raises(RuntimeError, match="client has been closed"):
        client.request(get_kwargs(), as_json)
    with pytest.raises(RuntimeError, match="client has been closed"):
        list(client.paginate(get_kwargs(), dict, style=PaginationStyle.CURSOR, items=lambda p: p["data"]))
    assert client.http_client.is_closed
    client.close()  # closing twice is harmless

    with SyncAPIClient(version_header=VERSION, token=TOKEN, base_url=UNREACHABLE, max_retries=0) as unused:
        pass
    with pytest.raises(RuntimeError, match="client has been closed"):
        unused.request(get_kwargs(), as_json)


async def test_async_close_before_first_request_then_request_fails() -> None:
    async with AsyncAPIClient(
        version_header=VERSION, token=TOKEN, base_url=UNREACHABLE, max_retries=0
    ) as client:
        pass
    assert client.is_closed
    assert client.http_client.is_closed
    with pytest.raises(RuntimeError, match="client has been closed"):
        await client.request(get_kwargs(), as_json)
    await client.close()  # closing twice is harmless


# -- timeouts -------------------------------------------------------------------------------------


def test_timeout_client_and_per_call() -> None:
    client, rec, _ = make_sync(ok, timeout=5.0)
    client.request(get_kwargs(), as_json)
    client.request(get_kwargs(), as_json, options={"timeout": 1.5})
    client.request(get_kwargs(), as_json, options={"timeout": None})
    timeouts = [r.extensions["timeout"] for r in rec.requests]
    assert timeouts[0] == httpx.Timeout(5.0).as_dict()
    assert timeouts[1] == httpx.Timeout(1.5).as_dict()
    assert timeouts[2] == httpx.Timeout(None).as_dict()


def test_timeout_defaults() -> None:
    own = SyncAPIClient(version_header=VERSION, token=TOKEN)
    assert own.timeout == DEFAULT_TIMEOUT
    assert own.timeout is DEFAULT_TIMEOUT
    assert own.timeout == httpx.Timeout(60.0, connect=10.0)
    assert AsyncAPIClient(version_header=VERSION, token=TOKEN).timeout is DEFAULT_TIMEOUT
    http = httpx.Client(timeout=3.0)
    theirs = SyncAPIClient(version_header=VERSION, token=TOKEN, http_client=http)
    assert theirs.timeout == httpx.Timeout(3.0)  # the supplied client's timeout is kept
    assert SyncAPIClient(version_header=VERSION, token=TOKEN, http_client=http, timeout=None).timeout is None
    own.close()
    http.close()


def test_default_timeout_importable_and_settable() -> None:
    from intercom_ext import _base_client

    assert _base_client.DEFAULT_TIMEOUT is DEFAULT_TIMEOUT
    with pytest.raises(AttributeError):
        _base_client.NOPE  # type: ignore[attr-defined]  # noqa: B018
    client, rec, _ = make_sync(ok)
    client.timeout = 2.0
    assert client.timeout == 2.0
    client.request(get_kwargs(), as_json)
    assert rec.requests[0].extensions["timeout"] == httpx.Timeout(2.0).as_dict()


# -- redirects ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://other-host.example/steal", f"{BASE}/moved"])
def test_redirects_are_not_followed(target: str) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(302, headers={"location": target})

    client, _, _ = make_sync(handler)
    with pytest.raises(APIStatusError) as info:
        client.request(get_kwargs(), as_json)
    assert info.value.status_code == 302
    assert hosts == ["api.test.intercom.example"]  # the Authorization header never went anywhere else


async def test_async_redirect_not_followed() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(301, headers={"location": "https://other-host.example/"})

    client, _, _ = make_async(handler)
    with pytest.raises(APIStatusError):
        await client.request(get_kwargs(), as_json)
    assert hosts == ["api.test.intercom.example"]


# -- request / request_raw / parsers ----------------------------------------------------------------


class Contact:
    def __init__(self, id: str) -> None:
        self.id = id

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Contact:
        return cls(str(d["id"]))


def test_request_and_its_raw_wrapper() -> None:
    def handler(_: httpx.Request) -> httpx.Response:
        return json_response(200, {"type": "contact", "id": "42"}, {"x-request-id": "req-1"})

    client, _, _ = make_sync(handler)
    contact = client.request(get_kwargs("/contacts/42"), json_parser(Contact.from_dict))
    assert contact.id == "42"
    raw = to_raw_response_wrapper(client.request)(get_kwargs("/contacts/42"), json_parser(Contact.from_dict))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-1"
    assert raw.headers["content-type"] == "application/json"
    assert raw.parsed.id == "42"
    assert raw.http_response.json()["id"] == "42"
    assert "req-1" in repr(raw)


def test_parse_none_for_no_content() -> None:
    client, _, _ = make_sync(lambda _: httpx.Response(204))
    assert client.request({"method": "delete", "url": "/x"}, parse_none) is None


async def test_async_request_and_raw() -> None:
    client, rec, _ = make_async(lambda _: json_response(200, {"id": "7"}, {"x-request-id": "r7"}))
    async with client:
        contact = await client.request(get_kwargs("/contacts/7"), json_parser(Contact.from_dict))
        raw = await async_to_raw_response_wrapper(client.request)(
            get_kwargs("/contacts/7"), json_parser(Contact.from_dict)
        )
    assert contact.id == "7"
    assert raw.parsed.id == "7"
    assert raw.request_id == "r7"
    assert rec.requests[0].headers["intercom-version"] == VERSION


# -- import cost ----------------------------------------------------------------------------------


def test_import_is_light() -> None:
    """``import intercom_ext`` loads neither httpx/tenacity nor any generated package; neither do the
    clients' import and construction (httpx comes with the first request or ``DEFAULT_TIMEOUT``)."""
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "import intercom_ext, intercom_ext.webhooks\n"
        "elapsed = time.perf_counter() - t\n"
        "heavy = [m for m in ('httpx', 'tenacity') if m in sys.modules]\n"
        "gen = [m for m in sys.modules if m.startswith(('intercom_v2', 'intercom_unstable'))]\n"
        "from intercom_ext import AsyncAPIClient, SyncAPIClient\n"
        "SyncAPIClient(version_header='2.11', token='t')\n"
        "AsyncAPIClient(version_header='2.11', token='t')\n"
        "client_heavy = [m for m in ('httpx', 'httpcore', 'tenacity') if m in sys.modules]\n"
        "from intercom_ext import DEFAULT_TIMEOUT\n"
        "lazy_ok = 'httpx' in sys.modules\n"
        "print(json.dumps({'heavy': heavy, 'gen': gen, 'client_heavy': client_heavy, 'lazy_ok': lazy_ok,"
        " 'ms': elapsed * 1000}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout)
    assert result["heavy"] == []
    assert result["gen"] == []
    assert result["client_heavy"] == []
    assert result["lazy_ok"]


def test_public_names_exported() -> None:
    for name in intercom_ext.__all__:
        assert getattr(intercom_ext, name) is not None
    assert "SyncAPIClient" in dir(intercom_ext)
    with pytest.raises(AttributeError):
        intercom_ext.nope  # noqa: B018


# -- client.config, clock, sleep -------------------------------------------------------------------


def test_config_has_url_headers_token_and_timeout_without_showing_the_token() -> None:
    from intercom_ext import ClientConfig, Secret

    client = SyncAPIClient(
        version_header=VERSION, token=TOKEN, region="eu", timeout=12.5, default_headers={"X-Team": "a"}
    )
    config = client.config
    assert isinstance(config, ClientConfig) and isinstance(config.token, Secret)
    assert config.base_url == "https://api.eu.intercom.io"
    assert config.headers["intercom-version"] == VERSION
    assert config.headers["x-team"] == "a"
    assert config.headers["user-agent"] == client.user_agent
    assert "authorization" not in config.headers
    assert config.token.get_secret_value() == TOKEN
    assert config.timeout == 12.5
    assert TOKEN not in repr(config) and TOKEN not in str(config)


def test_clock_and_sleep_are_what_was_passed() -> None:
    import time

    def clock() -> float:
        return 5.0

    def sleep(seconds: float) -> None:
        return None

    client = SyncAPIClient(version_header=VERSION, token=TOKEN, clock=clock, sleep=sleep)
    assert client.clock is clock and client.sleep is sleep
    default = SyncAPIClient(version_header=VERSION, token=TOKEN)
    assert default.clock is time.time and default.sleep is None
