"""A loopback Apify API: dataset items as ``GET /v2/datasets/{id}/items`` serves them (a JSON
array, ``X-Apify-Pagination-*`` headers, ``offset``/``limit``), behind a bearer token.

    fake.datasets["ds1"] = [{...}, ...]     items of a dataset
    fake.token = "apify_api_..."            the accepted token
    fake.fail_next = [500]                  answer the next item requests so
    fake.requests                           (path, query) of each request
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeApify:
    def __init__(self) -> None:
        self.datasets: dict[str, list[Any]] = {}
        self.token = "apify_api_fake_TOKEN_123"
        self.fail_next: list[int] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.base_url = ""


def _handler(fake: FakeApify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            fake.requests.append((parts.path, query))
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._reply(401, {"error": {"type": "token-not-valid",
                                            "message": "Authentication token is not valid."}})
                return
            segments = parts.path.strip("/").split("/")
            if len(segments) != 4 or segments[:2] != ["v2", "datasets"] or \
                    segments[3] != "items":
                self._reply(404, {"error": {"type": "page-not-found", "message": "Not found"}})
                return
            if fake.fail_next:
                self._reply(fake.fail_next.pop(0), {"error": {"type": "internal-server-error",
                                                              "message": "Server error"}})
                return
            items = fake.datasets.get(segments[2])
            if items is None:
                self._reply(404, {"error": {"type": "record-not-found",
                                            "message": "Dataset was not found"}})
                return
            offset = int(query.get("offset", "0"))
            limit = int(query.get("limit", "250000"))
            page = items[offset:offset + limit]
            self._reply(200, page, {
                "X-Apify-Pagination-Offset": str(offset), "X-Apify-Pagination-Limit": str(limit),
                "X-Apify-Pagination-Count": str(len(page)),
                "X-Apify-Pagination-Total": str(len(items)),
                "X-Apify-Pagination-Desc": "false"})

    return Handler


@contextmanager
def serve_apify() -> Iterator[FakeApify]:
    fake = FakeApify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
