-- Leads: reading them, and their progress through the pipeline (schema:
-- db/versions/0001_posts_analyses_leads.sql, 0006_service_areas_and_pipeline.sql).

-- name: list_leads
-- The where placeholder is empty, or WHERE and the filters' conditions below joined by AND.
SELECT l.id, l.post_id, l.category, l.location, l.area, l.fit, l.urgency, l.priority,
       l.summary, l.status, l.status_changed_at, l.sightings, l.last_seen_at, l.created_at,
       l.updated_at, p.group_name, p.body AS post_text, a.analyzer, a.confidence
FROM leads l JOIN posts p ON p.id = l.post_id JOIN analyses a ON a.id = l.analysis_id
{where}
ORDER BY l.id DESC LIMIT %(limit)s

-- name: list_leads_post_by_post
-- list_leads reading each lead's post by its id, lead after lead (OFFSET 0 keeps the planner
-- from joining otherwise): for the newest leads a text search reads, where the planner,
-- expecting few matches, would read every post to hash them.
SELECT l.id, l.post_id, l.category, l.location, l.area, l.fit, l.urgency, l.priority,
       l.summary, l.status, l.status_changed_at, l.sightings, l.last_seen_at, l.created_at,
       l.updated_at, p.group_name, p.body AS post_text, a.analyzer, a.confidence
FROM leads l
CROSS JOIN LATERAL (SELECT p.group_name, p.body FROM posts p WHERE p.id = l.post_id OFFSET 0) p
JOIN analyses a ON a.id = l.analysis_id
{where}
ORDER BY l.id DESC LIMIT %(limit)s

-- name: when_priority
l.priority = %(priority)s

-- name: when_category
l.category = %(category)s

-- name: when_status
l.status = %(status)s

-- name: when_fit
l.fit = %(fit)s

-- name: when_place
(lower(l.area) = ANY(%(places)s) OR lower(l.location) = ANY(%(places)s))

-- name: when_since
l.created_at >= %(since)s

-- name: when_until
l.created_at < %(until)s

-- name: when_before_id
l.id < %(before_id)s

-- name: names_of_place
-- The service areas a place names (by name or alias, any case), with all their names.
SELECT lower(name), ARRAY(SELECT lower(alias) FROM unnest(aliases) AS alias)
FROM service_areas WHERE lower(name) = %(key)s
   OR %(key)s = ANY(ARRAY(SELECT lower(alias) FROM unnest(aliases) AS alias))

-- name: get_lead
SELECT l.id, l.post_id, l.category, l.location, l.area, l.fit, l.urgency, l.priority,
       l.summary, l.status, l.status_changed_at, l.sightings, l.last_seen_at, l.created_at,
       l.updated_at, p.group_name, p.body AS post_text, a.analyzer, a.confidence
FROM leads l JOIN posts p ON p.id = l.post_id JOIN analyses a ON a.id = l.analysis_id
WHERE l.id = %(id)s

-- name: sightings
-- Every post of a lead: the original and each repeat, oldest first.
SELECT p.id AS post_id, p.group_name, p.received_at, p.similarity FROM posts p
JOIN leads l ON p.id = l.post_id OR p.duplicate_of = l.post_id
WHERE l.id = %(id)s ORDER BY p.received_at, p.id

-- name: origin
SELECT source, source_id, url, author, posted_at, received_at FROM posts WHERE id = %(post_id)s

-- name: analysis
SELECT a.analyzer, a.model, a.confidence, a.reasons, a.created_at
FROM analyses a JOIN leads l ON l.analysis_id = a.id WHERE l.id = %(id)s

-- name: events
SELECT id, at, actor, from_status, to_status, note FROM lead_events
WHERE lead_id = %(id)s ORDER BY at, id

-- name: lock_status
-- Held until the transaction ends, so two changes of one lead take turns.
SELECT status FROM leads WHERE id = %(id)s FOR UPDATE

-- name: set_status
UPDATE leads SET updated_at = now(),
       status = coalesce(%(status)s, status),
       status_changed_at = CASE WHEN %(changed)s THEN now() ELSE status_changed_at END
WHERE id = %(id)s

-- name: insert_event
INSERT INTO lead_events (lead_id, actor, from_status, to_status, note)
VALUES (%(id)s, %(actor)s, %(from_status)s, %(to_status)s, %(note)s)
RETURNING id, at, actor, from_status, to_status, note

-- name: snapshot
-- One consistent view for the reads of a lead in full.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
