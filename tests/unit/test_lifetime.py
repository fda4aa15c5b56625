"""stop_task: a long-lived task is stopped in bounded time even when a cancel is lost."""

from __future__ import annotations

import asyncio
import logging

import pytest

from pipelineos.lifetime import stop_task


async def test_a_lost_cancel_is_repeated() -> None:
    """A task that swallows the first cancel (as a pool hand-off can) still stops."""
    swallowed = asyncio.Event()

    async def loses_first_cancel() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            swallowed.set()  # carries on as if nothing happened
        await asyncio.sleep(3600)

    task = asyncio.create_task(loses_first_cancel())
    await asyncio.sleep(0)
    assert await stop_task(task, timeout=2.0)
    assert swallowed.is_set() and task.cancelled()


async def test_grace_lets_a_task_wind_down_before_a_second_cancel() -> None:
    """Within ``grace`` the task finishes what it does after the first cancel, undisturbed."""
    cancels = 0

    async def winds_down() -> None:
        nonlocal cancels
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancels += 1
            await asyncio.sleep(0.2)  # finishing a job
            raise

    task = asyncio.create_task(winds_down())
    await asyncio.sleep(0)
    assert await stop_task(task, grace=2.0, timeout=1.0)
    assert cancels == 1


async def test_a_task_that_never_stops_is_reported_not_awaited_forever(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A task deaf to cancellation costs the bound, then an error log; stop returns False."""
    release = asyncio.Event()

    async def deaf() -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                pass

    task = asyncio.create_task(deaf(), name="deaf")
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR):
        assert not await stop_task(task, timeout=0.3)
    assert [r.getMessage() for r in caplog.records] == ["Task did not stop"]
    release.set()
    await task


async def test_a_task_that_failed_is_stopped_without_raising(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stopping a task that already crashed logs its error instead of raising it."""
    async def crashes() -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(crashes(), name="crashes")
    await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING):
        assert await stop_task(task)
    assert "Task ended with an error" in caplog.text
