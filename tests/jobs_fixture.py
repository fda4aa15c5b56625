"""Jobs for tests, registered through EXTRA_JOBS=tests.jobs_fixture:register.

Durations and schedules come from the environment so one worker process can be told, say,
"a 2.5-second job every second" (the seed's 90-second job on a one-minute cron, scaled down).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

from pipelineos.jobs.engine import JobContext, JobEngine


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


async def slow(ctx: JobContext) -> Mapping[str, Any]:
    await asyncio.sleep(_seconds("TEST_SLOW_SECONDS", 2.5))
    return {"slept": _seconds("TEST_SLOW_SECONDS", 2.5)}


async def tick(ctx: JobContext) -> Mapping[str, Any]:
    await asyncio.sleep(_seconds("TEST_TICK_SECONDS", 0.1))
    return {"scheduled_for": ctx.scheduled_for}


async def long(ctx: JobContext) -> Mapping[str, Any]:
    await asyncio.sleep(_seconds("TEST_LONG_SECONDS", 3.0))
    return {"finished": True}


async def flaky(ctx: JobContext) -> Mapping[str, Any]:
    if ctx.attempt < int(os.environ.get("TEST_FLAKY_FAILURES", "2")):
        raise RuntimeError(f"vendor hiccup on attempt {ctx.attempt}")
    return {"attempt": ctx.attempt}


def register(engine: JobEngine, overrides: Mapping[str, str | None]) -> None:
    every_second = "* * * * * *"
    engine.schedule("test-slow", overrides.get("test-slow", every_second), slow,
                    "Sleeps longer than its schedule's interval")
    engine.schedule("test-tick", overrides.get("test-tick", None), tick, "A short job")
    engine.schedule("test-long", None, long, "A long job run on demand")
    engine.schedule("test-flaky", None, flaky, "Fails a few times, then succeeds")
