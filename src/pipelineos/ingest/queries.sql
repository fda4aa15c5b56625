-- name: record_analyzed_post
-- One statement, so one atomic write: the post, its analysis and, for a lead, the lead.
WITH post AS (
    INSERT INTO posts (group_name, body, source, status, analyzed_at, attempts)
    VALUES (%(group_name)s, %(body)s, %(source)s, 'analyzed', now(), 1)
    RETURNING id, received_at, status
), analysis AS (
    INSERT INTO analyses (post_id, analyzer, model, is_lead, category, location, urgency,
                          priority, summary, confidence, reasons)
    SELECT id, %(analyzer)s, %(model)s, %(is_lead)s, %(category)s, %(location)s, %(urgency)s,
           %(priority)s, %(summary)s, %(confidence)s, %(reasons)s
    FROM post
    RETURNING id, post_id
), lead AS (
    INSERT INTO leads (post_id, analysis_id, category, location, urgency, priority, summary)
    SELECT post_id, id, %(category)s, %(location)s, %(urgency)s, %(priority)s, %(summary)s
    FROM analysis
    WHERE %(is_lead)s
    RETURNING id, status, created_at, updated_at
), alert AS (
    -- A hot lead's SMS alert, committed with the lead (the outbox; see pipelineos/alerts).
    INSERT INTO alert_outbox (kind, lead_id, rank)
    SELECT 'lead', id, 1 FROM lead WHERE %(priority)s = 'high'
)
SELECT post.id AS post_id, post.received_at, post.status AS post_status,
       lead.id AS lead_id, lead.status AS lead_status, lead.created_at AS lead_created_at,
       lead.updated_at AS lead_updated_at
FROM post LEFT JOIN lead ON true

-- name: insert_received_post
INSERT INTO posts (group_name, body, source, status)
VALUES (%(group_name)s, %(body)s, %(source)s, 'received')
RETURNING id, received_at, status

-- name: record_analysis
-- The analysis of a post already stored (analyzed later: by Claude, or by a sweep), its lead
-- when it is one, and the post marked analyzed: one statement. Only a post still 'received' is
-- recorded, so two workers racing on one post cannot make two leads.
WITH post AS (
    UPDATE posts SET status = 'analyzed', analyzed_at = now(), attempts = attempts + 1,
                     last_error = NULL
    WHERE id = %(post_id)s AND status = 'received'
    RETURNING id, received_at, status
), analysis AS (
    INSERT INTO analyses (post_id, analyzer, model, is_lead, category, location, urgency,
                          priority, summary, confidence, reasons)
    SELECT id, %(analyzer)s, %(model)s, %(is_lead)s, %(category)s, %(location)s, %(urgency)s,
           %(priority)s, %(summary)s, %(confidence)s, %(reasons)s
    FROM post
    RETURNING id, post_id
), lead AS (
    INSERT INTO leads (post_id, analysis_id, category, location, urgency, priority, summary)
    SELECT post_id, id, %(category)s, %(location)s, %(urgency)s, %(priority)s, %(summary)s
    FROM analysis
    WHERE %(is_lead)s
    RETURNING id, status, created_at, updated_at
), alert AS (
    -- A hot lead's SMS alert, committed with the lead (the outbox; see pipelineos/alerts).
    INSERT INTO alert_outbox (kind, lead_id, rank)
    SELECT 'lead', id, 1 FROM lead WHERE %(priority)s = 'high'
)
SELECT post.id AS post_id, post.received_at, post.status AS post_status,
       lead.id AS lead_id, lead.status AS lead_status, lead.created_at AS lead_created_at,
       lead.updated_at AS lead_updated_at
FROM post LEFT JOIN lead ON true

-- name: pending_posts
-- Posts still waiting for analysis, oldest first, received before the cut-off.
SELECT id, body, group_name, received_at, attempts
FROM posts
WHERE status = 'received' AND received_at <= %(before)s
ORDER BY received_at, id
LIMIT %(limit)s

-- name: record_failure
UPDATE posts SET attempts = attempts + 1, last_error = %(error)s,
                 status = CASE WHEN attempts + 1 >= %(max_attempts)s THEN 'failed' ELSE status END
WHERE id = %(post_id)s AND status = 'received'
RETURNING status
