-- Statements of the bulk store (batch.py): a chunk of posts per transaction.

-- name: lock_ingest
-- The ingest lock, exclusively: single submissions (ingest_post) take it shared, so they run
-- side by side but wait for a chunk, and a chunk for them.
SELECT pg_advisory_xact_lock(7313, 0)

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
-- Index lookups only, and no join after them: the bands are looked up post by post (asked
-- for thousands of bands at once, the planner expects most of the table to match), and run
-- with sequential scans and materialisation off (set_planner): while an import fills
-- the table its statistics are never current, and with stale ones the planner read every
-- original and compared it with every post of the chunk (16 s for a chunk of 1,000 at 25,000
-- posts, against 30 ms with the bands index). A post may come back more than once.
WITH wanted AS (
    SELECT w.owner, array_agg(w.band) AS bands
    FROM unnest(%(owners)s::integer[], %(bands)s::bigint[]) AS w(owner, band)
    GROUP BY w.owner
)
SELECT p.id, p.content_hash, p.signature, p.bands, p.topic, p.place, p.author
FROM posts p
WHERE p.content_hash = ANY(%(hashes)s::bigint[])
  AND p.duplicate_of IS NULL AND p.received_at > now() - %(window)s::interval
  AND (p.author IS NULL OR %(any_author)s OR p.author = ANY(%(authors)s::text[]))
UNION ALL
SELECT alike.*
FROM wanted CROSS JOIN LATERAL (
    SELECT p.id, p.content_hash, p.signature, p.bands, p.topic, p.place, p.author
    FROM posts p
    WHERE p.bands && wanted.bands
      AND p.duplicate_of IS NULL AND p.received_at > now() - %(window)s::interval
) AS alike

-- name: leads_of
-- The leads of stored originals, as they stand.
SELECT post_id, id, status, created_at, updated_at, sightings
FROM leads WHERE post_id = ANY(%(post_ids)s::bigint[])

-- name: planner_settings
SELECT current_setting('enable_seqscan'), current_setting('enable_material'),
       current_setting('max_parallel_workers_per_gather')

-- name: set_planner
-- For this transaction only. No parallel plans either: they start workers for a few rows.
SELECT set_config('enable_seqscan', %(seqscan)s, true),
       set_config('enable_material', %(material)s, true),
       set_config('max_parallel_workers_per_gather', %(parallel)s, true)

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
RETURNING l.post_id, l.id, l.status, l.created_at, l.updated_at, l.sightings
