"""Key rotation: several API keys are accepted at once (PIPELINEOS_API_KEY as ``default`` and
PIPELINEOS_API_KEYS as ``name:key`` pairs), so a key changes without a gap; requests that
change something are logged, and counted in /metrics, by the key's name, never its value."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.config import ConfigurationError, load_settings
from pipelineos.logs import JsonFormatter, _Scrubber
from pipelineos.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.ops.conftest import API_KEY, REMOTE, client_at, sms_settings

NEW_KEY = "rotated-key-5b0e7a91c3d24f68"
SPARE_KEY = "spare-key-0c1d2e3f4a5b6c7d"


@pytest.fixture
async def rotating_runtime(migrated_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The old key as PIPELINEOS_API_KEY and the new one beside it, mid-rotation."""
    settings = make_settings(migrated_url, tmp_path, pipelineos_api_key=API_KEY,
                             pipelineos_api_keys=f"ops-2025:{NEW_KEY}", jobs_in_serve=False,
                             api_key_max_failures=3)
    started = await Runtime.start(settings, clock=ManualClock())
    try:
        yield started
    finally:
        await started.stop()


def _changes(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [dict(r.fields) for r in caplog.records  # type: ignore[attr-defined]
            if r.getMessage() == "API request changed state"]


async def test_old_and_new_key_both_work_and_changes_are_logged_by_key_name(
    rotating_runtime: Runtime, caplog: pytest.LogCaptureFixture,
) -> None:
    """Mid-rotation both keys are accepted from anywhere; each state-changing request is
    logged once with the name of the key it used, its status, client and path, and no log
    line (as written to combined.log) holds either key; reads are not logged."""
    caplog.set_level(logging.INFO, logger="pipelineos.web.access")
    app = create_app(rotating_runtime.settings, runtime=rotating_runtime)
    async with client_at(rotating_runtime, REMOTE, app=app) as remote:
        for key in (API_KEY, NEW_KEY):
            assert (await remote.get("/api/leads", headers={"X-API-Key": key})).status_code == 200
        old = await remote.post("/api/leads/analyze", headers={"X-API-Key": API_KEY}, json={
            "post_text": "Need a plumber in Dallas, water heater leaking", "group_name": "G"})
        new = await remote.post("/api/areas", headers={"Authorization": f"Bearer {NEW_KEY}"},
                                json={"name": "Plano"})
        refused = await remote.post("/api/areas", headers={"X-API-Key": "x" * 20},
                                    json={"name": "Frisco"})
        invalid = await remote.post("/api/areas", headers={"X-API-Key": NEW_KEY},
                                    json={"name": ""})
    assert [r.status_code for r in (old, new, refused, invalid)] == [200, 201, 401, 422]
    assert _changes(caplog) == [
        {"method": "POST", "path": "/api/leads/analyze", "status": 200, "key": "default",
         "access": "api-key", "client": REMOTE},
        {"method": "POST", "path": "/api/areas", "status": 201, "key": "ops-2025",
         "access": "api-key", "client": REMOTE},
    ]
    written = JsonFormatter(_Scrubber([]))
    for record in caplog.records:
        line = written.format(record)
        assert API_KEY not in line and NEW_KEY not in line, line


async def test_metrics_count_requests_by_key_name(rotating_runtime: Runtime) -> None:
    """/metrics counts /api requests per key name (0 for a key not used yet), so an operator
    sees when nobody uses the old key any more; the values never appear."""
    app = create_app(rotating_runtime.settings, runtime=rotating_runtime)
    async with client_at(rotating_runtime, REMOTE, app=app) as remote:
        before = (await remote.get("/metrics")).text
        for _ in range(3):
            await remote.get("/api/leads", headers={"X-API-Key": NEW_KEY})
        after = (await remote.get("/metrics")).text
    assert 'pipelineos_api_key_requests_total{key="default"} 0.0' in before
    assert 'pipelineos_api_key_requests_total{key="ops-2025"} 0.0' in before
    assert 'pipelineos_api_key_requests_total{key="ops-2025"} 3.0' in after
    assert API_KEY not in after and NEW_KEY not in after


async def test_after_rotation_only_the_new_keys_work(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With PIPELINEOS_API_KEY removed and only PIPELINEOS_API_KEYS left, the old key gets 401
    and each listed key works; a breaker admin action is logged with the key's name."""
    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            pipelineos_api_keys=f"ops-2025:{NEW_KEY}, spare:{SPARE_KEY}")
    runtime = await Runtime.start(settings)
    try:
        async with client_at(runtime, REMOTE) as remote:
            assert (await remote.get("/api/leads", headers={"X-API-Key": API_KEY})
                    ).status_code == 401
            for key in (NEW_KEY, SPARE_KEY):
                assert (await remote.get("/api/leads", headers={"X-API-Key": key})
                        ).status_code == 200
            caplog.set_level(logging.WARNING, logger="pipelineos.ops.admin")
            reset = await remote.post("/api/admin/circuits/twilio-api/reset",
                                      headers={"X-API-Key": SPARE_KEY, "X-Actor": "alice"})
    finally:
        await runtime.stop()
    assert reset.status_code == 200
    [action] = [r for r in caplog.records if r.getMessage() == "Circuit breaker admin action"]
    assert action.fields["key"] == "spare"  # type: ignore[attr-defined]
    assert action.fields["actor"] == "alice"  # type: ignore[attr-defined]


async def test_a_wrong_key_is_still_throttled_with_several_keys(
    rotating_runtime: Runtime,
) -> None:
    """The failed-attempt throttle holds whatever number of keys is configured: after
    API_KEY_MAX_FAILURES wrong keys the address gets 429, even with a right key."""
    app = create_app(rotating_runtime.settings, runtime=rotating_runtime)
    async with client_at(rotating_runtime, REMOTE, app=app) as guesser:
        for _ in range(3):
            wrong = await guesser.get("/api/leads", headers={"X-API-Key": NEW_KEY[:-1] + "0"})
            assert wrong.status_code == 401
        assert (await guesser.get("/api/leads", headers={"X-API-Key": NEW_KEY})
                ).status_code == 429


def test_every_key_is_a_secret_and_the_default_one_has_its_name() -> None:
    """Both settings' keys are scrubbed from logs and hidden from repr; PIPELINEOS_API_KEY is
    named ``default``, the others keep their order."""
    settings = load_settings(_env_file=None, pipelineos_api_key=API_KEY,
                             pipelineos_api_keys=f"b:{NEW_KEY};a:{SPARE_KEY}")
    assert list(settings.api_keys) == ["default", "b", "a"]
    assert {API_KEY, NEW_KEY, SPARE_KEY} <= set(settings.secrets())
    assert not any(key in repr(settings) for key in (API_KEY, NEW_KEY, SPARE_KEY))


@pytest.mark.parametrize(("value", "problem"), [
    (f"{NEW_KEY}", "item 1: expected name:key, the name being 1-40 letters, digits, '.', '_' "
                   "or '-'"),
    (f"a:{NEW_KEY}, a:{SPARE_KEY}", "the name 'a' is given twice"),
    (f"default:{NEW_KEY}", "the name 'default' is given twice (PIPELINEOS_API_KEY is named "
                           "'default')"),
    (f"a:{NEW_KEY}, b:{NEW_KEY}", "key 'b' is the same key as 'a'"),
    (f"b:{API_KEY}", "key 'b' is the same key as 'default'"),
    ("a:short", "key 'a': must be at least 16 characters (e.g. `openssl rand -hex 32`)"),
    ("bad name:" + NEW_KEY, "item 1: expected name:key, the name being 1-40 letters, digits, "
                            "'.', '_' or '-'"),
])
def test_a_bad_key_list_stops_start_up_without_echoing_keys(value: str, problem: str) -> None:
    """Each mistake in PIPELINEOS_API_KEYS is one line naming the setting and the item, never
    a key's value."""
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None, pipelineos_api_key=API_KEY, pipelineos_api_keys=value)
    assert caught.value.problems == [f"PIPELINEOS_API_KEYS: {problem}"]
    assert not any(key in json.dumps(caught.value.problems)
                   for key in (API_KEY, NEW_KEY, SPARE_KEY))
