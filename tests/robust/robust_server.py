"""A deterministic fault-injecting Intercom look-alike on 127.0.0.1, and a fake clock.

``FaultServer`` serves a fixed data set through the four pagination styles the SDK knows, plus a
single-contact GET and a contact-create POST, over real HTTP/1.1 sockets (keep-alive, Content-Length
always set). Faults come from two sources:

- a *script* (``server.script("429", "500")``): the next requests get these faults, in order;
- a *rate* (``fault_rate=0.2``): the requests are taken in blocks of ``1 / fault_rate`` (5) and a
  seeded ``random.Random`` puts one fault at a random place in each block and picks its kind from
  ``kinds`` (so the rate is 20 % with little variance, at random places). It is bounded: the same
  logical request (same path and page position) never gets more than ``max_consecutive`` faults in
  a row (a planned fault that would exceed it is dropped), so a client with that many retries
  always gets through. The whole run is reproducible.

The scroll endpoint keeps its position on the server, as Intercom's does: one ``scroll_param`` for the
whole scroll, and every request that the server processes moves the position (a 200, or a response cut
off mid-body: the page was taken). A rate limit (429) is answered before processing, so it does not
move the position. A 5xx on a scroll expires it (Intercom: "Please restart the scroll operation"):
later requests with that ``scroll_param`` get 404 ``not_found``.

Every response carries ``X-Request-Id: req-<n>``. The server records every request (method, path,
query, headers, body, fake time, fault) and every fault it injected (kind, the rate-limit reset it
announced, and whether the retry came no earlier than that reset).
"""

from __future__ import annotations

import gzip
import json
import math
import random
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from intercom_ext import Backoff, v2_11
from intercom_ext.testing import FakeClock

START = 1_700_000_000.0
"""The fake clock's start (epoch seconds)."""

#: Faults a GET retries: rate limit, server errors, a reset mid-body.
RETRYABLE_FAULTS: tuple[str, ...] = ("429", "500", "502", "503", "504", "reset")

#: Every fault the server can inject (see ``FaultServer._fault``).
ALL_FAULTS: tuple[str, ...] = (
    *RETRYABLE_FAULTS,
    "429_long",  # X-RateLimit-Reset one hour away
    "stall",  # no response until the test ends (the client's read timeout fires)
    "bad_json",  # 200, application/json, not JSON
    "html_200",  # 200, an HTML page (a proxy / maintenance page)
    "empty_200",  # 200, Content-Length: 0
    "json_array",  # 200, a JSON array where an object is expected
    "json_string",  # 200, a JSON string
    "json_null",  # 200, null
    "bad_gzip",  # 200, Content-Encoding: gzip with a body that is not gzip
    "items_not_list",  # 200, a list page whose "data" is a string
    "redirect",  # 307 to ``server.redirect_to`` (another host)
)

HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
HTML_200 = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>"


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float  # fake time
    fault: str | None


@dataclass
class Injected:
    """One injected fault."""

    kind: str
    key: tuple[str, str]
    attempt: int  # 1 = first consecutive fault for this logical request
    reset: float | None = None  # the X-RateLimit-Reset announced (429)
    retried_at: float | None = None  # fake time of the next request for the same key


@dataclass
class Dataset:
    """The items behind each list endpoint (ids are zero-padded so order is visible)."""

    contacts: list[str]
    articles: list[int]
    companies: list[str]

    @classmethod
    def of_size(cls, n: int) -> Dataset:
        return cls(
            contacts=[f"contact-{i:05d}" for i in range(n)],
            articles=list(range(100_000, 100_000 + n)),
            companies=[f"company-{i:05d}" for i in range(n)],
        )


@dataclass
class _Scroll:
    param: str
    position: int = 0
    expired: bool = False


@dataclass
class _State:
    seen: list[Seen] = field(default_factory=list)
    injected: list[Injected] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    plan: list[bool] = field(default_factory=list)
    streak: dict[tuple[str, str], int] = field(default_factory=dict)
    pending: dict[tuple[str, str], Injected] = field(default_factory=dict)
    scrolls: dict[str, _Scroll] = field(default_factory=dict)
    counter: int = 0


