-- name: start_run
INSERT INTO job_runs (job_name, trigger, queue_job_id, scheduled_for, worker)
VALUES (%(job_name)s, %(trigger)s, %(queue_job_id)s, %(scheduled_for)s, %(worker)s)
RETURNING id

-- name: finish_run
UPDATE job_runs
SET finished_at = now(), outcome = %(outcome)s, error = %(error)s, details = %(details)s
WHERE id = %(run_id)s

-- name: record_skip
INSERT INTO job_runs (job_name, trigger, queue_job_id, scheduled_for, finished_at, outcome,
                      error, worker)
VALUES (%(job_name)s, %(trigger)s, %(queue_job_id)s, %(scheduled_for)s, now(), 'skipped',
        'already running', %(worker)s)
RETURNING id

-- name: interrupt_runs
-- Runs left 'running' by a worker that died: the queue job is being retried.
UPDATE job_runs
SET finished_at = now(), outcome = 'failed', error = 'interrupted: the worker stopped responding'
WHERE outcome = 'running' AND queue_job_id = ANY(%(queue_job_ids)s)
RETURNING id

-- name: queue_counts
SELECT status::text AS status, count(*) AS jobs FROM procrastinate_jobs GROUP BY status

-- name: delete_old_posts
-- Raw posts past retention that never became leads (their analyses go with them).
DELETE FROM posts p
WHERE p.received_at < %(before)s AND p.status <> 'received'
  AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.post_id = p.id)

-- name: delete_old_runs
DELETE FROM job_runs WHERE started_at < %(before)s AND outcome <> 'running'

-- name: last_runs
SELECT DISTINCT ON (job_name) job_name, id, outcome, started_at, finished_at, error
FROM job_runs
ORDER BY job_name, started_at DESC, id DESC
