"""What `Runtime.start` shares between processes: by default the vendor breakers and limits
live in PostgreSQL; CLUSTER_SHARED_STATE=false keeps them in the process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pipelineos.bootstrap import Runtime
from pipelineos.resilience import State
from tests.conftest import make_settings


async def test_by_default_breakers_and_limits_are_shared(migrated_url: str,
                                                         tmp_path: Path) -> None:
    first = await Runtime.start(make_settings(migrated_url, tmp_path / "a"))
    second = await Runtime.start(make_settings(migrated_url, tmp_path / "b"))
    try:
        breaker = first.registry.get_breaker("twilio-api")
        assert breaker.shared is not None
        assert breaker.status()["shared"] == {"backend": "postgres", "generation": 0,
                                              "clusterFailures": 0}
        limiter = first.registry.get_limiter("twilio-sms")
        assert (await limiter.status())["backend"] == "postgres"
        await breaker.move_to(State.FORCED_OPEN)
        other = second.registry.get_breaker("twilio-api")
        for _ in range(200):
            if other.state is State.FORCED_OPEN:
                break
            await asyncio.sleep(0.01)
        assert other.state is State.FORCED_OPEN
    finally:
        await second.stop()
        await first.stop()


async def test_cluster_shared_state_false_keeps_them_in_the_process(migrated_url: str,
                                                                    tmp_path: Path) -> None:
    runtime = await Runtime.start(make_settings(migrated_url, tmp_path,
                                                cluster_shared_state=False))
    try:
        assert runtime.registry.get_breaker("twilio-api").shared is None
        assert "shared" not in runtime.registry.get_breaker("twilio-api").status()
        assert (await runtime.registry.get_limiter("twilio-sms").status())["backend"] == "memory"
        assert runtime.circuits is None
    finally:
        await runtime.stop()
