"""deploy/nginx/pipelineos.conf works: nginx runs it (on loopback ports, with a self-signed
certificate) in front of `pipelineos serve`, which believes X-Forwarded-For from nginx only,
so the key throttle counts the real client and not an address a client wrote; Twilio's
callback is checked against the public URL; nginx refuses bodies the app would refuse, except
on bulk intake."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.acceptance.service import free_port, running_service
from tests.fakes.twilio_server import AUTH_TOKEN, serve_twilio, twilio_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "pipelineos.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
KEY = "proxy-test-key-0a1b2c3d4e5f6a7b"
PUBLIC = "https://leads.example.com"


def site_for_test(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The deploy file with loopback ports and the test certificate, nothing else changed."""
    text = SITE.read_text(encoding="utf-8")
    for old, new in (
        ("server 127.0.0.1:3000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/leads.example.com/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/leads.example.com/privkey.pem", str(key)),
    ):
        assert old in text, f"{SITE.name} no longer has {old!r}: update this test"
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def running_nginx(workdir: Path, app_port: int) -> Iterator[tuple[int, int]]:
    """nginx with the deploy file in front of ``app_port``; yields (http, https) ports."""
    assert NGINX is not None
    workdir.mkdir()
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=leads.example.com", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    (workdir / "pipelineos.conf").write_text(
        site_for_test(app_port, http_port, https_port, cert, key))
    temp = " ".join(f"{kind}_temp_path {workdir / kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (workdir / "nginx.conf").write_text(
        # As root nginx's workers would run as "nobody", who cannot enter pytest's tmp dirs.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {workdir / 'nginx.pid'};\n"
        f"error_log {workdir / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{ access_log off; {temp} include {workdir / 'pipelineos.conf'}; }}\n")
    command = [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", https_port), timeout=0.2):
                break
            assert proc.poll() is None and time.monotonic() < deadline, \
                (workdir / "error.log").read_text() if (workdir / "error.log").exists() else ""
            time.sleep(0.05)
        yield http_port, https_port
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def client_from(address: str, base: str) -> httpx.Client:
    """A client whose connections to nginx come from ``address`` (a loopback alias)."""
    transport = httpx.HTTPTransport(local_address=address, verify=False)
    return httpx.Client(transport=transport, base_url=base,
                        headers={"Host": "leads.example.com"}, timeout=30)


def twilio_signature(url: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature as Twilio computes it: HMAC-SHA1 of the URL and the sorted form."""
    data = url + "".join(f"{k}{form[k]}" for k in sorted(form))
    return base64.b64encode(hmac.new(AUTH_TOKEN.encode(), data.encode(), hashlib.sha1).digest()
                            ).decode()


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)")
def test_nginx_in_front_of_serve(tmp_path: Path, migrated_url: str) -> None:
    """Through the deploy file's nginx: plain HTTP is redirected to HTTPS; three wrong keys
    from 127.0.0.2 throttle 127.0.0.2 even though each claimed another address in
    X-Forwarded-For, while 127.0.0.3 is served, and its change is logged with its address
    and key name; Twilio's callback signed for the public URL is accepted and one signed for
    the internal URL refused; a 1.5 MB body is refused by nginx on /api/leads/analyze and
    reaches the app on /api/posts."""
    with serve_twilio() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, TRUSTED_PROXIES="127.0.0.1",
        PIPELINEOS_API_KEY=KEY, API_KEY_MAX_FAILURES="3", TWILIO_WEBHOOK_BASE_URL=PUBLIC,
        **twilio_env(fake),
    ) as service, running_nginx(tmp_path / "nginx", int(service.base_url.rsplit(":", 1)[1])
                                ) as (http_port, https_port):
        base = f"https://127.0.0.1:{https_port}"
        with client_from("127.0.0.2", base) as guesser, client_from("127.0.0.3", base) as user:
            plain = httpx.get(f"http://127.0.0.1:{http_port}/api/leads",
                              headers={"Host": "leads.example.com"})
            assert (plain.status_code, plain.headers["location"]) == (
                301, "https://leads.example.com/api/leads")

            spoofed = {"X-API-Key": "wrong-key-000000000000", "X-Forwarded-For": "203.0.113.50"}
            assert [guesser.get("/api/leads", headers=spoofed).status_code
                    for _ in range(3)] == [401, 401, 401]
            assert guesser.get("/api/leads", headers={"X-API-Key": KEY}).status_code == 429
            assert user.get("/api/leads", headers={"X-API-Key": KEY}).status_code == 200
            added = user.post("/api/areas", json={"name": "Dallas"}, headers={
                "X-API-Key": KEY, "X-Forwarded-For": "198.51.100.1"})
            assert added.status_code == 201

            form = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered"}
            path = "/api/webhooks/twilio/status"
            for signed_url, expected in ((PUBLIC + path, 204), (service.base_url + path, 403)):
                callback = user.post(path, content=urlencode(form), headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": twilio_signature(signed_url, form)})
                assert callback.status_code == expected, callback.text

            big = b'[{"text": "' + b"x" * 1_500_000 + b'", "group_name": "g"}]'
            json_headers = {"X-API-Key": KEY, "Content-Type": "application/json"}
            refused = user.post("/api/leads/analyze", content=big, headers=json_headers)
            assert refused.status_code == 413 and "nginx" in refused.text
            bulk = user.post("/api/posts", content=big, headers=json_headers)
            assert bulk.status_code == 200 and bulk.json()["invalid"] == 1
    log = (tmp_path / "logs" / "combined.log").read_text()
    assert '"event": "API key attempts throttled", "logger": "pipelineos.web.access", ' \
           '"client": "127.0.0.2"' in log
    assert '"method": "POST", "path": "/api/areas", "status": 201, "key": "default", ' \
           '"access": "api-key", "client": "127.0.0.3"' in log
    assert "203.0.113.50" not in log and "198.51.100.1" not in log
