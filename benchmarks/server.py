"""Loopback HTTP server for the iterate benchmark: ``GET /contacts`` as a cursor-paginated listing.

Run in its own process (``python -m benchmarks.server --pages 100 --per-page 150``); it prints
``http://127.0.0.1:<port>`` on its first line and serves until stdin closes. Every page is rendered
once at start-up and served from memory (HTTP/1.1, keep-alive, ``Content-Length``), so the server
costs the same per request whichever client asks: ours, python-intercom or raw httpx.

``starting_after=cursor-<n>`` gives page ``n``; the last page has no ``pages.next``.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from benchmarks import payload


def render_pages(pages: int, per_page: int) -> list[bytes]:
    return [payload.page_bytes(n, per_page, pages) for n in range(pages)]


def make_server(pages: int, per_page: int, port: int = 0) -> ThreadingHTTPServer:
    bodies = render_pages(pages, per_page)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            cursor = (query.get("starting_after") or ["cursor-0"])[0]
            try:
                number = int(cursor.rsplit("-", 1)[1])
                body = bodies[number]
            except (IndexError, ValueError):
                number, body = (
                    -1,
                    b'{"type":"error.list","errors":[{"code":"not_found","message":"no page"}]}',
                )
            if url.path != "/contacts":
                number, body = (
                    -1,
                    b'{"type":"error.list","errors":[{"code":"not_found","message":"no route"}]}',
                )
            status = "200 OK" if number >= 0 else "404 Not Found"
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            self.wfile.write(head.encode("ascii") + body)  # one write: no Nagle/delayed-ACK stall

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--per-page", type=int, default=150)
    args = parser.parse_args(argv)
    server = make_server(args.pages, args.per_page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin (or exits)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
