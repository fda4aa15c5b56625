-- The alert outbox (schema: db/versions/0004_alert_outbox.sql). Times that decide delivery come
-- from the caller's clock as %(now)s; send_started_at is database time, compared with Twilio's.

-- name: enqueue_lead
-- The alert for an existing lead; nothing when it already has one (one alert per lead).
INSERT INTO alert_outbox (kind, lead_id, rank)
SELECT 'lead', id, 1 FROM leads WHERE id = %(lead_id)s
ON CONFLICT (lead_id) DO NOTHING
RETURNING id

-- name: enqueue_message
-- A critical alert or a digest, its text fixed now. Nothing when ``dedupe_key`` is taken, or
-- when the same text was queued after ``repeat_after`` (an alarm that keeps firing).
INSERT INTO alert_outbox (kind, rank, body, dedupe_key)
SELECT %(kind)s, %(rank)s, %(body)s, %(dedupe_key)s
WHERE NOT EXISTS (
    SELECT 1 FROM alert_outbox
    WHERE kind = %(kind)s AND body = %(body)s AND created_at > %(repeat_after)s
)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id

-- name: enqueue_channel_only
-- A critical alert for the channels only (SMS is what is down): stored as 'logged' so SMS
-- delivery never claims it; the channel trigger fans it out to the `critical` channels.
INSERT INTO alert_outbox (kind, rank, body, status)
SELECT 'critical', 0, %(body)s, 'logged'
WHERE NOT EXISTS (
    SELECT 1 FROM alert_outbox
    WHERE kind = 'critical' AND body = %(body)s AND created_at > %(repeat_after)s
)
RETURNING id

-- name: claim_next
-- The next due alert, most urgent then oldest, marked 'sending' under a fresh claim. SKIP
-- LOCKED lets any number of workers sweep at once without taking the same row.
WITH next AS (
    SELECT o.id, l.category, l.location, l.urgency, l.status AS lead_status,
           p.group_name, p.body AS post_text
    FROM alert_outbox o
    LEFT JOIN leads l ON l.id = o.lead_id
    LEFT JOIN posts p ON p.id = l.post_id
    WHERE o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= %(now)s)
    ORDER BY o.rank, o.created_at, o.id
    LIMIT 1
    FOR UPDATE OF o SKIP LOCKED
)
UPDATE alert_outbox o
SET status = 'sending', claim_id = %(claim_id)s, claimed_at = %(now)s
FROM next
WHERE o.id = next.id
RETURNING o.id, o.kind, o.lead_id, o.body, o.attempts, o.maybe_sent, o.send_started_at,
          o.created_at, next.category, next.location, next.urgency, next.lead_status,
          next.group_name, next.post_text

-- name: begin_send
-- Fix the text (a text fixed earlier wins) and the start of the look-up window, just before the
-- request leaves.
UPDATE alert_outbox
SET body = coalesce(body, %(body)s), send_started_at = coalesce(send_started_at, now())
WHERE id = %(id)s AND claim_id = %(claim_id)s AND status = 'sending'
RETURNING body, send_started_at

-- name: mark_sent
UPDATE alert_outbox
SET status = 'sent', twilio_sid = %(sid)s, sent_at = %(now)s, attempts = attempts + %(attempted)s,
    maybe_sent = false, claim_id = NULL, error_code = NULL, last_error = NULL,
    delivery_status = coalesce(delivery_status, %(twilio_status)s)
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_retry
-- Not sent this time; due again at ``next_attempt_at``. ``maybe_sent`` only ever turns on here.
UPDATE alert_outbox
SET status = 'pending', claim_id = NULL, attempts = attempts + %(attempted)s,
    next_attempt_at = %(next_attempt_at)s, maybe_sent = maybe_sent OR %(maybe_sent)s,
    error_code = %(error_code)s, last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_done
-- A final state other than sent: 'failed', 'suppressed' or 'logged'.
UPDATE alert_outbox
SET status = %(status)s, claim_id = NULL, attempts = attempts + %(attempted)s,
    body = coalesce(body, %(body)s), error_code = %(error_code)s, last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: recover_stuck
-- Claims older than the cut-off belong to a worker that died: back to 'pending'. If a request
-- may have left, the next delivery looks for the message at Twilio before sending again.
UPDATE alert_outbox
SET status = 'pending', claim_id = NULL,
    maybe_sent = maybe_sent OR send_started_at IS NOT NULL,
    last_error = 'recovered from an interrupted send'
WHERE status = 'sending' AND claimed_at < %(cutoff)s
RETURNING id

-- name: next_due
-- Whether a waiting alert is due now, when the earliest deferred one becomes due, and when the
-- oldest claim still 'sending' was taken (its worker may die: recovery is due after that).
SELECT count(*) FILTER (WHERE next_attempt_at IS NULL) > 0, min(next_attempt_at),
       (SELECT min(claimed_at) FROM alert_outbox WHERE status = 'sending')
FROM alert_outbox WHERE status = 'pending'

-- name: record_delivery
-- A status callback. Statuses only move forward (a late 'sent' does not undo 'delivered').
UPDATE alert_outbox
SET delivery_status = %(status)s, delivery_error_code = %(error_code)s,
    delivery_updated_at = %(now)s, twilio_sid = coalesce(twilio_sid, %(sid)s)
WHERE (id = %(alert_id)s OR (%(alert_id)s::bigint IS NULL AND twilio_sid = %(sid)s))
  AND (twilio_sid IS NULL OR twilio_sid = %(sid)s)
  AND CASE coalesce(delivery_status, '')
          WHEN 'delivered' THEN 4 WHEN 'undelivered' THEN 4 WHEN 'failed' THEN 4
          WHEN 'read' THEN 4 WHEN 'canceled' THEN 4
          WHEN 'sent' THEN 3 WHEN 'sending' THEN 2
          WHEN 'queued' THEN 1 WHEN 'accepted' THEN 1 WHEN 'scheduled' THEN 1
          ELSE 0 END <= %(rank)s
RETURNING id

-- name: outbox_counts
SELECT status, count(*) FROM alert_outbox GROUP BY status

-- name: digest_leads
-- Leads created on a day (UTC): counts by priority and by category.
SELECT priority, coalesce(category, 'other') AS category, count(*) AS n
FROM leads
WHERE created_at >= %(start)s AND created_at < %(end)s
GROUP BY priority, coalesce(category, 'other')

-- name: digest_alerts
SELECT o.status, count(*)
FROM alert_outbox o JOIN leads l ON l.id = o.lead_id
WHERE l.created_at >= %(start)s AND l.created_at < %(end)s
GROUP BY o.status
