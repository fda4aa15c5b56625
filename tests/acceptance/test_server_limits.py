"""`pipelineos serve` protects itself, seen from raw sockets: an upload the client abandons is
one log line, oversized or endless headers are cut off, silent and slow clients are
disconnected, a late body is a 408. Timeouts are set to a second so nothing waits long."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.acceptance.service import Service, running_service
from tests.conftest import with_dbname

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
LIMITS = {"HEADER_TIMEOUT_SECONDS": "1", "BODY_TIMEOUT_SECONDS": "1", "KEEP_ALIVE_SECONDS": "1",
          "MAX_HEADER_BYTES": "4096", "MAX_HEADER_COUNT": "20", "JOBS_IN_SERVE": "false"}


@pytest.fixture(scope="module")
def service(pg_admin_url: str, migrated_template: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One server for the module, on its own database, with one-second limits."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
    try:
        with running_service(tmp_path_factory.mktemp("limits"), PYTHONPATH=SRC,
                             DATABASE_URL=with_dbname(pg_admin_url, name), **LIMITS) as started:
            yield started
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(service: Service) -> socket.socket:
    host, port = service.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def log_events(service: Service) -> list[dict[str, object]]:
    path = service.workdir / "logs" / "combined.log"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_an_aborted_upload_is_one_log_line_and_no_traceback(service: Service) -> None:
    """A client that sends half a body and closes (bulk intake and analyze) costs one info line
    each and a 499 in the metrics, not a 500 with a traceback."""
    for path in ("/api/posts", "/api/leads/analyze"):
        sock = connect(service)
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     f"Content-Length: 1000000\r\n\r\n".encode() + b'[{"text": "' + b"a" * 50_000)
        time.sleep(0.2)  # the route is reading the body
        sock.close()
    deadline = time.monotonic() + 10
    while len(aborted := [e for e in log_events(service)
                          if e["event"] == "Request aborted by the client"]) < 2:
        assert time.monotonic() < deadline, log_events(service)[-5:]
        time.sleep(0.1)
    assert sorted(str(e["path"]) for e in aborted) == ["/api/leads/analyze", "/api/posts"]
    assert all(e["level"] == "info" for e in aborted)
    assert not [e for e in log_events(service) if "exception" in e or e["level"] == "error"]
    assert "Traceback" not in service.output()
    metrics = httpx.get(f"{service.base_url}/metrics").text
    assert 'route="/api/posts",status="499"' in metrics
    assert 'status="500"' not in metrics


def test_endless_headers_are_cut_off_at_max_header_bytes(service: Service) -> None:
    """A header that never ends is answered 400 and the connection closed once it passes
    MAX_HEADER_BYTES; the server keeps serving."""
    sock = connect(service)
    sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: t\r\nX-Flood: ")
    sent = 0
    try:
        while sent < 10_000_000:
            sock.sendall(b"a" * 65536)
            sent += 65536
    except OSError:
        pass  # the server closed the connection while we were still sending
    answer = read_until_closed(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400") or answer == b""
    assert sent < 10_000_000
    assert httpx.get(f"{service.base_url}/health/live").status_code == 200


def test_silent_slow_and_idle_clients_are_disconnected(service: Service) -> None:
    """A connection that says nothing, one that sends a header byte now and then, and one
    idle after its reply are each closed by the server within seconds."""
    silent, slow, idle = connect(service), connect(service), connect(service)
    started = time.monotonic()
    slow.sendall(b"GET /health/live HTTP/1.1\r\nHost: t\r\n")
    idle.sendall(b"GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n")
    slow.settimeout(0.2)
    slow_closed = None
    while slow_closed is None and time.monotonic() - started < 8:
        try:
            slow.sendall(b"X")
            if slow.recv(1024) == b"":
                slow_closed = time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            slow_closed = time.monotonic() - started
    assert slow_closed is not None and slow_closed < 4
    assert read_until_closed(silent) == b""
    answer = read_until_closed(idle)  # the reply, then the close
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b'{"status":"ok"}')
    assert time.monotonic() - started < 8
    for sock in (silent, slow, idle):
        sock.close()


def test_a_body_that_does_not_arrive_in_time_is_a_408(service: Service) -> None:
    """Headers promising 100 bytes followed by 10 get 408 after BODY_TIMEOUT_SECONDS."""
    sock = connect(service)
    started = time.monotonic()
    sock.sendall(b"POST /api/leads/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
                 b"\r\nContent-Length: 100\r\n\r\n" + b'{"post_te')
    answer = read_until_closed(sock)  # head and body may come in separate segments
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"Request body not received within 1 seconds" in answer
    assert time.monotonic() - started < 5


def test_too_many_headers_is_a_431(service: Service) -> None:
    """More than MAX_HEADER_COUNT header lines get 431."""
    headers = {f"X-Extra-{n}": "1" for n in range(30)}
    response = httpx.get(f"{service.base_url}/health/live", headers=headers)
    assert response.status_code == 431
    assert response.json() == {"error": "More than 20 request headers"}
