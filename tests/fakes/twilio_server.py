"""A loopback Twilio: the parts of the Messages API PipelineOS uses, in a thread on 127.0.0.1.

The official SDK talks to it when ``TWILIO_API_BASE_URL`` is its ``base_url``. It checks Basic
auth like Twilio (401 + code 20003), validates numbers (21211) and sender (21606), keeps every
message it created, lists them newest first as Twilio does, and can misbehave on demand:

    fake.fail_next(500, 20500, times=2)     answer the next create requests with an error
    fake.clear_faults()                     drop the errors still queued (Twilio is back)
    fake.outage = True                      every request fails with 503 (code 20503)
    fake.stall_after_accept(2.0)            create the next message, then answer too late
    fake.error_after_accept(500)            create the next message, then answer 500
    fake.on_create = callback               called with each created message (e.g. to kill)
    fake.auth_token = "other"               credentials change (a rotated or wrong token)
    fake.account_status = "suspended"       the account resource says so (sends are refused)

``fake.creates`` counts create requests that arrived (accepted or not), ``fake.account_fetches``
reads of the account resource (the circuit probe's request), ``fake.requests`` all requests; ``fake.messages`` holds what was created; ``wait_for_messages(n)`` (``await arrival(n)``
in async code) waits for them.
``signed_callback(sid, status, url)`` builds a status callback signed as Twilio signs it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-auth-token-3f9c2a71"
FROM_NUMBER = "+12145550100"
OWNER_NUMBER = "+12145550199"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass
class FakeMessage:
    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    date_created: datetime
    received_at: float  # time.perf_counter() when the request arrived
    status: str = "queued"

    def resource(self) -> dict[str, Any]:
        created = format_datetime(self.date_created, usegmt=True)
        return {
            "sid": self.sid, "account_sid": ACCOUNT_SID, "to": self.to, "from": self.from_,
            "body": self.body, "status": self.status, "num_segments": "1", "num_media": "0",
            "direction": "outbound-api", "api_version": "2010-04-01", "price": None,
            "price_unit": "USD", "error_code": None, "error_message": None,
            "date_created": created, "date_updated": created,
            "date_sent": created if self.status != "queued" else None,
            "messaging_service_sid": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{self.sid}.json",
            "subresource_uris": {},
        }


@dataclass
class _Fault:
    status: int
    code: int
    message: str
    accept_first: bool = False  # create the message, then fail (the ambiguous case)
    stall: float = 0.0  # seconds to wait before answering


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    from_number: str = FROM_NUMBER
    messages: list[FakeMessage] = field(default_factory=list)
    requests: int = 0
    creates: int = 0
    lookups: int = 0
    account_fetches: int = 0
    account_status: str = "active"
    outage: bool = False
    on_create: Callable[[FakeMessage], None] | None = None
    base_url: str = ""
    _faults: list[_Fault] = field(default_factory=list)
    _lock: threading.Condition = field(default_factory=threading.Condition)

    # -- misbehaviour ----------------------------------------------------------------------

    def fail_next(self, status: int, code: int, message: str = "Error", times: int = 1) -> None:
        with self._lock:
            self._faults.extend(_Fault(status, code, message) for _ in range(times))

    def stall_after_accept(self, seconds: float, times: int = 1) -> None:
        with self._lock:
            self._faults.extend(_Fault(201, 0, "", accept_first=True, stall=seconds)
                                for _ in range(times))

    def error_after_accept(self, status: int = 500, code: int = 20500, times: int = 1) -> None:
        with self._lock:
            self._faults.extend(_Fault(status, code, "Internal Server Error", accept_first=True)
                                for _ in range(times))

    def clear_faults(self) -> None:
        """Forget every queued fault: Twilio answers normally again."""
        with self._lock:
            self._faults.clear()

    # -- inspection ------------------------------------------------------------------------

    def bodies(self) -> list[str]:
        with self._lock:
            return [m.body for m in self.messages]

    def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[FakeMessage]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} messages after {timeout} s, "
                                         f"wanted {count}")
                self._lock.wait(left)
            return list(self.messages)

    async def arrival(self, count: int, timeout: float = 5.0) -> list[FakeMessage]:
        """``wait_for_messages`` for async tests: waits without blocking the event loop."""
        import asyncio

        return await asyncio.to_thread(self.wait_for_messages, count, timeout)

    def signed_callback(self, sid: str, status: str, url: str,
                        error_code: int | None = None) -> tuple[dict[str, str], str]:
        """The form Twilio posts to ``url`` for a status change, and its X-Twilio-Signature."""
        with self._lock:
            message = next(m for m in self.messages if m.sid == sid)
        params = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status,
                  "SmsStatus": status, "AccountSid": self.account_sid, "To": message.to,
                  "From": message.from_, "ApiVersion": "2010-04-01"}
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return params, RequestValidator(self.auth_token).compute_signature(url, params)

    # -- serving ---------------------------------------------------------------------------

    def _authorized(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}"

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def _create(self, form: dict[str, str], received_at: float) -> FakeMessage:
        message = FakeMessage(
            sid="SM" + uuid.uuid4().hex, to=form["To"], from_=form["From"], body=form["Body"],
            status_callback=form.get("StatusCallback"), date_created=datetime.now(UTC),
            received_at=received_at)
        with self._lock:
            self.messages.append(message)
            self._lock.notify_all()
        if self.on_create is not None:
            self.on_create(message)
        return message

    def _account(self) -> dict[str, Any]:
        created = format_datetime(datetime(2024, 1, 2, tzinfo=UTC), usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}.json"
        return {"sid": self.account_sid, "owner_account_sid": self.account_sid,
                "friendly_name": "PipelineOS test account", "status": self.account_status,
                "type": "Full", "date_created": created,
                "date_updated": created, "uri": uri, "subresource_uris": {}}

    def handle(self, method: str, path: str, query: dict[str, str], form: dict[str, str],
               auth: str | None, received_at: float) -> tuple[int, dict[str, Any], float]:
        """(status, JSON body, seconds to stall before answering) for one request."""
        account = f"/2010-04-01/Accounts/{self.account_sid}"
        base = f"{account}/Messages"
        is_create = method == "POST" and path == f"{base}.json"
        is_account = method == "GET" and path == f"{account}.json"
        with self._lock:
            self.requests += 1
            self.creates += is_create
            self.account_fetches += is_account
        if self.outage:
            return 503, _error(20503, "Service Unavailable", 503), 0.0
        if not self._authorized(auth):
            return 401, _error(20003, "Authenticate", 401), 0.0
        if is_account:
            return 200, self._account(), 0.0
        if is_create:
            fault = self._next_fault()
            if fault is not None and not fault.accept_first:
                return fault.status, _error(fault.code, fault.message, fault.status), 0.0
            for name, code in (("To", 21604), ("Body", 21602)):
                if not form.get(name):
                    return 400, _error(code, f"A '{name}' is required.", 400), 0.0
            if not E164.match(form["To"]):
                return 400, _error(21211, f"The 'To' number {form['To']} is not a valid "
                                          "phone number.", 400), 0.0
            if form.get("From") != self.from_number:
                return 400, _error(21606, "The 'From' phone number provided is not a valid "
                                          "message-capable Twilio phone number.", 400), 0.0
            if len(form["Body"]) > 1600:
                return 400, _error(21617, "The concatenated message body exceeds the 1600 "
                                          "character limit.", 400), 0.0
            message = self._create(form, received_at)
            if fault is not None and fault.status >= 400:
                return fault.status, _error(fault.code, fault.message, fault.status), 0.0
            return 201, message.resource(), fault.stall if fault else 0.0
        if method == "GET" and path == f"{base}.json":
            with self._lock:
                self.lookups += 1
                found = [m for m in reversed(self.messages)
                         if (not query.get("To") or m.to == query["To"])
                         and (not query.get("From") or m.from_ == query["From"])]
            size = int(query.get("PageSize", "50"))
            page = int(query.get("Page", "0"))
            chunk = found[page * size:(page + 1) * size]
            more = (page + 1) * size < len(found)
            uri = f"{base}.json?" + urlencode({**query, "PageSize": size, "Page": page + 1})
            return 200, {"messages": [m.resource() for m in chunk], "page": page,
                         "page_size": size, "start": page * size, "end": page * size + len(chunk),
                         "first_page_uri": f"{base}.json?PageSize={size}&Page=0",
                         "previous_page_uri": None, "uri": uri,
                         "next_page_uri": uri if more else None}, 0.0
        match = re.fullmatch(rf"{base}/(SM\w+)\.json", path)
        if method == "GET" and match:
            with self._lock:
                for m in self.messages:
                    if m.sid == match[1]:
                        return 200, m.resource(), 0.0
            return 404, _error(20404, "The requested resource was not found", 404), 0.0
        return 404, _error(20404, "The requested resource was not found", 404), 0.0


def _error(code: int, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}"}


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per response, no Nagle: otherwise headers and body in two packets meet
        # delayed ACKs and every answer takes 40 ms.
        wbufsize = -1
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _serve(self, method: str) -> None:
            received_at = time.perf_counter()
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            status, body, stall = fake.handle(method, parts.path, query, form,
                                              self.headers.get("Authorization"), received_at)
            if stall:
                time.sleep(stall)
            data = json.dumps(body).encode()
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

    return Handler


@contextlib.contextmanager
def serve_twilio(fake: FakeTwilio | None = None) -> Iterator[FakeTwilio]:
    """Run ``fake`` (a new one by default) on 127.0.0.1 in a thread; ``fake.base_url`` is set."""
    fake = fake or FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              name="fake-twilio", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def twilio_settings(fake: FakeTwilio, **extra: object) -> dict[str, object]:
    """Settings keywords that point PipelineOS at ``fake``."""
    return {"twilio_account_sid": fake.account_sid, "twilio_auth_token": AUTH_TOKEN,
            "twilio_phone_number": fake.from_number, "your_phone_number": OWNER_NUMBER,
            "twilio_api_base_url": fake.base_url, **extra}


def twilio_env(fake: FakeTwilio, **extra: str) -> dict[str, str]:
    """The same, as environment variables for a ``pipelineos serve`` subprocess."""
    return {key.upper(): str(value) for key, value in twilio_settings(fake, **extra).items()}
