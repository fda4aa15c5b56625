"""A loopback server that speaks enough of the Anthropic Messages API for the official SDK.

    with FakeClaude(latency=0.05) as fake:          # a thread on 127.0.0.1, a free port
        settings = make_settings(..., anthropic_api_key="sk-test", anthropic_base_url=fake.url)
        fake.script(Reply.status(401), Reply.ok())  # the next replies, in order; then defaults
        ...
        fake.requests                               # every request that reached it

By default it answers every ``POST /v1/messages`` with a forced ``tool_use`` whose input has one
verdict per post in the request (the posts are the JSON lines of the last user message, as
:mod:`pipelineos.analysis.prompt` writes them). A verdict comes from the labeled sets under
``tests/`` when the post's text is one of theirs (the fake is then a perfect classifier: the
ground truth), else from a small keyword rule. ``api_keys`` makes any other key a 401.

``GET /v1/models/{id}`` (the circuit probe's request, no tokens) answers the model's entry
(``fake.model_lookups`` lists them); it takes the same ``api_keys`` and scripted replies (an
error status, a dropped connection) as messages do.

Usage is reported as Anthropic reports it: the prefix up to the last ``cache_control`` marker
(tools, then system blocks) is written to the cache on first sight and read from it after;
tokens are estimated at four characters each.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pipelineos.analysis import corpus

LABELED_SETS = tuple(corpus.SETS[name] for name in ("dev", "holdout", "final", "blind2"))
CATEGORIES = {
    "plumbing", "electrical", "hvac", "roofing", "landscaping", "tree_service", "cleaning",
    "pest_control", "handyman", "painting", "appliance_repair", "garage_door", "fencing",
    "flooring", "pool_service", "moving", "locksmith", "pressure_washing", "remodeling", "concrete",
}
ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
    500: "api_error", 503: "api_error", 529: "overloaded_error",
}


@lru_cache(maxsize=1)
def ground_truth() -> dict[str, dict[str, Any]]:
    """Every labeled post, by its text."""
    rows: dict[str, dict[str, Any]] = {}
    for path in LABELED_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["text"].strip()] = row
    return rows


def tokens(text: str) -> int:
    return max(1, len(text) // 4)


# --- what to answer ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted reply. Build with the class methods."""

    kind: str  # "answer", "status", "tool_input", "text", "drop", "garbage"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    tool_input: Any = None
    overrides: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def ok(cls, *, delay: float = 0.0, **overrides: Any) -> Reply:
        """The normal answer; ``overrides`` replace fields of every verdict."""
        return cls("answer", delay=delay, overrides=tuple(overrides.items()))

    @classmethod
    def status_error(cls, status: int, *, retry_after: str | None = None,
                     retry_after_ms: str | None = None, delay: float = 0.0) -> Reply:
        """An API error with the body and headers Anthropic sends."""
        headers = []
        if retry_after is not None:
            headers.append(("retry-after", retry_after))
        if retry_after_ms is not None:
            headers.append(("retry-after-ms", retry_after_ms))
        return cls("status", status=status, headers=tuple(headers), delay=delay)

    @classmethod
    def malformed(cls, tool_input: Any = None) -> Reply:
        """A tool call whose input breaks the contract (by default: verdicts without fields)."""
        return cls("tool_input", tool_input=tool_input if tool_input is not None
                   else {"analyses": [{"post_id": "?", "is_lead": "maybe"}]})

    @classmethod
    def text_only(cls) -> Reply:
        """Prose instead of the forced tool call."""
        return cls("text")

    @classmethod
    def slow(cls, seconds: float) -> Reply:
        """The normal answer, after ``seconds``."""
        return cls("answer", delay=seconds)

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without answering."""
        return cls("drop")

    @classmethod
    def garbage(cls) -> Reply:
        """A 200 whose body is not JSON."""
        return cls("garbage")


@dataclass(frozen=True)
class Recorded:
    """A request as the fake saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def api_key(self) -> str | None:
        if "x-api-key" in self.headers:
            return self.headers["x-api-key"]
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None

    @property
    def posts(self) -> list[dict[str, Any]]:
        return posts_in(self.body)

    @property
    def prompt_chars(self) -> int:
        """Characters of input: tools, system and messages."""
        return len(json.dumps(self.body.get("tools", []))) + len(_system_text(self.body)) + len(
            _messages_text(self.body))

    @property
    def posts_chars(self) -> int:
        """Characters of the part that changes per request: the messages."""
        return len(_messages_text(self.body))


