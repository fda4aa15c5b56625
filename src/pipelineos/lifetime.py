"""Stopping a long-lived asyncio task in bounded time.

``task.cancel(); await task`` hangs forever when the cancellation is lost, and it can be lost:
on Python 3.11 ``asyncio.wait_for`` returns the result of an awaitable that completes in the
same loop turn as the cancel and drops the cancel. psycopg_pool waits for a connection that
way, so a task that is handed a pooled connection just as it is cancelled runs on as if nothing
happened. The tasks themselves check a stop flag after every wait (so a lost cancel costs one
loop turn, not forever); :func:`stop_task` is the other half: it cancels again until the task
is done and gives up, loudly, after a bound.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

# How often a task that has not finished is cancelled again.
RECANCEL_SECONDS = 0.1


async def stop_task(task: asyncio.Task[Any], *, grace: float = 0.0, timeout: float = 5.0) -> bool:
    """Cancel ``task`` and wait until it is done; True when it is, False after the bound.

    ``grace``: seconds the task may take to wind down after the first cancel before it is
    cancelled again (a worker finishing its jobs); then it is cancelled every
    ``RECANCEL_SECONDS`` until ``timeout`` more seconds have passed. The task's own exception,
    if any, is logged, not raised: a stop never fails because the thing stopped had failed.
    """
    task.cancel()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace + timeout
    wait = grace if grace > 0 else RECANCEL_SECONDS
    while True:
        await asyncio.wait({task}, timeout=max(0.0, min(wait, deadline - loop.time())))
        if task.done():
            break
        if loop.time() >= deadline:
            log.error("Task did not stop", extra={"fields": {"task": task.get_name(),
                                                              "seconds": grace + timeout}})
            return False
        task.cancel()
        wait = RECANCEL_SECONDS
    if not task.cancelled() and task.exception() is not None:
        log.warning("Task ended with an error",
                    extra={"fields": {"task": task.get_name(),
                                      "error": type(task.exception()).__name__}})
    return True
