"""A loopback Reddit: the token endpoint and subreddit listings, with rate-limit headers and
misbehaviour on demand.

    fake.post("dallas", "t3_a1", "Need a plumber", "leak", author="ann")
    fake.credentials = ("id", "secret")     accepted by POST /api/v1/access_token
    fake.fail_next = [503, 429]             answer the next listing requests so
    fake.remaining = 0; fake.reset = 30     X-Ratelimit-Remaining / -Reset on every answer
    fake.listings / fake.tokens_issued      requests seen (path, authorization header)

Listings are newest first, ``limit`` at a time, with ``after`` paging, as Reddit serves them:
``/r/a+b/new.json`` (public) and ``/r/a+b/new`` (OAuth, bearer token required).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeReddit:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []  # newest last
        self.credentials = ("app-id", "app-secret-55")
        self.tokens: set[str] = set()
        self.tokens_issued = 0
        self.fail_next: list[int] = []
        self.remaining = 600.0
        self.reset = 300
        self.listings: list[tuple[str, str]] = []
        self.user_agents: list[str] = []
        self.base_url = ""

    def post(self, subreddit: str, name: str, title: str, body: str = "", *,
             author: str = "someone", created: float | None = None) -> None:
        self.posts.append({"kind": "t3", "data": {
            "name": name, "id": name.removeprefix("t3_"), "subreddit": subreddit,
            "title": title, "selftext": body, "author": author,
            "permalink": f"/r/{subreddit}/comments/{name.removeprefix('t3_')}/x/",
            "created_utc": created if created is not None else time.time()}})

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any,
               form: dict[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.user_agents.append(headers.get("User-Agent", ""))
        limits = {"X-Ratelimit-Remaining": f"{self.remaining:g}",
                  "X-Ratelimit-Reset": str(self.reset), "X-Ratelimit-Used": "1"}
        if method == "POST" and path == "/api/v1/access_token":
            expected = "Basic " + base64.b64encode(
                ":".join(self.credentials).encode()).decode()
            if headers.get("Authorization") != expected or form.get("grant_type") != \
                    "client_credentials":
                return 401, {"message": "Unauthorized", "error": 401}, {}
            self.tokens_issued += 1
            token = f"token-{self.tokens_issued}"
            self.tokens.add(token)
            return 200, {"access_token": token, "token_type": "bearer", "expires_in": 86400,
                         "scope": "*"}, {}
        if method != "GET" or not path.startswith("/r/"):
            return 404, {"message": "Not Found", "error": 404}, limits
        self.listings.append((path, headers.get("Authorization", "")))
        if self.fail_next:
            status = self.fail_next.pop(0)
            extra = {"Retry-After": "7"} if status == 429 else {}
            return status, {"message": "error", "error": status}, {**limits, **extra}
        oauth = not path.endswith(".json")
        if oauth:
            auth = headers.get("Authorization", "")
            if not auth.startswith("bearer ") or auth.removeprefix("bearer ") not in self.tokens:
                return 401, {"message": "Unauthorized", "error": 401}, limits
        wanted = path.removesuffix(".json").split("/")[2].lower().split("+")
        if "private" in wanted:
            return 403, {"reason": "private", "message": "Forbidden", "error": 403}, limits
        newest_first = [p for p in reversed(self.posts)
                        if p["data"]["subreddit"].lower() in wanted]
        start = 0
        after = query.get("after")
        if after:
            names = [p["data"]["name"] for p in newest_first]
            start = names.index(after) + 1 if after in names else len(names)
        limit = int(query.get("limit", "25"))
        page = newest_first[start:start + limit]
        more = start + limit < len(newest_first)
        return 200, {"kind": "Listing", "data": {
            "after": page[-1]["data"]["name"] if page and more else None, "before": None,
            "dist": len(page), "children": page}}, limits


def _handler(fake: FakeReddit) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            form: dict[str, str] = {}
            if method == "POST":
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            status, body, headers = fake.handle(method, parts.path, query, self.headers, form)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

    return Handler


@contextmanager
def serve_reddit() -> Iterator[FakeReddit]:
    fake = FakeReddit()
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
