"""A loopback feed server: RSS 2.0 and Atom feeds on 127.0.0.1, as Craigslist, RSS-Bridge or
Google Alerts serve them, with conditional GET and misbehaviour on demand.

    fake.items["dallas"] = [FeedItem("g1", "Need a plumber", "leak in Dallas")]
    fake.url("dallas")                  http://127.0.0.1:PORT/dallas.rss (".atom" for Atom)
    fake.raw["broken"] = b"<rss ..."    serve these bytes as they are
    fake.status["dallas"] = 500         answer with this status instead
    fake.stall = 2.0                    wait this long before answering
    fake.requests / fake.conditional    requests seen / those carrying If-None-Match

Every feed answer carries an ``ETag`` (a hash of the body) and ``Last-Modified``; a request
whose ``If-None-Match`` matches gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class FeedItem:
    guid: str
    title: str
    body: str
    link: str | None = None
    author: str | None = None
    published: datetime = field(default_factory=lambda: datetime.now(UTC))


def rss(title: str, items: list[FeedItem]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><description>{escape(i.body)}</description>"
        f"<guid isPermaLink=\"false\">{escape(i.guid)}</guid>"
        + (f"<link>{escape(i.link)}</link>" if i.link else "")
        + (f"<author>{escape(i.author)}</author>" if i.author else "")
        + f"<pubDate>{format_datetime(i.published, usegmt=True)}</pubDate></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://example.test/</link>"
            f"<description>feed</description>{entries}</channel></rss>").encode()


def atom(title: str, items: list[FeedItem]) -> bytes:
    entries = "".join(
        f"<entry><id>{escape(i.guid)}</id><title>{escape(i.title)}</title>"
        f"<content type=\"html\">{escape(i.body)}</content>"
        + (f'<link href="{escape(i.link)}"/>' if i.link else "")
        + (f"<author><name>{escape(i.author)}</name></author>" if i.author else "")
        + f"<updated>{i.published.isoformat().replace('+00:00', 'Z')}</updated></entry>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:feed</id>"
            f"<updated>2026-11-30T00:00:00Z</updated>{entries}</feed>").encode()


class FeedServer:
    def __init__(self) -> None:
        self.items: dict[str, list[FeedItem]] = {}
        self.titles: dict[str, str] = {}
        self.raw: dict[str, bytes] = {}
        self.status: dict[str, int] = {}
        self.stall = 0.0
        self.requests: list[str] = []
        self.conditional: list[str] = []
        self.user_agents: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake.requests.append(self.path)
                fake.user_agents.append(self.headers.get("User-Agent", ""))
                if fake.stall:
                    time.sleep(fake.stall)
                name, _, ext = self.path.lstrip("/").partition(".")
                if name in fake.status:
                    self.send_response(fake.status[name])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if name in fake.raw:
                    body = fake.raw[name]
                elif name in fake.items:
                    make = atom if ext == "atom" else rss
                    body = make(fake.titles.get(name, name), fake.items[name])
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match"):
                    fake.conditional.append(self.path)
                    if self.headers["If-None-Match"] == etag:
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml" if ext == "atom"
                                 else "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Mon, 30 Nov 2026 10:00:00 GMT")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str, ext: str = "rss") -> str:
        return f"http://127.0.0.1:{self.port}/{name}.{ext}"

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
