"""``FakeIntercom``: the workspace of ``_workspace.py`` served over HTTP/1.1 on loopback, in a thread."""

from __future__ import annotations

import contextlib
import importlib
import json
import random
import re
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .. import _versions
from . import _operations  # noqa: F401  (registers the handlers)
from ._errors import FakeAPIError
from ._workspace import HANDLERS, Call, Handler, Workspace

__all__ = ["FakeIntercom", "Fault", "RecordedRequest", "newest_stable_version"]

_HIDDEN_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


def _no_priority(version: str) -> str:
    """The "no priority" value of the version's conversation priority enum (its generated model)."""
    import importlib

    from .. import _versions

    package = next(v.package for v in _versions.VERSIONS if v.name == version)
    values = {m.value for m in importlib.import_module(f"{package}.models").ConversationPriority}
    return "none" if "none" in values else "not_priority"


def newest_stable_version() -> str:
    """The newest manifest version that is a number (``2.14``): what ``intercom_fake`` serves."""
    numbered = [v.name for v in _versions.VERSIONS if re.fullmatch(r"\d+(\.\d+)*", v.name)]
    return max(numbered, key=lambda name: tuple(int(p) for p in name.split(".")))


def _version_info(version: str) -> _versions.VersionInfo:
    for info in _versions.VERSIONS:
        if version.lower() in (info.name.lower(), info.module, info.header.lower()):
            return info
    known = ", ".join(v.name for v in _versions.VERSIONS)
    raise ValueError(f"unknown Intercom API version {version!r}; this SDK has {known}")


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received (``fake.requests``). ``headers`` never holds the token:
    ``Authorization`` (and cookies) are left out."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    operation: str | None
    """``resource.verb`` of the client method (``contacts.create``), None for an unknown path."""
    status: int
    """The status the fake answered with (0: the connection was reset)."""


@dataclass
class Fault:
    """A planned fault (see :meth:`FakeIntercom.fail`, :meth:`~FakeIntercom.drop`,
    :meth:`~FakeIntercom.delay`): for the next ``times`` matching requests, or for a ``share`` of them."""

    kind: str  # "status" | "reset" | "delay"
    status: int = 500
    seconds: float = 0.0
    times: int | None = 1
    share: float | None = None
    path: str | None = None
    method: str | None = None
    retry_after: float | None = None
    hits: int = field(default=0)

    def applies(self, method: str, path: str, rng: random.Random) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path is not None and not (path == self.path or re.fullmatch(self.path, path)):
            return False
        if self.share is not None and rng.random() >= self.share:
            return False
        if self.times is not None:
            self.times -= 1
        self.hits += 1
        return True


_PARAM = re.compile(r"\{(\w+)\}")


def _shape(template: str) -> str:
    """``/contacts/{id}/notes`` and ``/contacts/{contact_id}/notes`` are one operation (versions name
    path parameters differently)."""
    return _PARAM.sub("{}", template)


_HANDLERS_BY_SHAPE = {
    (method, _shape(template)): (fn, _PARAM.findall(template)) for (method, template), fn in HANDLERS.items()
}


def _bucket(path: str) -> tuple[int, str]:
    """Routes are looked up by segment count and first segment (always a literal in Intercom's API)."""
    parts = path.split("/")
    return len(parts), parts[1] if len(parts) > 1 else ""


class _Route:
    def __init__(self, method: str, template: str, operation: str) -> None:
        self.method = method
        self.template = template
        self.operation = operation
        found = _HANDLERS_BY_SHAPE.get((method, _shape(template)))
        self.handler: Handler | None = found[0] if found else None
        self.names: list[str] = found[1] if found else []
        pattern = _PARAM.sub("([^/]+)", re.escape(template).replace("\\{", "{").replace("\\}", "}"))
        self.regex = re.compile(f"^{pattern}$")
        self.params = template.count("{")


