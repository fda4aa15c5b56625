"""Job retries back off exponentially with jitter and a cap; schedules are validated."""

from __future__ import annotations

import asyncio

import pytest
from procrastinate import exceptions as queue_errors
from procrastinate.jobs import Job

from pipelineos.config import ConfigurationError, load_settings
from pipelineos.jobs.engine import BackoffRetry, parse_schedules


def job(attempts: int) -> Job:
    return Job(id=1, queue="pipelineos", lock=None, queueing_lock=None,
               task_name="pipelineos.x", attempts=attempts)


def test_delay_grows_exponentially_up_to_the_cap() -> None:
    """With jitter pinned to its maximum the delays are 5, 10, 20, 40... capped at 600 s."""
    retry = BackoffRetry(base_seconds=5, cap_seconds=600, rng=lambda: 1.0)
    assert [retry.delay(n) for n in range(9)] == [5, 10, 20, 40, 80, 160, 320, 600, 600]


def test_jitter_spreads_delays_between_one_second_and_the_ceiling() -> None:
    """Full jitter: any delay from 1 s up to the exponential ceiling, never below 1 s."""
    assert BackoffRetry(base_seconds=5, rng=lambda: 0.0).delay(3) == 1.0
    assert BackoffRetry(base_seconds=5, rng=lambda: 0.5).delay(3) == 20.0


def test_gives_up_after_max_attempts() -> None:
    """The fifth failure of a five-attempt job is final."""
    retry = BackoffRetry(max_attempts=5)
    assert retry.get_retry_decision(exception=RuntimeError(), job=job(3)) is not None
    assert retry.get_retry_decision(exception=RuntimeError(), job=job(4)) is None


@pytest.mark.parametrize("error", [queue_errors.JobAborted(), asyncio.CancelledError()])
def test_a_job_cut_off_by_shutdown_is_retried_at_once(error: BaseException) -> None:
    """Interrupted work runs again, whatever its attempt count."""
    decision = BackoffRetry(max_attempts=1).get_retry_decision(exception=error, job=job(9))
    assert decision is not None


def test_schedule_overrides_parse_and_switch_off() -> None:
    """`name=cron` items override; `off` makes a job run only on demand; bad cron raises."""
    assert parse_schedules(["daily-digest=0 7 * * *", "retention-cleanup=off"]) == {
        "daily-digest": "0 7 * * *", "retention-cleanup": None}
    with pytest.raises(ValueError, match="not a valid cron"):
        parse_schedules(["daily-digest=every morning"])


def test_bad_job_schedule_stops_start_up_with_a_clear_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """JOB_SCHEDULES with a broken cron is one configuration problem naming the job."""
    monkeypatch.setenv("JOB_SCHEDULES", "daily-digest=0 7 * * *;retention-cleanup=at noon")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None)
    assert caught.value.problems == [
        "JOB_SCHEDULES: retention-cleanup: not a valid cron expression"]
