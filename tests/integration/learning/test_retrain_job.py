"""The weekly retrain: scheduled on Sundays, retrains on the labels (recording the run and its
decision), and a week with no new label costs no training."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from croniter import croniter

from pipelineos.analysis import labels
from pipelineos.bootstrap import Runtime
from pipelineos.jobs.builtin import DEFAULT_SCHEDULES


def test_the_retrain_runs_weekly_on_sunday_morning() -> None:
    after = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday
    upcoming = croniter(DEFAULT_SCHEDULES["retrain-analyzer"], after)
    first, second = upcoming.get_next(datetime), upcoming.get_next(datetime)
    assert first == datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    assert (second - first).days == 7


async def test_retrain_job_uses_labels_and_skips_a_week_without_new_ones(
        runtime: Runtime) -> None:
    first = await runtime.jobs.execute("retrain-analyzer")
    assert first.outcome == "succeeded" and first.details["why"] == "no new labels"

    async with runtime.pool.connection() as conn:
        post = await (await conn.execute(
            "INSERT INTO posts (group_name, body) VALUES ('DFW Homes',"
            " 'Dryer vent clogged, the dryer takes three cycles, who cleans vents in Plano?')"
            " RETURNING id")).fetchone()
        assert post is not None


    async with runtime.pool.connection() as conn:
        await labels.record_verdict(conn, post[0], "lead", profile=runtime.profile,
                                    category="other")
    second = await runtime.jobs.execute("retrain-analyzer",
                                        scheduled_for=datetime(2026, 12, 6, 7, tzinfo=UTC))
    assert second.outcome == "succeeded", second
    details = second.details
    assert details["retrained"] is True and details["at"] == "2026-12-06T07:00:00+00:00"
    assert details["labels"] == {"owner": 1, "claude": 0}
    async with runtime.pool.connection() as conn:
        active = await (await conn.execute(
            "SELECT model_id FROM analyzer_models WHERE active")).fetchall()
        runs = await (await conn.execute(
            "SELECT model_id, replaced, labels FROM analyzer_retrains")).fetchall()
    assert runs == [(details["model"], details["replaced"], 1)]
    assert active == ([(details["model"],)] if details["replaced"] else [])
    if details["replaced"]:  # this process picked the new model up (notified, reloaded)
        for _ in range(100):
            if runtime.local_analyzer.model and runtime.local_analyzer.model.id == details["model"]:
                break
            await asyncio.sleep(0.05)
        assert runtime.local_analyzer.model is not None
        assert runtime.local_analyzer.model.id == details["model"]

    third = await runtime.jobs.execute("retrain-analyzer")
    assert third.details["why"] == "no new labels"