_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class FakeIntercom:
    """A stateful in-memory Intercom workspace, served over real HTTP on a loopback port.

    ::

        with FakeIntercom(version="2.11") as fake:
            client = v2_11.Intercom(token="t", base_url=fake.url)

    ``version``: a manifest version (``"2.11"``, ``"2.14"``, ``"Unstable"``; default the newest
    stable one); requests with another ``Intercom-Version`` header get 400. Every request needs a
    bearer token (401 without; only ``token`` if one is given). ``rate_limit=(limit, seconds)``
    answers 429 past ``limit`` requests per window and sends ``X-RateLimit-*`` headers.
    ``clock`` (epoch seconds) stamps items and times the rate-limit windows and scroll expiry.
    ``port=0`` picks a free port; ``fake.url`` is the base URL. Operations the fake does not model
    answer 501 naming the operation.
    """

    def __init__(
        self,
        version: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        rate_limit: tuple[int, float] | None = None,
        clock: Callable[[], float] = time.time,
        seed: int = 0,
    ) -> None:
        info = _version_info(version or newest_stable_version())
        self.version: str = info.name
        self.header: str = info.header
        self._token = token
        if rate_limit is not None and (rate_limit[0] < 1 or rate_limit[1] <= 0):
            raise ValueError("rate_limit is (requests >= 1, seconds > 0)")
        self.rate_limit = rate_limit
        self.clock = clock
        self._seed = seed
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._host, self._port = host, port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._window: tuple[float, int] = (0.0, 0)
        self._request_prefix = str(uuid.uuid4())[:24]
        self._request_count = 0
        self._routes = self._build_routes(info.package)
        self._index: dict[tuple[int, str], list[_Route]] = {}
        for route in self._routes:  # in priority order within each bucket
            self._index.setdefault(_bucket(route.template), []).append(route)
        self._ticket_state_objects = any(r.template == "/ticket_states" for r in self._routes)
        self._no_priority = _no_priority(self.version)
        self.workspace = self._new_workspace()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeIntercom:
        """Bind and serve in a daemon thread (idempotent)."""
        if self._server is None:
            handler = type("_BoundHandler", (_Handler,), {"fake": self})
            self._server = _Server((self._host, self._port), handler)
            self.workspace.base_url = self.url
            # a short poll: stop() returns within 50 ms (the default half second adds up over a suite)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="FakeIntercom",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            if self._thread is not None:
                self._thread.join(timeout=5)

    def __enter__(self) -> FakeIntercom:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"FakeIntercom(version={self.version!r}, {where})"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake is not started: use `with FakeIntercom() as fake:` or fake.start()")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: pass it as ``base_url=`` (or ``$INTERCOM_BASE_URL``)."""
        return f"http://{self._host}:{self.port}"

    # -- state -------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def seed(
        self,
        *,
        contacts: int | Sequence[Mapping[str, Any]] = 0,
        companies: int | Sequence[Mapping[str, Any]] = 0,
        conversations: int | Sequence[Mapping[str, Any]] = 0,
        tickets: int | Sequence[Mapping[str, Any]] = 0,
    ) -> None:
        """Add data: a number makes that many generated items (deterministic for the fake's ``seed``),
        a list of dicts makes one item from each (the fields of the create operation)."""
        with self._lock:
            self.workspace.seed(self._rng, contacts, companies, conversations, tickets)

    def reset(self) -> None:
        """Back to a fresh workspace: no data beyond the default admins, team, ticket type and standard
        data attributes; no recorded requests, faults or rate-limit window."""
        with self._lock:
            base_url = self.workspace.base_url
            self.workspace = self._new_workspace()
            self.workspace.base_url = base_url
            self._requests.clear()
            self._faults.clear()
            self._window = (0.0, 0)
            self._rng = random.Random(self._seed)

    # -- faults ------------------------------------------------------------------------------------

    def fail(
        self,
        status: int = 500,
        *,
        times: int | None = 1,
        share: float | None = None,
        path: str | None = None,
        method: str | None = None,
        retry_after: float | None = None,
    ) -> Fault:
        """Answer ``status`` (an ``error.list``) to the next ``times`` requests (``None``: no limit),
        or to a ``share`` (0..1) of them; ``path`` (exact or a regex) and ``method`` narrow it.
        A 429 carries ``Retry-After`` when ``retry_after`` is given."""
        return self._add(
            Fault(
                "status",
                status=status,
                times=times,
                share=share,
                path=path,
                method=method,
                retry_after=retry_after,
            )
        )

    def drop(
        self,
        *,
        times: int | None = 1,
        share: float | None = None,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Reset the connection (TCP RST, no response) instead of answering."""
        return self._add(Fault("reset", times=times, share=share, path=path, method=method))

    def delay(
        self,
        seconds: float,
        *,
        times: int | None = None,
        share: float | None = None,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Wait ``seconds`` (real time) before answering; by default every request until cleared."""
        return self._add(Fault("delay", seconds=seconds, times=times, share=share, path=path, method=method))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add(self, fault: Fault) -> Fault:
        if fault.share is not None and not 0 <= fault.share <= 1:
            raise ValueError("share is between 0 and 1")
        with self._lock:
            self._faults.append(fault)
        return fault

    # -- serving -----------------------------------------------------------------------------------

    def _new_workspace(self) -> Workspace:
        return Workspace(
            self.version,
            self.clock,
            ticket_state_objects=self._ticket_state_objects,
            no_priority=self._no_priority,
            assignee_ids_non_null=self._no_priority == "none",
        )

    def _build_routes(self, package: str) -> list[_Route]:
        operations = importlib.import_module(f"{package}.facade").OPERATIONS
        routes = [_Route(o.method, o.path, f"{o.resource}.{o.verb}") for o in operations]
        # literal segments win over parameters: /contacts/search before /contacts/{contact_id}
        routes.sort(key=lambda r: (r.params, -len(r.template)))
        return routes

    def _route(self, method: str, path: str) -> tuple[_Route | None, dict[str, str], bool]:
        path_known = False
        for route in self._index.get(_bucket(path), ()):
            found = route.regex.match(path)
            if found:
                if route.method == method:
                    return (
                        route,
                        {k: unquote(v) for k, v in zip(route.names, found.groups(), strict=False)},
                        True,
                    )
                path_known = True
        return None, {}, path_known

    def _headers_for_limit(self, now: float) -> tuple[dict[str, str], bool]:
        """The ``X-RateLimit-*`` headers of this request, and whether it is over the limit."""
        if self.rate_limit is None:
            return {}, False
        limit, seconds = self.rate_limit
        start = (now // seconds) * seconds
        window_start, used = self._window
        if window_start != start:
            used = 0
        used += 1
        self._window = (start, used)
        reset = int(start + seconds) if float(start + seconds).is_integer() else int(start + seconds) + 1
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Reset": str(reset),
        }
        return headers, used > limit

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], raw_body: bytes
    ) -> tuple[int, dict[str, str], bytes | None]:
        """One request: ``(status, headers, body)``; body None resets the connection."""
        split = urlsplit(target)
        path = split.path.rstrip("/") or "/"
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        lower = {k.lower(): v for k, v in headers.items()}
        body: Any = None
        body_error = False
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                body, body_error = raw_body.decode("utf-8", "replace"), True
        with self._lock:
            route, params, path_known = self._route(method, path)
            operation = route.operation if route is not None else None
            status, out_headers, payload = self._answer(
                method, path, query, lower, body, body_error, route, params, path_known
            )
            self._requests.append(
                RecordedRequest(
                    method=method,
                    path=path,
                    query=query,
                    body=body,
                    headers={k: v for k, v in headers.items() if k.lower() not in _HIDDEN_HEADERS},
                    operation=operation,
                    status=status if payload is not None else 0,
                )
            )
        delay = out_headers.pop("_delay", None)
        if delay:
            time.sleep(float(delay))
        return status, out_headers, payload

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: Mapping[str, str],
        body: Any,
        body_error: bool,
        route: _Route | None,
        params: dict[str, str],
        path_known: bool,
    ) -> tuple[int, dict[str, str], bytes | None]:
        out: dict[str, str] = {}
        for fault in self._faults:
            if fault.applies(method, path, self._rng):
                if fault.kind == "reset":
                    return 0, out, None
                if fault.kind == "delay":
                    out["_delay"] = str(fault.seconds)
                    continue
                if fault.status == 429 and fault.retry_after is not None:
                    out["Retry-After"] = str(fault.retry_after)
                return self._error(
                    out, fault.status, _fault_code(fault.status), "injected fault (FakeIntercom)"
                )
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not token or (self._token is not None and token != self._token):
            return self._error(out, 401, "unauthorized", "Access Token Invalid")
        sent_version = headers.get("intercom-version")
        if sent_version is not None and sent_version.lower() != self.header.lower():
            return self._error(
                out,
                400,
                "intercom_version_invalid",
                f"This FakeIntercom serves Intercom-Version {self.header}, "
                f"the request asked for {sent_version}",
            )
        limit_headers, over = self._headers_for_limit(self.clock())
        out.update(limit_headers)
        if over:
            return self._error(out, 429, "rate_limit_exceeded", "Exceeded rate limit")
        if route is None:
            if path_known:
                return self._error(out, 404, "not_found", f"No {method} on {path}")
            return self._error(out, 404, "not_found", f"Resource Not Found: {path}")
        if route.handler is None:
            return self._error(
                out,
                501,
                "not_implemented",
                f"FakeIntercom does not model {route.operation} "
                f"({route.method} {route.template}) in {self.version}",
            )
        if body_error:
            return self._error(out, 400, "parameter_invalid", "The request body is not JSON")
        call = Call(method, path, params, query, body, self.version)
        try:
            result = route.handler(self.workspace, call)
        except FakeAPIError as err:
            return self._error(out, err.status, err.code, err.message, err.field)
        status = 200
        if isinstance(result, tuple):
            status, result = result
        out["X-Request-Id"] = self._request_id()
        if result is None:
            return status, out, b""
        out["Content-Type"] = "application/json; charset=utf-8"
        return status, out, json.dumps(result, separators=(",", ":")).encode()

    def _request_id(self) -> str:
        """A fresh UUID-shaped id (a random prefix per fake and a counter: cheaper than uuid4)."""
        self._request_count += 1
        return f"{self._request_prefix}{self._request_count:012x}"

    def _error(
        self, out: dict[str, str], status: int, code: str, message: str, field_name: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request_id = self._request_id()
        error: dict[str, Any] = {"code": code, "message": message}
        if field_name is not None:
            error["field"] = field_name
        out["X-Request-Id"] = request_id
        out["Content-Type"] = "application/json; charset=utf-8"
        body = {"type": "error.list", "request_id": request_id, "errors": [error]}
        return status, out, json.dumps(body).encode()


def _fault_code(status: int) -> str:
    return {
        429: "rate_limit_exceeded",
        500: "server_error",
        502: "bad_gateway",
        503: "service_unavailable",
        504: "gateway_timeout",
    }.get(status, "injected_fault")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-request is not the test's failure


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive. The request line and headers are read here rather than by
    ``http.server``'s email-parser based code: the fake's own cost per request is about halved."""

    fake: FakeIntercom
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        line = self.rfile.readline(65537)
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            self.close_connection = True
            if line.strip():
                self._write(400, {}, b"")
            return
        method, target, version = parts
        headers: dict[str, str] = {}
        for _ in range(200):
            raw = self.rfile.readline(65537)
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
        connection = next((v.lower() for k, v in headers.items() if k.lower() == "connection"), "")
        self.close_connection = connection == "close" or (
            version == "HTTP/1.0" and connection != "keep-alive"
        )
        length = next((v for k, v in headers.items() if k.lower() == "content-length"), "0")
        body = self.rfile.read(int(length)) if length.isdigit() and int(length) else b""
        status, out, payload = self.fake.handle(method, target, headers, body)
        if payload is None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        self._write(status, out, payload)

    def _write(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        lines = [f"HTTP/1.1 {status} {_STATUS_TEXT.get(status, 'Unknown')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {len(payload)}")
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the connection was reset on purpose
            super().finish()
