"""A loopback Intercom stand-in that enforces a window rate limit (benchmarks and tests/scale).

Every response carries ``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (epoch seconds, windows
of ``window`` seconds aligned to multiples of it, like Intercom's); a request past ``limit`` in its
window gets a 429. Optional ``latency`` per request (slept in the server's handler thread).

Data: ``count`` contacts (ids ``c-0`` ...) with ``updated_at`` spread evenly over ``span`` seconds
ending at ``now``; the same records serve ``/conversations/search`` and ``/tickets/search``; and
``companies`` companies (their ``updated_at`` spread likewise) for the scroll. Endpoints:

- ``GET /contacts?per_page=&starting_after=`` (cursor), ``POST /<contacts|conversations|tickets>/search``
  (an ``AND`` of ``updated_at`` ``>``/``<`` filters; contact search compares by day, like
  Intercom's index, with days starting at the workspace's midnight: ``tz_offset`` seconds east of
  UTC; ``sort: {field: "updated_at", order: "ascending"|"descending"}`` is honoured, the default
  order is ascending; ``sort_mode="ignore"`` serves every search newest first whatever it asks,
  ``"reject"`` answers a search with a ``sort`` 400), ``GET /companies/scroll`` (one scroll at a
  time: a second one gets 400 ``scroll_exists``; ``scroll_500_at=N`` makes the N-th scroll page
  request a 500 once).

Run as ``python -m benchmarks.window_server --limit L --window W ...``: prints its URL, serves until
stdin closes, then prints its counters as JSON.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import socket
import struct
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DAY = 86400
#: The faults ``fault_every`` injects, in turn (the retryable ones of tests/robust's matrix a search
#: page can get): 5xx statuses, and a connection reset mid-body.
FAULTS = ("500", "502", "503", "504", "reset")


class WindowServer:
    def __init__(
        self,
        *,
        limit: int = 0,
        window: float = 10.0,
        latency: float = 0.0,
        count: int = 1000,
        companies: int = 0,
        span: int = 5 * 365 * DAY,
        now: int | None = None,
        scroll_500_at: int | None = None,
        scroll_exists_times: int = 0,
        clock: Any = time.time,
        fault_every: int = 0,
        tz_offset: int = 0,
        sort_mode: str = "honour",
    ) -> None:
        self.limit, self.window, self.latency = limit, window, latency
        self.clock = clock
        end = int(now if now is not None else clock())
        step = span / max(count, 1)
        self.updated = [end - span + int(i * step) for i in range(count)]  # ascending
        self.ids = [f"c-{i}" for i in range(count)]
        self.companies = [f"co-{i}" for i in range(companies)]
        company_step = span / max(companies, 1)
        #: The companies' ``updated_at``, ascending like the records'.
        self.company_updated = [end - span + int(i * company_step) for i in range(companies)]
        self.lock = threading.Lock()
        self.windows: Counter[int] = Counter()  # window index -> requests accepted
        self.requests = 0
        self.rejected = 0
        self.scroll_open: str | None = None
        self.scroll_pages = 0
        self.scroll_500_at = scroll_500_at
        self.scroll_exists_times = scroll_exists_times
        self.scrolls = 0
        self._httpd: ThreadingHTTPServer | None = None
        #: Every ``fault_every``-th request gets a fault of :data:`FAULTS`, in turn (never the same
        #: request twice, so one retry always suffices); 0: none.
        self.fault_every = fault_every
        self.tz_offset = tz_offset
        self.sort_mode = sort_mode
        #: The body of every search request that was served (in order).
        self.searches: list[dict[str, Any]] = []
        self.faults = 0
        self.fault_kinds: Counter[str] = Counter()
        self._faulted: set[tuple[str, bytes]] = set()  # requests faulted once: their retry is served

    def first_fault(self, path: str, body: bytes) -> bool:
        """Whether this request (path and body) has not had a fault yet: each one gets at most one."""
        with self.lock:
            if (path, body) in self._faulted:
                return False
            self._faulted.add((path, body))
            return True

    # -- rate limit -------------------------------------------------------------------------------
    def admit(self) -> tuple[bool, dict[str, str]]:
        with self.lock:
            self.requests += 1
            if not self.limit:
                return True, {}
            now = self.clock()
            index = math.floor(now / self.window)
            reset = (index + 1) * self.window
            used = self.windows[index]
            ok = used < self.limit
            if ok:
                self.windows[index] = used = used + 1
            else:
                self.rejected += 1
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(max(self.limit - used, 0)),
                "X-RateLimit-Reset": str(int(reset) if float(reset).is_integer() else reset),
            }
            return ok, headers

    # -- data ---------------------------------------------------------------------------------------
    def record(self, i: int, kind: str) -> dict[str, Any]:
        return {
            "type": kind,
            "id": self.ids[i],
            "email": f"user{i}@example.com",
            "updated_at": self.updated[i],
        }

    def search(self, body: dict[str, Any], by_day: bool) -> tuple[int, int]:
        low, high = -(2**62), 2**62
        query = body.get("query") or {}
        filters = query.get("value") if query.get("operator") == "AND" else [query]
        for f in filters or []:
            if f.get("field") != "updated_at":
                continue
            value = int(f["value"])
            if by_day:  # the index keeps days (from the workspace's midnight): compare day numbers
                off = self.tz_offset
                if f["operator"] == ">":
                    low = max(low, ((value + off) // DAY + 1) * DAY - off)
                elif f["operator"] == "<":
                    high = min(high, ((value + off) // DAY) * DAY - off)
            elif f["operator"] == ">":
                low = max(low, value + 1)
            elif f["operator"] == "<":
                high = min(high, value)
        start = bisect.bisect_left(self.updated, low)
        stop = bisect.bisect_left(self.updated, high)
        return start, max(start, stop)

    # -- serving ------------------------------------------------------------------------------------
    def __enter__(self) -> WindowServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body are two writes: without TCP_NODELAY, Nagle's algorithm and
            # the client's delayed ACK hold the body back (~40 ms a response on loopback).
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Request-Id", f"req-{server.requests}")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def handle_any(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if server.latency:
                    time.sleep(server.latency)
                ok, headers = server.admit()
                if (
                    ok
                    and server.fault_every
                    and server.requests % server.fault_every == 0
                    and server.first_fault(self.path, raw)
                ):
                    with server.lock:
                        server.faults += 1
                        fault = FAULTS[server.faults % len(FAULTS)]
                        server.fault_kinds[fault] += 1
                    if fault == "reset":  # the headers and half the body, then the connection is reset
                        data = json.dumps({"type": "list", "data": [], "pages": {}}).encode()
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data[: len(data) // 2])
                        self.wfile.flush()
                        self.connection.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        self.close_connection = True
                        return
                    self.send(
                        int(fault), {"type": "error.list", "errors": [{"code": "server_error"}]}, headers
                    )
                    return
                if not ok:
                    errors = [{"code": "rate_limit_exceeded", "message": "Exceeded rate limit"}]
                    self.send(429, {"type": "error.list", "errors": errors}, headers)
                    return
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, body = server.route(method, url.path, query, json.loads(raw) if raw else {})
                self.send(status, body, headers)

            def do_GET(self) -> None:
                self.handle_any("GET")

            def do_POST(self) -> None:
                self.handle_any("POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]) -> tuple[int, Any]:
        if method == "GET" and path == "/contacts":
            per_page = int(query.get("per_page", 50))
            start = int(query.get("starting_after", 0))
            return 200, self.page("contact", "data", start, len(self.ids), start, per_page)
        if method == "POST" and path in ("/contacts/search", "/conversations/search", "/tickets/search"):
            kind = path.split("/")[1]
            sort = body.get("sort")
            if sort is not None and self.sort_mode == "reject":
                errors = [{"code": "parameter_invalid", "message": "sort is not supported"}]
                return 400, {"type": "error.list", "errors": errors}
            with self.lock:
                self.searches.append(body)
            low, high = self.search(body, by_day=kind == "contacts")
            pagination = body.get("pagination") or {}
            per_page = int(pagination.get("per_page", 50))
            offset = int(pagination.get("starting_after") or 0)
            descending = self.sort_mode == "ignore" or (
                isinstance(sort, dict)
                and sort.get("field") == "updated_at"
                and sort.get("order") == "descending"
            )
            key = {"contacts": "data", "conversations": "conversations", "tickets": "tickets"}[kind]
            return 200, self.search_page(kind[:-1], key, low, high, offset, per_page, descending)
        if method == "GET" and path == "/companies/scroll":
            return self.scroll(query.get("scroll_param"))
        return 404, {"type": "error.list", "errors": [{"code": "not_found", "message": path}]}

    def page(self, kind: str, key: str, low: int, high: int, start: int, per_page: int) -> dict[str, Any]:
        stop = min(start + per_page, high)
        pages: dict[str, Any] = {"type": "pages", "per_page": per_page}
        if stop < high:
            pages["next"] = {"per_page": per_page, "starting_after": str(stop)}
        data = [self.record(i, kind) for i in range(start, stop)]
        return {"type": "list", key: data, "total_count": high - low, "pages": pages}

    def search_page(
        self, kind: str, key: str, low: int, high: int, offset: int, per_page: int, descending: bool
    ) -> dict[str, Any]:
        """Records ``low``..``high - 1`` in ``updated_at`` order (ascending or not); the cursor is the
        number of records already served."""
        count = high - low
        stop = min(offset + per_page, count)
        pages: dict[str, Any] = {"type": "pages", "per_page": per_page}
        if stop < count:
            pages["next"] = {"per_page": per_page, "starting_after": str(stop)}
        positions = (
            range(high - 1 - offset, high - 1 - stop, -1) if descending else range(low + offset, low + stop)
        )
        data = [self.record(i, kind) for i in positions]
        return {"type": "list", key: data, "total_count": count, "pages": pages}

    def scroll(self, param: str | None) -> tuple[int, Any]:
        with self.lock:
            self.scroll_pages += 1
            if param is None:
                if self.scroll_open is not None or self.scroll_exists_times > 0:
                    self.scroll_exists_times = max(self.scroll_exists_times - 1, 0)
                    errors = [
                        {"code": "scroll_exists", "message": "scroll already exists for this workspace"}
                    ]
                    return 400, {"type": "error.list", "errors": errors}
                self.scrolls += 1
                start = 0
            else:
                start = int(param.split(":")[1])
            if self.scroll_500_at is not None and self.scroll_pages == self.scroll_500_at:
                self.scroll_500_at = None
                self.scroll_open = None  # Intercom: a 500 ends the scroll; start again
                return 500, {"type": "error.list", "errors": [{"code": "server_error", "message": "boom"}]}
            stop = min(start + 250, len(self.companies))
            data = [
                {"type": "company", "id": self.companies[i], "updated_at": self.company_updated[i]}
                for i in range(start, stop)
            ]
            self.scroll_open = None if not data else "open"
            return 200, {
                "type": "list",
                "data": data,
                "total_count": len(self.companies),
                "scroll_param": f"{self.scrolls}:{stop}",
            }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=0)
    args = parser.parse_args()
    with WindowServer(
        limit=args.limit, window=args.window, latency=args.latency, count=args.count, companies=args.companies
    ) as server:
        print(server.url, flush=True)
        sys.stdin.read()
        stats = {
            "requests": server.requests,
            "rejected": server.rejected,
            "windows": dict(server.windows),
            "cpu_seconds": time.process_time(),
        }
        print(json.dumps(stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
