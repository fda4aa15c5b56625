-- Channels beside SMS and their outbox (schema: db/versions/0018_channel_outbox.sql). Rows are
-- written by a trigger on alert_outbox (routes) and by a fallback below; delivery claims them
-- per channel, so a channel that is down holds up only its own rows.

-- name: deactivate_channels
-- The running configuration names exactly these channels: others stop getting new rows.
UPDATE alert_channels SET active = false, updated_at = now()
WHERE active AND NOT (channel = ANY (%(keys)s::text[]))

-- name: upsert_channel
INSERT INTO alert_channels (channel, label, scheme, kinds, active)
VALUES (%(channel)s, %(label)s, %(scheme)s, %(kinds)s::text[], true)
ON CONFLICT (channel) DO UPDATE
SET label = EXCLUDED.label, scheme = EXCLUDED.scheme, kinds = EXCLUDED.kinds, active = true,
    updated_at = now()
WHERE (alert_channels.label, alert_channels.scheme, alert_channels.kinds, alert_channels.active)
      IS DISTINCT FROM (EXCLUDED.label, EXCLUDED.scheme, EXCLUDED.kinds, true)

-- name: fallback_alert
-- This lead's text cannot go out: its alert also goes to every active `critical` channel (once:
-- a channel that already has the pair keeps its row).
INSERT INTO channel_outbox (alert_id, channel, kind, lead_id, reason)
SELECT a.id, c.channel, a.kind, a.lead_id, 'fallback'
FROM alert_outbox a JOIN alert_channels c ON c.active AND 'critical' = ANY (c.kinds)
WHERE a.id = %(alert_id)s AND a.kind = 'lead'
ON CONFLICT (alert_id, channel) DO NOTHING
RETURNING id

-- name: fallback_waiting
-- Twilio's circuit is open: every lead alert still waiting for its text falls back the same way.
INSERT INTO channel_outbox (alert_id, channel, kind, lead_id, reason)
SELECT a.id, c.channel, a.kind, a.lead_id, 'fallback'
FROM alert_outbox a JOIN alert_channels c ON c.active AND 'critical' = ANY (c.kinds)
WHERE a.status = 'pending' AND a.kind = 'lead'
ON CONFLICT (alert_id, channel) DO NOTHING
RETURNING id

-- name: claim_next
-- The next due row of one channel, most urgent alert then oldest, under a fresh claim.
WITH next AS (
    SELECT o.id, a.rank, l.category, l.location, l.urgency, l.status AS lead_status,
           p.group_name, p.body AS post_text
    FROM channel_outbox o
    JOIN alert_outbox a ON a.id = o.alert_id
    LEFT JOIN leads l ON l.id = o.lead_id
    LEFT JOIN posts p ON p.id = l.post_id
    WHERE o.status = 'pending' AND o.channel = %(channel)s
      AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= %(now)s)
    ORDER BY a.rank, o.created_at, o.id
    LIMIT 1
    FOR UPDATE OF o SKIP LOCKED
)
UPDATE channel_outbox o
SET status = 'sending', claim_id = %(claim_id)s, claimed_at = %(now)s
FROM next
WHERE o.id = next.id
RETURNING o.id, o.alert_id, o.channel, o.kind, o.lead_id, o.reason, o.title, o.body,
          o.body_format, o.attempts, o.created_at, next.category, next.location, next.urgency,
          next.lead_status, next.group_name, next.post_text

-- name: mark_sent
UPDATE channel_outbox
SET status = 'sent', sent_at = %(now)s, attempts = attempts + 1, claim_id = NULL,
    title = %(title)s, body = %(body)s, last_error = NULL
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_retry
UPDATE channel_outbox
SET status = 'pending', claim_id = NULL, attempts = attempts + %(attempted)s,
    next_attempt_at = %(next_attempt_at)s, last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: mark_done
-- 'failed' (given up) or 'suppressed' (the lead was dealt with before it went out).
UPDATE channel_outbox
SET status = %(status)s, claim_id = NULL, attempts = attempts + %(attempted)s,
    last_error = %(error)s
WHERE id = %(id)s AND claim_id = %(claim_id)s
RETURNING id

-- name: recover_stuck
UPDATE channel_outbox
SET status = 'pending', claim_id = NULL, last_error = 'recovered from an interrupted send'
WHERE status = 'sending' AND claimed_at < %(cutoff)s
RETURNING id

-- name: next_due
-- For one channel: a row due now, when the earliest deferred one falls due, the oldest claim.
SELECT count(*) FILTER (WHERE next_attempt_at IS NULL OR next_attempt_at <= %(now)s) > 0,
       min(next_attempt_at) FILTER (WHERE next_attempt_at > %(now)s),
       (SELECT min(claimed_at) FROM channel_outbox
        WHERE status = 'sending' AND channel = %(channel)s)
FROM channel_outbox WHERE status = 'pending' AND channel = %(channel)s

-- name: counts
SELECT channel, status, count(*) FROM channel_outbox GROUP BY channel, status

-- name: deliveries_of_lead
SELECT o.channel, c.label, o.reason, o.status, o.attempts, o.sent_at, o.last_error
FROM channel_outbox o LEFT JOIN alert_channels c ON c.channel = o.channel
WHERE o.lead_id = %(lead_id)s
ORDER BY o.id

-- name: set_rich_body
-- A digest's e-mail form for its channels (written with the digest, in its transaction).
UPDATE channel_outbox SET title = %(title)s, body = %(body)s, body_format = 'html'
WHERE alert_id = %(alert_id)s AND status = 'pending'

-- name: digest_day_leads
-- The day's leads with their status, when the text went, when the owner first moved them.
SELECT l.id, l.priority, l.status, coalesce(l.category, 'other') AS category, l.location,
       p.group_name, l.created_at,
       (SELECT o.sent_at FROM alert_outbox o WHERE o.lead_id = l.id) AS alerted_at,
       (SELECT min(e.at) FROM lead_events e
        WHERE e.lead_id = l.id AND e.from_status = 'new' AND e.to_status <> 'new') AS moved_at
FROM leads l JOIN posts p ON p.id = l.post_id
WHERE l.created_at >= %(start)s AND l.created_at < %(end)s
ORDER BY CASE l.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, l.created_at, l.id

-- name: digest_week
-- Leads of a week by group and category: how many, won, lost.
SELECT p.group_name, coalesce(l.category, 'other') AS category, count(*) AS leads,
       count(*) FILTER (WHERE l.status = 'won') AS won,
       count(*) FILTER (WHERE l.status = 'lost') AS lost
FROM leads l JOIN posts p ON p.id = l.post_id
WHERE l.created_at >= %(start)s AND l.created_at < %(end)s
GROUP BY p.group_name, coalesce(l.category, 'other')
ORDER BY count(*) DESC, p.group_name, 2
