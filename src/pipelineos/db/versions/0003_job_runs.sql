-- Every run of a scheduled job: when, how it ended, and why if it did not succeed.

CREATE TABLE job_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name      text NOT NULL,
    trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'retry')),
    queue_job_id  bigint,
    scheduled_for timestamptz,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    outcome       text NOT NULL DEFAULT 'running'
                  CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
    error         text,
    details       jsonb NOT NULL DEFAULT '{}',
    worker        text NOT NULL
);
CREATE INDEX job_runs_recent_idx ON job_runs (started_at DESC, id DESC);
CREATE INDEX job_runs_by_job_idx ON job_runs (job_name, started_at DESC);
CREATE INDEX job_runs_running_idx ON job_runs (queue_job_id) WHERE outcome = 'running';