def _system_text(body: dict[str, Any]) -> str:
    system = body.get("system", "")
    if isinstance(system, str):
        return system
    return "".join(block.get("text", "") for block in system)


def _messages_text(body: dict[str, Any]) -> str:
    parts = []
    for message in body.get("messages", []):
        content = message.get("content", "")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts.extend(block.get("text", "") for block in content if isinstance(block, dict))
    return "\n".join(parts)


def posts_in(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The posts of a request: JSON lines with a post_id in the last user message."""
    messages = body.get("messages", [])
    if not messages:
        return []
    found = []
    for line in _messages_text({"messages": messages[-1:]}).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and "post_id" in item:
                found.append(item)
    return found


_TRADES = [
    ("plumbing", r"plumb|water heater|leak|toilet|drain|faucet|pipe"),
    ("electrical", r"electric|outlet|breaker|wiring|panel"),
    ("hvac", r"\bac\b|a/c|hvac|furnace|heat pump|air condition"),
    ("roofing", r"roof|shingle"),
    ("tree_service", r"\btree"),
    ("garage_door", r"garage door"),
]
_ASKING = re.compile(r"\b(need|needs|needed|looking for|recommend|iso|anyone know|who do you use)\b",
                     re.I)
_PLACES = re.compile(r"\b(Dallas|Plano|Frisco|Richardson|Denver|Austin|Garland|Irving|McKinney)\b")
_EMERGENCY = re.compile(r"\b(leak|leaking|flood|sparks|burst|emergency|no heat|no ac|tonight)\b",
                        re.I)


def guess(text: str) -> dict[str, Any]:
    """A verdict for a post outside the labeled sets, by keywords."""
    category = next((name for name, pattern in _TRADES if re.search(pattern, text, re.I)), None)
    lead = bool(category and _ASKING.search(text))
    place = _PLACES.search(text)
    urgency = ("emergency" if _EMERGENCY.search(text) else "flexible") if lead else None
    return {"is_lead": lead, "category": category, "location": place.group(1) if place else None,
            "urgency": urgency}


def verdict(post: dict[str, Any]) -> dict[str, Any]:
    """The fake's answer for one post: the label if the post is labeled, else a guess."""
    text = str(post.get("text", "")).strip()
    row = ground_truth().get(text)
    found = guess(text) if row is None else {
        "is_lead": bool(row["is_lead"]), "category": row.get("category"),
        "location": row.get("location"), "urgency": row.get("urgency")}
    lead = found["is_lead"]
    category = found["category"] if found["category"] in CATEGORIES else None
    if lead and category is None:
        category = "handyman"
    urgency = (found["urgency"] or "flexible") if lead else None
    priority = ("high" if urgency in ("emergency", "soon") else "medium") if lead else None
    return {
        "post_id": post.get("post_id"),
        "is_lead": lead,
        "category": category,
        "location": found["location"],
        "urgency": urgency,
        "priority": priority,
        "summary": ("Lead: " if lead else "Not a lead: ") + text[:100],
        "confidence": 0.95 if row is not None else 0.7,
        "reasons": ["labeled" if row is not None else "keywords"],
    }


# --- the server ----------------------------------------------------------------------------


@dataclass
class _State:
    script: list[Reply] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    cache: set[str] = field(default_factory=set)


class FakeClaude:
    """The fake Messages API on 127.0.0.1 in a thread; see the module docstring."""

    def __init__(self, *, latency: float = 0.0, api_keys: Iterable[str] | None = None,
                 min_cache_tokens: int = 0) -> None:
        self.latency = latency
        self.api_keys = set(api_keys) if api_keys is not None else None
        self.min_cache_tokens = min_cache_tokens
        self.default: Reply = Reply.ok()
        self._state = _State()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True, name="fake-claude")

    # -- control ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeClaude:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeClaude:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order; after them the default applies."""
        with self._lock:
            self._state.script.extend(replies)

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._state.requests)

    @property
    def model_lookups(self) -> list[Recorded]:
        """Requests to the Models API (what the circuit probe sends: no tokens)."""
        return [r for r in self.requests if r.path.startswith("/v1/models")]

    def clear(self) -> None:
        with self._lock:
            self._state.requests.clear()

    # -- answering -------------------------------------------------------------------------

    def _next(self, recorded: Recorded) -> Reply:
        with self._lock:
            self._state.requests.append(recorded)
            if self.api_keys is not None and recorded.api_key not in self.api_keys:
                return Reply.status_error(401)
            return self._state.script.pop(0) if self._state.script else self.default

    def _usage(self, body: dict[str, Any], output: str) -> dict[str, int]:
        tools = json.dumps(body.get("tools", []))
        system = body.get("system", [])
        blocks = [system] if isinstance(system, str) else list(system)
        marked = max((i for i, b in enumerate(blocks)
                      if isinstance(b, dict) and b.get("cache_control")), default=None)
        total = tokens(tools + _system_text(body) + _messages_text(body))
        read = write = 0
        if marked is not None:
            prefix = tools + "".join(b.get("text", "") for b in blocks[: marked + 1])
            size = tokens(prefix)
            if size >= self.min_cache_tokens:
                key = hashlib.sha256((str(body.get("model")) + prefix).encode()).hexdigest()
                with self._lock:
                    seen = key in self._state.cache
                    self._state.cache.add(key)
                read, write = (size, 0) if seen else (0, size)
        return {"input_tokens": total - read - write, "output_tokens": tokens(output),
                "cache_read_input_tokens": read, "cache_creation_input_tokens": write}

    def _message(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        tool = body.get("tool_choice", {}).get("name") or "tool"
        if reply.kind == "text":
            content: list[dict[str, Any]] = [{"type": "text", "text": "These look like leads."}]
            stop = "end_turn"
        else:
            if reply.kind == "tool_input":
                tool_input = reply.tool_input
            else:
                extra = dict(reply.overrides)
                tool_input = {"analyses": [{**verdict(p), **extra} for p in posts_in(body)]}
            content = [{"type": "tool_use", "id": f"toolu_{next(self._ids)}", "name": tool,
                        "input": tool_input}]
            stop = "tool_use"
        return {
            "id": f"msg_fake_{next(self._ids)}", "type": "message", "role": "assistant",
            "model": body.get("model", "claude-fake"), "content": content, "stop_reason": stop,
            "stop_sequence": None, "usage": self._usage(body, json.dumps(content)),
        }

    def _models(self, path: str) -> tuple[int, dict[str, Any]]:
        """The Models API: ``GET /v1/models`` lists, ``GET /v1/models/{id}`` describes one (any
        id is a model here, an alias resolving to itself)."""
        def info(model_id: str) -> dict[str, Any]:
            return {"type": "model", "id": model_id, "display_name": model_id,
                    "created_at": "2025-10-01T00:00:00Z", "lifecycle": "active"}

        model_id = path.removeprefix("/v1/models").strip("/")
        if model_id:
            return 200, info(model_id)
        return 200, {"data": [info("claude-haiku-4-5")], "has_more": False,
                     "first_id": "claude-haiku-4-5", "last_id": "claude-haiku-4-5"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without this, Nagle's algorithm and
                # delayed ACKs add ~40 ms to every reply on loopback.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {}
                self._serve(body)

            def do_GET(self) -> None:  # noqa: N802
                self._serve({})

            def _serve(self, body: dict[str, Any]) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = fake._next(Recorded(self.path, headers, body))
                delay = fake.latency + reply.delay
                if delay and fake._closing.wait(delay):
                    return
                request_id = f"req_fake_{next(fake._ids)}"
                route = (self.command, self.path.split("?")[0])
                try:
                    if reply.kind == "drop":
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    if route != ("POST", "/v1/messages") and not (
                            self.command == "GET" and route[1].startswith("/v1/models")):
                        self._send(404, {"type": "error", "error": {
                            "type": "not_found_error", "message": "Not found"}}, request_id)
                    elif reply.kind == "status":
                        self._send(reply.status, {"type": "error", "error": {
                            "type": ERROR_TYPES.get(reply.status, "api_error"),
                            "message": f"fake error {reply.status}"}}, request_id,
                            reply.headers)
                    elif reply.kind == "garbage":
                        self._send_raw(200, b"<html>not json", request_id)
                    elif self.command == "GET":
                        self._send(*fake._models(route[1]), request_id)
                    else:
                        self._send(200, fake._message(body, reply), request_id)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

            def _send(self, status: int, payload: object, request_id: str,
                      headers: Iterable[tuple[str, str]] = ()) -> None:
                self._send_raw(status, json.dumps(payload).encode(), request_id, headers)

            def _send_raw(self, status: int, data: bytes, request_id: str,
                          headers: Iterable[tuple[str, str]] = ()) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("request-id", request_id)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