class FaultServer:
    """See the module docstring. Use as a context manager; ``url`` is the base URL."""

    def __init__(
        self,
        *,
        clock: FakeClock | None = None,
        items: int = 30,
        seed: int = 0,
        fault_rate: float = 0.0,
        kinds: Sequence[str] = RETRYABLE_FAULTS,
        max_consecutive: int = 2,
        reset_range: tuple[int, int] = (1, 10),
    ) -> None:
        unknown = set(kinds) - set(ALL_FAULTS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}")
        self.clock = clock or FakeClock()
        self.data = Dataset.of_size(items)
        self.fault_rate = fault_rate
        self.kinds = tuple(kinds)
        self.max_consecutive = max_consecutive
        self.reset_range = reset_range
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._state = _State()
        self._release = threading.Event()  # ends every stall
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.redirect_to = "http://localhost:9/elsewhere"  # "Location" of the redirect fault
        self.next_base = ""  # the host in articles' absolute ``pages.next`` URLs ("" = this server)

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> FaultServer:
        handler = type("Handler", (_Handler,), {"app": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    # -- test API -------------------------------------------------------------------------------
    def script(self, *kinds: str) -> None:
        """The next ``len(kinds)`` requests get these faults, in order (``"ok"`` = no fault).

        Replaces what is left of an earlier script (``script()`` clears it).
        """
        unknown = set(kinds) - {*ALL_FAULTS, "ok"}
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}")
        with self._lock:
            self._state.script[:] = kinds

    @property
    def seen(self) -> list[Seen]:
        with self._lock:
            return list(self._state.seen)

    @property
    def injected(self) -> list[Injected]:
        with self._lock:
            return list(self._state.injected)

    # -- decisions (under the lock) -------------------------------------------------------------
    def _decide(self, key: tuple[str, str]) -> str | None:
        state = self._state
        if state.script:
            kind = state.script.pop(0)
            return None if kind == "ok" else kind
        if self.fault_rate <= 0:
            return None
        if not state.plan:
            block = max(1, round(1 / self.fault_rate))
            state.plan = [False] * block
            state.plan[self._rng.randrange(block)] = True
        planned = state.plan.pop(0)
        if not planned or state.streak.get(key, 0) >= self.max_consecutive:
            return None
        return self._rng.choice(self.kinds)

    def _begin(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[str, str | None, Injected | None]:
        """Record the request; returns (request id, fault or None, its record)."""
        key = (path, _position(path, query, body))
        with self._lock:
            state = self._state
            state.counter += 1
            now = self.clock.time()
            previous = state.pending.pop(key, None)
            if previous is not None:
                previous.retried_at = now
            fault = self._decide(key)
            if fault is None:
                state.streak.pop(key, None)
            else:
                state.streak[key] = attempt = state.streak.get(key, 0) + 1
                record = Injected(fault, key, attempt)
                if fault == "429":
                    low, high = self.reset_range
                    record.reset = float(math.ceil(now) + self._rng.randint(low, high))
                elif fault == "429_long":
                    record.reset = float(math.ceil(now) + 3600)
                state.injected.append(record)
                state.pending[key] = record
            state.seen.append(Seen(method, path, query, headers, body, now, fault))
            return f"req-{state.counter}", fault, state.injected[-1] if fault else None

    # -- routes ---------------------------------------------------------------------------------
    def _page(self, path: str, method: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        data = self.data
        if path == "/contacts" and method == "GET":
            return 200, _cursor_page(data.contacts, "contact", query.get("starting_after"), query)
        if path == "/contacts/search" and method == "POST":
            paging = body.get("pagination") or {} if isinstance(body, dict) else {}
            return 200, _cursor_page(data.contacts, "contact", paging.get("starting_after"), paging)
        if path == "/articles" and method == "GET":
            return 200, self._numbered_page(data.articles, "article", query, next_url="/articles")
        if path == "/companies/list" and method == "POST":
            return 200, self._numbered_page(data.companies, "company", query, next_url=None)
        if path == "/companies/scroll" and method == "GET":
            return self._scroll(query.get("scroll_param"))
        if path.startswith("/contacts/") and method == "GET":
            contact_id = path.rsplit("/", 1)[1]
            return 200, {"type": "contact", "id": contact_id, "email": f"{contact_id}@example.com"}
        if path == "/contacts" and method == "POST":
            email = body.get("email") if isinstance(body, dict) else None
            return 200, {"type": "contact", "id": "contact-new", "email": email}
        return 404, _error_list("not_found", f"No route {method} {path}")

    def _numbered_page(
        self, items: Sequence[Any], kind: str, query: dict[str, str], *, next_url: str | None
    ) -> dict[str, Any]:
        per_page = int(query.get("per_page", "50"))
        page = int(query.get("page", "1"))
        total_pages = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        pages: dict[str, Any] = {
            "type": "pages",
            "page": page,
            "per_page": per_page,
            "total_pages": total_pages,
        }
        if next_url is not None:
            # Like Intercom's articles list: an absolute next URL (the SDK uses only its query).
            pages["next"] = (
                f"{self.next_base or self.url}{next_url}?page={page + 1}&per_page={per_page}"
                if page < total_pages
                else None
            )
        return {
            "type": "list",
            "data": [{"type": kind, "id": str(i) if kind == "article" else i} for i in chunk],
            "total_count": len(items),
            "pages": pages,
        }

    def _scroll(self, param: str | None) -> tuple[int, Any]:
        scrolls = self._state.scrolls
        if param is None:
            param = f"scroll-{len(scrolls) + 1}"
            scrolls[param] = _Scroll(param)
        scroll = scrolls.get(param)
        if scroll is None or scroll.expired:
            return 404, _error_list("not_found", "Scroll parameter not found or expired")
        per_page = 250  # Intercom's scroll page size is fixed; ours too
        chunk = self.data.companies[scroll.position : scroll.position + per_page]
        scroll.position += len(chunk)
        return 200, {
            "type": "list",
            "data": [{"type": "company", "id": c} for c in chunk],
            "pages": None,
            "total_count": None,
            "scroll_param": param,
        }

    def _expire_scroll(self, query: dict[str, str]) -> None:
        param = query.get("scroll_param")
        if param and param in self._state.scrolls:
            self._state.scrolls[param].expired = True


def _position(path: str, query: dict[str, str], body: bytes) -> str:
    """The page a request asks for (requests for the same page share a fault streak)."""
    if path == "/contacts/search":
        try:
            paging = json.loads(body).get("pagination") or {}
        except (ValueError, AttributeError):
            paging = {}
        return str(paging.get("starting_after", ""))
    return "&".join(f"{k}={v}" for k, v in sorted(query.items()))


def _cursor_page(
    items: Sequence[str], kind: str, after: str | None, paging: dict[str, Any]
) -> dict[str, Any]:
    per_page = int(paging.get("per_page", 50))
    start = 0 if not after else int(after.rsplit("-", 1)[1], 16)
    chunk = items[start : start + per_page]
    end = start + len(chunk)
    pages: dict[str, Any] = {
        "type": "pages",
        "per_page": per_page,
        "total_pages": math.ceil(len(items) / per_page),
    }
    if end < len(items):
        # an opaque-looking cursor: the next start index in hex
        pages["next"] = {"per_page": per_page, "starting_after": f"WzE3MDAwMDAwMDAw-{end:x}"}
    return {
        "type": "list",
        "data": [{"type": kind, "id": i} for i in chunk],
        "total_count": len(items),
        "pages": pages,
    }


def _error_list(code: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "error.list", "errors": [{"code": code, "message": message}]}
    if request_id:
        body["request_id"] = request_id
    return body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    app: FaultServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _reply(self, status: int, body: bytes, ctype: str = "application/json", **headers: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            self.close_connection = True

    def _handle(self) -> None:
        app = self.app
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request_id, fault, record = app._begin(self.command, split.path, query, headers, raw_body)
        rid = {"X_Request_Id": request_id}
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = None

        if fault is not None:
            self._fault(fault, record, query, body, rid)
            return
        with app._lock:
            status, payload = app._page(split.path, self.command, query, body)
        self._reply(status, json.dumps(payload).encode(), **rid)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def _fault(
        self, fault: str, record: Injected | None, query: dict[str, str], body: Any, rid: dict[str, str]
    ) -> None:
        app = self.app
        if fault in ("429", "429_long"):
            assert record is not None and record.reset is not None
            self._reply(
                429,
                json.dumps(_error_list("rate_limit_exceeded", "Exceeded rate limit")).encode(),
                X_RateLimit_Limit="1000",
                X_RateLimit_Remaining="0",
                X_RateLimit_Reset=str(int(record.reset)),
                **rid,
            )
        elif fault in ("500", "503", "504"):
            if self.path.startswith("/companies/scroll"):
                with app._lock:
                    app._expire_scroll(query)
            message = {"500": "Internal server error", "503": "Service unavailable", "504": "Gateway timeout"}
            error = _error_list("server_error", message[fault], rid["X_Request_Id"])
            self._reply(int(fault), json.dumps(error).encode(), **rid)
        elif fault == "502":  # from the load balancer: HTML, no request id
            if self.path.startswith("/companies/scroll"):
                with app._lock:
                    app._expire_scroll(query)
            self._reply(502, HTML_502, "text/html")
        elif fault == "reset":
            self._reset_mid_body(query, body, rid)
        elif fault == "stall":
            app._release.wait(timeout=10)
            self.close_connection = True
        elif fault == "bad_json":
            self._reply(200, b'{"type": "contact", "id": "c-1", "email": ', **rid)
        elif fault == "html_200":
            self._reply(200, HTML_200, "text/html; charset=utf-8", **rid)
        elif fault == "empty_200":
            self._reply(200, b"", **rid)
        elif fault == "json_array":
            self._reply(200, b'[{"type": "contact", "id": "c-1"}]', **rid)
        elif fault == "json_string":
            self._reply(200, b'"ok"', **rid)
        elif fault == "json_null":
            self._reply(200, b"null", **rid)
        elif fault == "bad_gzip":
            self._reply(200, b"this is not gzip" + gzip.compress(b"{}")[:4], Content_Encoding="gzip", **rid)
        elif fault == "redirect":  # 307: a client that followed it would resend method and body
            self._reply(307, b"", "text/plain", Location=app.redirect_to, **rid)
        elif fault == "items_not_list":
            page = {"type": "list", "data": "contact-00000", "total_count": 1, "pages": {"type": "pages"}}
            self._reply(200, json.dumps(page).encode(), **rid)
        else:  # pragma: no cover
            raise AssertionError(fault)

    def _reset_mid_body(self, query: dict[str, str], body: Any, rid: dict[str, str]) -> None:
        """Send the status line, headers and half of a real page, then reset the connection (RST)."""
        app = self.app
        split = urlsplit(self.path)
        with app._lock:
            # the server did process the request: a scroll moves on, like the real one would
            status, payload = app._page(split.path, self.command, query, body)
        data = json.dumps(payload).encode()
        length = len(data)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.send_header("X-Request-Id", rid["X_Request_Id"])
        self.end_headers()
        self.wfile.write(data[: length // 2])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` (real time) - only for server-side bookkeeping after a client gave up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


TOKEN = "tok_R0BUST_c2VjcmV0LXRva2VuLXZhbHVl"
"""The access token every robust test uses (the secrecy tests look for it everywhere)."""


def facade_client(server: FaultServer, *, asynchronous: bool = False, seed: int = 7, **kwargs: Any) -> Any:
    """A generated ``v2_11.Intercom`` (or ``AsyncIntercom``) pointed at ``server``.

    The fake clock and sleep of ``server.clock`` and a seeded jitter source (``backoff=``) are passed
    to the constructor, so waits cost no real time and every run waits the same. The httpx client is
    built without TLS verification (plain HTTP on loopback; loading the CA bundle costs ~0.1 s per
    client) and is closed with the facade (a subclass's ``close``: the client does not close an
    ``http_client`` it was given).
    """
    import httpx

    clock = server.clock
    kwargs.setdefault("token", TOKEN)
    # The fault suites pin every wait to one retry per fault; the rate limiter (which this server does
    # not feed: no X-RateLimit-Remaining) is tested in tests/scale/. Pass rate_limiter= to keep it.
    kwargs.setdefault("rate_limiter", None)
    kwargs.setdefault("clock", clock.time)
    kwargs.setdefault("backoff", Backoff(random=random.Random(seed).random))
    if asynchronous:
        kwargs.setdefault("http_client", httpx.AsyncClient(verify=False))
        kwargs.setdefault("sleep", clock.async_sleep)
        return _ClosingAsyncIntercom(base_url=server.url, **kwargs)
    kwargs.setdefault("http_client", httpx.Client(verify=False))
    kwargs.setdefault("sleep", clock.sleep)
    return _ClosingIntercom(base_url=server.url, **kwargs)


class _ClosingIntercom(v2_11.Intercom):
    def close(self) -> None:
        super().close()
        self.http_client.close()


class _ClosingAsyncIntercom(v2_11.AsyncIntercom):
    async def close(self) -> None:
        await super().close()
        await self.http_client.aclose()
