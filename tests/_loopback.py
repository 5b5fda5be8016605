"""A tiny Intercom-like HTTP server on loopback: cursor-paginated contacts, a 404, a search, a scroll.

Used by the README test (``tests/test_readme.py``), the examples run offline
(``tests/test_examples_offline.py``) and the installed-wheel quickstart (``tests/test_dist.py``).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CONTACTS = [{"type": "contact", "id": f"c-{i}", "email": f"user{i}@example.com"} for i in range(1, 6)]


def _cursor_page(items: list[dict[str, Any]], start: int, per_page: int) -> dict[str, Any]:
    chunk = items[start : start + per_page]
    pages: dict[str, Any] = {"type": "pages", "per_page": per_page}
    if start + per_page < len(items):
        pages["next"] = {"per_page": per_page, "starting_after": str(start + per_page)}
    return {"type": "list", "data": chunk, "total_count": len(items), "pages": pages}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Request-Id", "req-readme")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/contacts":
            per_page = int(query.get("per_page", 50))
            self._send(200, _cursor_page(CONTACTS, int(query.get("starting_after", 0)), per_page))
        elif url.path == "/contacts/does-not-exist":
            errors = [{"code": "not_found", "message": "User Not Found"}]
            self._send(404, {"type": "error.list", "request_id": "req-404", "errors": errors})
        elif url.path.startswith("/contacts/"):
            self._send(200, {**CONTACTS[0], "id": url.path.rsplit("/", 1)[1]})
        elif url.path == "/companies/scroll":
            n = int(query.get("scroll_param", "0"))
            data = [] if n >= 2 else [{"type": "company", "id": f"co-{n}"}]
            self._send(200, {"type": "list", "data": data, "scroll_param": str(n + 1)})
        else:
            self._send(404, {"type": "error.list", "errors": [{"code": "not_found", "message": url.path}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/contacts":
            self._send(200, {"type": "contact", "id": "c-new", **body})
        elif self.path == "/contacts/search":
            pagination = body.get("pagination") or {}
            start = int(pagination.get("starting_after", 0))
            self._send(200, _cursor_page(CONTACTS, start, pagination.get("per_page", 2)))
        elif self.path.startswith("/conversations/") and self.path.endswith("/reply"):
            self._send(200, {"type": "conversation", "id": self.path.split("/")[2], "state": "open"})
        elif self.path == "/tickets":
            self._send(200, {"type": "ticket", "id": "t-1", "ticket_type_id": body.get("ticket_type_id")})
        else:
            self._send(404, {"type": "error.list", "errors": [{"code": "not_found", "message": self.path}]})


@contextlib.contextmanager
def serve(handler: type[BaseHTTPRequestHandler] | None = None) -> Iterator[str]:
    """Serve ``handler`` (default: the contacts API above) on ``127.0.0.1:<free port>`` in a thread;
    yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler or Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
