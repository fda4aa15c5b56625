-- name: posts_by_status
-- Every process's posts, exact. A sequential scan: posts that never became leads are deleted
-- after RETENTION_DAYS, so the table stays in the hundreds of thousands of rows.
SELECT status, count(*) AS n FROM posts GROUP BY status

-- name: leads_by_priority
SELECT priority, count(*) AS n FROM leads GROUP BY priority

-- name: alerts_by_status
SELECT status, count(*) AS n FROM alert_outbox GROUP BY status
