-- Statements of the bulk store (batch.py): a chunk of posts per transaction.

-- name: lock_buckets
-- The advisory-lock buckets of every key in the chunk, in order (ingest_post takes its own the
-- same way, so neither can deadlock the other).
SELECT count(pg_advisory_xact_lock(7312, b))
FROM (SELECT b FROM ingest_lock_buckets(%(keys)s::bigint[], %(sources)s::text[],
                                        %(source_ids)s::text[]) AS b
      ORDER BY b) AS ordered

-- name: seen_sources
-- Posts stored earlier under the chunk's source ids, and the lead each belongs to.
SELECT p.source, p.source_id, p.id, p.received_at, p.status, p.duplicate_of, p.similarity,
       l.id, l.status, l.created_at, l.updated_at, l.sightings
FROM unnest(%(sources)s::text[], %(source_ids)s::text[]) AS t(source, source_id)
JOIN posts p ON p.source = t.source AND p.source_id = t.source_id
LEFT JOIN leads l ON l.post_id = coalesce(p.duplicate_of, p.id)

-- name: candidates
-- Originals within the window the chunk's posts could repeat: the same normalised text, or a
-- shared band (ingest_post's candidates; the rest of its condition is decided in batch.py).
-- The bands are looked up post by post: asked for thousands of bands at once, the planner
-- expects most of the table to match and scans all of it. Run with sequential scans and
-- materialisation off (planner_index_only): while an import fills the table its statistics
-- are never current, and with stale ones the planner reads every original once and compares
-- each with every post of the chunk (16 s for a chunk of 1,000 at 25,000 posts, against
-- 30 ms with the bands index).
WITH wanted AS (
    SELECT w.owner, array_agg(w.band) AS bands
    FROM unnest(%(owners)s::integer[], %(bands)s::bigint[]) AS w(owner, band)
    GROUP BY w.owner
), found AS (
    SELECT p.id FROM posts p
    WHERE p.duplicate_of IS NULL AND p.content_hash = ANY(%(hashes)s::bigint[])
    UNION
    SELECT alike.id
    FROM wanted CROSS JOIN LATERAL (
        SELECT p.id FROM posts p WHERE p.duplicate_of IS NULL AND p.bands && wanted.bands
    ) AS alike
)
SELECT p.id, p.content_hash, p.signature, p.bands, p.topic, p.place, p.author,
       l.id, l.status, l.created_at, l.updated_at, l.sightings
FROM found JOIN posts p ON p.id = found.id
LEFT JOIN leads l ON l.post_id = p.id
WHERE p.received_at > now() - %(window)s::interval
  AND (p.author IS NULL OR %(any_author)s OR p.author = ANY(%(authors)s::text[]))

-- name: planner_index_only
SELECT set_config('enable_seqscan', 'off', true), set_config('enable_material', 'off', true)

-- name: planner_defaults
SELECT set_config('enable_seqscan', 'on', true), set_config('enable_material', 'on', true)

-- name: next_ids
SELECT nextval(pg_get_serial_sequence(%(table)s, 'id')) FROM generate_series(1, %(count)s)

-- name: enqueue_lead_alerts
-- Hot leads' SMS alerts, committed with the leads (see pipelineos/alerts).
INSERT INTO alert_outbox (kind, lead_id, rank)
SELECT 'lead', lead_id, 1 FROM unnest(%(lead_ids)s::bigint[]) AS lead_id

-- name: count_sightings
UPDATE leads l SET sightings = l.sightings + c.n, last_seen_at = now()
FROM unnest(%(post_ids)s::bigint[], %(counts)s::integer[]) AS c(post_id, n)
WHERE l.post_id = c.post_id
