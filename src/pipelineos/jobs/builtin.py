"""The jobs every PipelineOS runs, with default schedules (UTC) overridable by configuration.

| job | default | what it does |
| --- | --- | --- |
| retry-pending-analyses | every 30 s | analyze posts still waiting (stored while Claude was down) |
| deliver-pending-alerts | every 30 s | send alerts the fast path has not (backs up the fast path) |
| recover-stalled-work | every minute | re-queue jobs of workers that died; unstick alert sends |
| daily-digest | 13:00 UTC (8 am Central) | SMS the owner a summary of yesterday's leads |
| retention-cleanup | 08:30 UTC | delete old raw posts that never became leads, old run records |
| retrain-analyzer | Sundays 07:00 UTC | retrain the learned model on the labels; keep the better one |
| poll-sources | every 5 s | poll the sources whose interval has passed; alert once for quiet ones |
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pipelineos.analysis import installed
from pipelineos.jobs.engine import QUERIES, Job, JobContext, JobEngine

DEFAULT_SCHEDULES: dict[str, str] = {
    "retry-pending-analyses": "* * * * * */30",
    "deliver-pending-alerts": "* * * * * */30",
    "recover-stalled-work": "* * * * *",
    "daily-digest": "0 13 * * *",
    "retention-cleanup": "30 8 * * *",
    "retrain-analyzer": "0 7 * * 0",
    "poll-sources": "* * * * * */5",
}


async def retry_pending_analyses(ctx: JobContext) -> Mapping[str, Any]:
    # The sweep leaves alone posts whose Claude request may still be in flight, prefers Claude
    # while its circuit admits calls, and falls back to the local analyzer after
    # CLAUDE_FALLBACK_DELAY_SECONDS. A full batch means more may be waiting: go again.
    analyzed, batch = 0, 200
    for _ in range(50):
        done = await ctx.services.intake.analyze_pending(limit=batch)
        analyzed += done
        if done < batch:
            break
    return {"analyzed": analyzed}


async def deliver_pending_alerts(ctx: JobContext) -> Mapping[str, Any]:
    return {"delivered": await ctx.services.notifications.deliver_pending(limit=200)}


async def recover_stalled_work(ctx: JobContext) -> Mapping[str, Any]:
    requeued = await ctx.services.jobs.recover_stalled()
    recovered = await ctx.services.notifications.recover_stuck()
    return {"requeued_jobs": len(requeued), "recovered_alerts": recovered}


async def daily_digest(ctx: JobContext) -> Mapping[str, Any]:
    # The day that ended at the tick that triggered this run (or now, when run by hand).
    at = ctx.scheduled_for or ctx.services.clock.now()
    day = (at - timedelta(days=1)).date()
    alert_id = await ctx.services.notifications.send_daily_digest(day)
    return {"day": day.isoformat(), "alert_id": alert_id}


async def retention_cleanup(ctx: JobContext) -> Mapping[str, Any]:
    services = ctx.services
    now = services.clock.now()
    posts_before = now - timedelta(days=services.settings.retention_days)
    runs_before = now - timedelta(days=services.settings.job_runs_retention_days)
    async with services.pool.connection() as conn:
        posts = await conn.execute(QUERIES["delete_old_posts"], {"before": posts_before})
        runs = await conn.execute(QUERIES["delete_old_runs"], {"before": runs_before})
    await services.jobs.app.job_manager.delete_old_jobs(
        nb_hours=services.settings.job_runs_retention_days * 24, include_failed=True)
    return {"posts_deleted": posts.rowcount, "runs_deleted": runs.rowcount}


async def retrain_analyzer(ctx: JobContext) -> Mapping[str, Any]:
    # Training takes tens of seconds of CPU (in a thread); a week without a new label has
    # nothing new to learn, so that run only says so.
    services = ctx.services
    at = ctx.scheduled_for or services.clock.now()
    if not await installed.labels_changed(services.pool):
        return {"at": at.isoformat(), "retrained": False, "why": "no new labels"}
    result = await installed.retrain(services.pool)
    return {"at": at.isoformat(), "retrained": True, "model": result.candidate,
            "replaced": result.replaced, "previous": result.current,
            "f1_before": round(result.current_scores.pooled.f1, 3),
            "f1_after": round(result.candidate_scores.pooled.f1, 3), "labels": result.labels}
async def poll_sources(ctx: JobContext) -> Mapping[str, Any]:
    results = await ctx.services.sources.poll_due()
    return {"polled": len(results),
            "failed": sum(r.outcome == "failed" for r in results),
            "accepted": sum(r.accepted for r in results)}


BUILTIN: dict[str, tuple[Any, str]] = {
    "retry-pending-analyses": (retry_pending_analyses,
                               "Analyze stored posts still waiting for an analysis"),
    "deliver-pending-alerts": (deliver_pending_alerts,
                               "Send lead alerts not yet delivered (backs up the fast path)"),
    "recover-stalled-work": (recover_stalled_work,
                             "Re-queue work held by a worker that stopped responding"),
    "daily-digest": (daily_digest, "Text the owner a summary of yesterday's leads"),
    "retention-cleanup": (retention_cleanup,
                          "Delete old raw posts that never became leads, and old run records"),
    "retrain-analyzer": (retrain_analyzer, "Retrain the learned analyzer on the owner's and "
                                           "Claude's labels; keep it only if it is as good"),
    "poll-sources": (poll_sources, "Poll the sources whose interval has passed (feeds, "
                                   "mailboxes); alert once for a source gone quiet"),
}


def register(engine: JobEngine, overrides: Mapping[str, str | None]) -> list[Job]:
    """Register the built-in jobs; ``overrides`` maps a job to a cron (None: on demand only)."""
    return [
        engine.schedule(name, overrides.get(name, DEFAULT_SCHEDULES[name]), function, description)
        for name, (function, description) in BUILTIN.items()
    ]
