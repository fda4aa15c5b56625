"""Access control: a key for every /api route when set, loopback only when not; health,
metrics and the Twilio webhook stay reachable; X-Forwarded-For only from trusted proxies;
guessing the key is throttled per address."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.config import ConfigurationError, load_settings
from pipelineos.web.access import LOOPBACK_ONLY, MISSING_KEY, TOO_MANY_FAILURES, KeyFailures
from pipelineos.web.app import create_app
from tests.conftest import make_settings
from tests.integration.ops.conftest import API_KEY, REMOTE, client_at

ROUTES = [("GET", "/api/leads"), ("GET", "/api/jobs"), ("GET", "/api/areas"),
          ("GET", "/api/ai/status"), ("GET", "/api/notifications/status"),
          ("GET", "/api/admin/circuits"), ("POST", "/api/test/sms"),
          ("POST", "/api/leads/analyze"), ("GET", "/api/no-such-route")]


async def test_without_a_key_api_answers_loopback_and_refuses_others(
    ops_runtime: Runtime,
) -> None:
    """No PIPELINEOS_API_KEY: the seed's curl from the same machine works; every /api route
    (even an unknown one) refuses another machine with 403 and says why."""
    async with client_at(ops_runtime) as local, client_at(ops_runtime, REMOTE) as remote:
        assert (await local.get("/api/leads")).status_code == 200
        for method, path in ROUTES:
            response = await remote.request(method, path, json={"message": "hi"})
            assert response.status_code == 403, path
            assert response.json() == {"error": LOOPBACK_ONLY}


async def test_loopback_request_forwarded_by_a_proxy_is_not_local(ops_runtime: Runtime) -> None:
    """A proxy on this machine relaying the internet connects from 127.0.0.1 too: a request
    that says it was forwarded is refused unless the proxy is trusted."""
    async with client_at(ops_runtime) as local:
        for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
            response = await local.get("/api/leads", headers={header: "198.51.100.9"})
            assert response.status_code == 403, header


async def test_health_metrics_and_docs_need_no_key_from_anywhere(keyed_runtime: Runtime) -> None:
    """Probes, scrapers and the API docs reach /health*, /metrics and /openapi.json from any
    address without a key, and none of them shows the key or the Twilio token."""
    token = keyed_runtime.settings.twilio_auth_token
    assert token is not None
    async with client_at(keyed_runtime, REMOTE) as remote:
        for path in ("/health", "/health/live", "/health/ready", "/metrics", "/openapi.json"):
            response = await remote.get(path)
            assert response.status_code == 200, path
            assert API_KEY not in response.text and token.get_secret_value() not in response.text


async def test_with_a_key_every_api_route_requires_it(keyed_runtime: Runtime) -> None:
    """PIPELINEOS_API_KEY set: no key or a wrong one is 401 with a clear message, even from
    loopback; the right key works as a bearer token or X-API-Key, from any address."""
    async with client_at(keyed_runtime) as local, client_at(keyed_runtime, REMOTE) as remote:
        for method, path in ROUTES:
            response = await local.request(method, path)
            assert response.status_code == 401, path
            assert response.json() == {"error": MISSING_KEY}
            assert response.headers["www-authenticate"].startswith("Bearer")
        for headers in ({"Authorization": f"Bearer {API_KEY}x"}, {"X-API-Key": API_KEY[:-1]},
                        {"Authorization": API_KEY}, {"Authorization": f"Basic {API_KEY}"}):
            assert (await remote.get("/api/leads", headers=headers)).status_code == 401, headers
        for headers in ({"Authorization": f"Bearer {API_KEY}"}, {"X-API-Key": API_KEY},
                        {"authorization": f"bearer {API_KEY}"}):
            assert (await remote.get("/api/leads", headers=headers)).status_code == 200, headers


async def test_twilio_webhook_is_judged_by_its_signature_not_the_key(
    keyed_runtime: Runtime,
) -> None:
    """Twilio cannot send our key: its status callback reaches the route from any address and
    is refused there for want of a valid X-Twilio-Signature (the route's own 403)."""
    async with client_at(keyed_runtime, REMOTE) as remote:
        response = await remote.post("/api/webhooks/twilio/status",
                                     data={"MessageSid": "SM1", "MessageStatus": "delivered"},
                                     headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403
    assert response.json() == {"error": "Signature not accepted"}


async def test_forwarded_address_is_believed_only_from_a_trusted_proxy(
    migrated_url: str, tmp_path: Path,
) -> None:
    """With TRUSTED_PROXIES=10.0.0.0/8, a request through that proxy is judged by the
    right-most forwarded address: the proxy's own machine passes, a client that wrote
    127.0.0.1 into X-Forwarded-For itself does not; an untrusted peer's header is ignored."""
    settings = make_settings(migrated_url, tmp_path, trusted_proxies="10.0.0.0/8",
                             jobs_in_serve=False)
    runtime = await Runtime.start(settings)
    try:
        async with client_at(runtime, "10.1.2.3") as proxy, \
                client_at(runtime, REMOTE) as direct:
            assert (await proxy.get("/api/leads", headers={"X-Forwarded-For": "127.0.0.1"})
                    ).status_code == 200
            spoofed = {"X-Forwarded-For": "127.0.0.1, 198.51.100.9"}
            assert (await proxy.get("/api/leads", headers=spoofed)).status_code == 403
            assert (await direct.get("/api/leads", headers={"X-Forwarded-For": "127.0.0.1"})
                    ).status_code == 403
    finally:
        await runtime.stop()


async def test_start_up_says_who_may_call_the_api(
    ops_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """Serving without a key logs a warning that /api is loopback-only and how to open it."""
    from pipelineos.web.app import announce_access

    with caplog.at_level(logging.INFO):
        announce_access(ops_runtime.settings)
    [record] = [r for r in caplog.records if r.name == "pipelineos.web.app"]
    assert record.levelno == logging.WARNING
    assert "PIPELINEOS_API_KEY is not set" in record.getMessage()
    assert "loopback" in record.getMessage()


def test_a_short_api_key_stops_start_up_with_one_line() -> None:
    """A guessable key is a configuration error naming the variable, never echoing the value."""
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None, pipelineos_api_key="short-key")
    assert caught.value.problems == [
        "PIPELINEOS_API_KEY: must be at least 16 characters (e.g. `openssl rand -hex 32`)"]
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None, trusted_proxies="10.0.0.0/8, proxy.example")
    assert caught.value.problems == [
        "TRUSTED_PROXIES: 'proxy.example' is not an IP address or CIDR network"]


def test_the_api_key_is_a_secret_scrubbed_from_logs() -> None:
    """The key is among the settings' secrets, which the log formatter replaces."""
    settings = load_settings(_env_file=None, pipelineos_api_key=API_KEY)
    assert API_KEY in settings.secrets()
    assert API_KEY not in repr(settings)


async def test_failed_keys_are_throttled_for_that_address_only(
    keyed_runtime: Runtime, clock: ManualClock, caplog: pytest.LogCaptureFixture,
) -> None:
    """After API_KEY_MAX_FAILURES wrong keys an address gets 429 with Retry-After, even with
    the right key, until the window ends; another address is not affected; it is logged once."""
    settings = keyed_runtime.settings
    limit, window = settings.api_key_max_failures, settings.api_key_failure_window_seconds
    good, wrong = {"X-API-Key": API_KEY}, {"X-API-Key": "guess-0000000000000"}
    app = create_app(settings, runtime=keyed_runtime)
    caplog.set_level(logging.WARNING, logger="pipelineos.web.access")
    async with client_at(keyed_runtime, REMOTE, app=app) as guesser, \
            client_at(keyed_runtime, "198.51.100.20", app=app) as other:
        for _ in range(limit):
            assert (await guesser.get("/api/leads", headers=wrong)).status_code == 401
        throttled = await guesser.get("/api/leads", headers=good)
        assert throttled.status_code == 429
        assert throttled.json() == {"error": TOO_MANY_FAILURES}
        assert throttled.headers["retry-after"] == str(int(window))
        assert (await guesser.get("/health/live")).status_code == 200
        assert (await other.get("/api/leads", headers=good)).status_code == 200
        assert (await other.get("/api/leads", headers=wrong)).status_code == 401
        clock.advance(window - 1)
        later = await guesser.get("/api/leads", headers=good)
        assert (later.status_code, later.headers["retry-after"]) == (429, "1")
        clock.advance(1)
        assert (await guesser.get("/api/leads", headers=good)).status_code == 200
    throttles = [r for r in caplog.records if r.getMessage() == "API key attempts throttled"]
    assert [r.fields["client"] for r in throttles] == [REMOTE]  # type: ignore[attr-defined]


def test_the_failure_table_is_bounded_and_counts_ipv6_per_subscriber() -> None:
    """However many addresses fail, at most max_addresses are remembered (the oldest
    forgotten); the addresses of one IPv6 /64 share one count."""
    failures = KeyFailures(limit=2, window=60, clock=ManualClock(), max_addresses=3)
    for n in range(1000):
        failures.failed(f"203.0.113.{n % 250}")
        failures.failed(f"2001:db8:{n:x}::1")
    assert len(failures) == 3
    failures.failed("2001:db8:aaaa:1::1")
    failures.failed("2001:db8:aaaa:1::2")
    assert failures.retry_after("2001:db8:aaaa:1::ffff") == 60
    assert failures.retry_after("2001:db8:aaaa:2::1") is None
