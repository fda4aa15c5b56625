-- name: ingest_post
SELECT * FROM ingest_post(
    %(group_name)s::text, %(body)s::text, %(source)s::text, %(source_id)s::text, %(url)s::text,
    %(author)s::text, %(posted_at)s::timestamptz, %(hash)s::bigint, %(signature)s::integer[],
    %(bands)s::bigint[], %(window)s::interval, %(min_similarity)s::real, %(analysis)s::jsonb,
    %(topic)s::text, %(place)s::text, %(alert_since)s::timestamptz)

-- name: analysis_of
SELECT is_lead, category, location, urgency, priority, summary, confidence, reasons, analyzer,
       model
FROM analyses WHERE post_id = %(post_id)s ORDER BY id DESC LIMIT 1

-- name: lock_post_keys
-- Before recording a stored post's analysis: the locks ingest_post takes for it, so a repeat
-- arriving meanwhile counts as a sighting of the lead this makes, never of nothing.
SELECT lock_ingest_keys(p.bands || p.content_hash, p.source, p.source_id)
FROM posts p WHERE p.id = %(post_id)s

-- name: record_analysis
-- The analysis of a post already stored (analyzed later: by Claude, or by a sweep), its lead
-- when it is one, and the post marked analyzed: one statement. Only a post still 'received' is
-- recorded, so two workers racing on one post cannot make two leads.
WITH post AS (
    UPDATE posts SET status = 'analyzed', analyzed_at = now(), attempts = attempts + 1,
                     last_error = NULL
    WHERE id = %(post_id)s AND status = 'received'
    RETURNING id, received_at, status, posted_at
), analysis AS (
    INSERT INTO analyses (post_id, analyzer, model, is_lead, category, location, urgency,
                          priority, summary, confidence, reasons, ai_request_id)
    SELECT id, %(analyzer)s, %(model)s, %(is_lead)s, %(category)s, %(location)s, %(urgency)s,
           %(priority)s, %(summary)s, %(confidence)s, %(reasons)s, %(ai_request_id)s
    FROM post
    RETURNING id, post_id
), lead AS (
    -- Repeats stored while the post waited for its analysis are sightings of its lead.
    INSERT INTO leads (post_id, analysis_id, category, location, area, fit, urgency, priority,
                       summary, sightings)
    SELECT post_id, id, %(category)s, %(location)s, %(area)s, %(fit)s, %(urgency)s,
           %(priority)s, %(summary)s,
           1 + (SELECT count(*) FROM posts d WHERE d.duplicate_of = analysis.post_id)
    FROM analysis
    WHERE %(is_lead)s
    RETURNING id, status, created_at, updated_at
), alert AS (
    -- A hot lead's SMS alert, committed with the lead (the outbox; see pipelineos/alerts);
    -- none for a post older than alert_since (an import of last month's posts).
    INSERT INTO alert_outbox (kind, lead_id, rank)
    SELECT 'lead', lead.id, 1 FROM lead, post
    WHERE %(priority)s = 'high' AND %(fit)s NOT IN ('outside_area', 'outside_services')
      AND (post.posted_at IS NULL OR post.posted_at >= %(alert_since)s)
)
SELECT post.id AS post_id, post.received_at, post.status AS post_status,
       lead.id AS lead_id, lead.status AS lead_status, lead.created_at AS lead_created_at,
       lead.updated_at AS lead_updated_at
FROM post LEFT JOIN lead ON true

-- name: pending_posts
-- Posts still waiting for analysis, oldest first, received before the cut-off.
SELECT id, body, group_name, received_at, attempts, author, source
FROM posts
WHERE status = 'received' AND received_at <= %(before)s
ORDER BY received_at, id
LIMIT %(limit)s

-- name: record_failure
UPDATE posts SET attempts = attempts + 1, last_error = %(error)s,
                 status = CASE WHEN attempts + 1 >= %(max_attempts)s THEN 'failed' ELSE status END
WHERE id = %(post_id)s AND status = 'received'
RETURNING status

-- name: insert_ai_request
-- One Claude request and its token usage; analyses made from it point here (ai_request_id).
INSERT INTO ai_requests (vendor_request_id, message_id, model, posts, outcome, input_tokens,
                         output_tokens, cache_read_tokens, cache_write_tokens)
VALUES (%(vendor_request_id)s, %(message_id)s, %(model)s, %(posts)s, %(outcome)s,
        %(input_tokens)s, %(output_tokens)s, %(cache_read_tokens)s, %(cache_write_tokens)s)
RETURNING id

-- name: ai_usage_totals
-- Claude requests and tokens recorded by every process, and the analyses they covered.
SELECT count(*) AS requests,
       count(*) FILTER (WHERE outcome = 'invalid') AS invalid_replies,
       coalesce(sum(posts), 0) AS posts,
       coalesce(sum(input_tokens), 0) AS input_tokens,
       coalesce(sum(output_tokens), 0) AS output_tokens,
       coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
       coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens
FROM ai_requests
