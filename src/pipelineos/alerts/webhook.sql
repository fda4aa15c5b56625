-- The outbound lead webhook's outbox (schema: db/versions/0019_lead_webhook.sql). Event rows are
-- written by triggers on leads; delivery claims them oldest first.

-- name: deactivate_targets
UPDATE lead_webhooks SET active = false, updated_at = now()
WHERE active AND NOT (target = ANY (%(targets)s::text[]))

-- name: upsert_target
INSERT INTO lead_webhooks (target, label, active) VALUES (%(target)s, %(label)s, true)
ON CONFLICT (target) DO UPDATE SET label = EXCLUDED.label, active = true, updated_at = now()
WHERE (lead_webhooks.label, lead_webhooks.active) IS DISTINCT FROM (EXCLUDED.label, true)

-- name: claim_next
WITH next AS (
    SELECT id FROM webhook_outbox
    WHERE status = 'pending' AND target = %(target)s
      AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s)
    ORDER BY id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE webhook_outbox o
SET status = 'sending', claim_id = %(claim_id)s, claimed_at = %(now)s
FROM next WHERE o.id = next.id
RETURNING o.id, o.event_id, o.event_type, o.lead_id, o.body, o.attempts, o.created_at

-- name: mark_sent
UPDATE webhook_outbox
SET status = 'sent', sent_at = %(now)s, attempts = attempts + 1, claim_id = NULL,
    response_status = %(response_status)s, last_error = NULL
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_retry
UPDATE webhook_outbox
SET status = 'pending', claim_id = NULL, attempts = attempts + %(attempted)s,
    next_attempt_at = %(next_attempt_at)s, response_status = %(response_status)s,
    last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_failed
UPDATE webhook_outbox
SET status = 'failed', claim_id = NULL, attempts = attempts + 1,
    response_status = %(response_status)s, last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: recover_stuck
UPDATE webhook_outbox
SET status = 'pending', claim_id = NULL, last_error = 'recovered from an interrupted send'
WHERE status = 'sending' AND claimed_at < %(cutoff)s
RETURNING id

-- name: next_due
SELECT count(*) FILTER (WHERE next_attempt_at IS NULL OR next_attempt_at <= %(now)s) > 0,
       min(next_attempt_at) FILTER (WHERE next_attempt_at > %(now)s),
       (SELECT min(claimed_at) FROM webhook_outbox
        WHERE status = 'sending' AND target = %(target)s)
FROM webhook_outbox WHERE status = 'pending' AND target = %(target)s

-- name: deliveries
-- The delivery log, newest first; optionally one status or one lead.
SELECT id, event_id::text AS event_id, event_type, lead_id, status, attempts, created_at,
       next_attempt_at, sent_at, response_status, last_error
FROM webhook_outbox
WHERE (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(lead_id)s::bigint IS NULL OR lead_id = %(lead_id)s)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
