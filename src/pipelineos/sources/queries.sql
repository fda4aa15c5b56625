-- name: insert_source
INSERT INTO sources (name, kind, config, secrets, token_hash, enabled, interval_seconds)
VALUES (%(name)s, %(kind)s, %(config)s, %(secrets)s, %(token_hash)s, %(enabled)s,
        %(interval_seconds)s)
ON CONFLICT (name) DO NOTHING
RETURNING *;

-- name: list_sources
SELECT * FROM sources ORDER BY name;

-- name: get_source
SELECT * FROM sources WHERE name = %(name)s;

-- name: update_source
UPDATE sources
SET enabled = coalesce(%(enabled)s, enabled),
    interval_seconds = coalesce(%(interval_seconds)s, interval_seconds),
    -- A source switched on (or given a new interval) is polled at once.
    next_poll_at = CASE WHEN %(enabled)s::boolean OR %(interval_seconds)s::integer IS NOT NULL
                        THEN now() ELSE next_poll_at END,
    failing_since = CASE WHEN %(enabled)s::boolean THEN NULL ELSE failing_since END
WHERE name = %(name)s
RETURNING *;

-- name: delete_source
DELETE FROM sources WHERE name = %(name)s RETURNING id;

-- name: due_sources
-- Enabled polled sources whose next poll is due, and their next poll pushed one interval on,
-- so that another process looking at the same moment does not take them too. A source due
-- within the slack counts as due: the job runs on ticks, and a source set due a few
-- milliseconds after a tick must not wait for the one after.
UPDATE sources s
SET next_poll_at = %(now)s + make_interval(secs => s.interval_seconds)
WHERE s.id IN (
    SELECT id FROM sources
    WHERE enabled AND kind = ANY(%(kinds)s)
      AND next_poll_at <= %(now)s + make_interval(secs => %(slack)s)
    ORDER BY next_poll_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING s.name;

-- name: try_lock
SELECT pg_try_advisory_lock(7315, %(id)s::integer);

-- name: unlock
SELECT pg_advisory_unlock(7315, %(id)s::integer);

-- name: seen_keys
SELECT item_key FROM source_items WHERE source_id = %(source_id)s AND item_key = ANY(%(keys)s);

-- name: record_items
INSERT INTO source_items (source_id, item_key, post_id, outcome, reason)
SELECT %(source_id)s, k, p, o, r
FROM unnest(%(keys)s::text[], %(post_ids)s::bigint[], %(outcomes)s::text[],
            %(reasons)s::text[]) AS t(k, p, o, r)
ON CONFLICT (source_id, item_key) DO NOTHING;

-- name: record_success
UPDATE sources
SET last_polled_at = %(now)s,
    last_success_at = %(now)s,
    last_error = NULL,
    failing_since = NULL,
    cursor = coalesce(%(cursor)s, cursor),
    items_total = items_total + %(accepted)s,
    items_rejected = items_rejected + %(rejected)s,
    last_item_at = CASE WHEN %(accepted)s > 0 THEN %(now)s ELSE last_item_at END
WHERE id = %(id)s;

-- name: record_failure
UPDATE sources
SET last_polled_at = %(now)s,
    last_error = %(error)s,
    failing_since = coalesce(failing_since, %(now)s)
WHERE id = %(id)s;

-- name: newly_quiet
-- Sources that have gone quiet (no new item for p_quiet intervals) or failing for more than
-- five intervals, not alerted yet: marked as alerted (once, whichever process sees it first).
UPDATE sources
SET quiet_alerted_at = %(now)s
WHERE enabled AND quiet_alerted_at IS NULL
  AND (failing_since < %(now)s - make_interval(secs => interval_seconds * 5)
       OR coalesce(last_item_at, created_at)
          < %(now)s - make_interval(secs => interval_seconds * %(quiet)s::double precision))
RETURNING name, kind, last_error, failing_since, last_item_at, interval_seconds;

-- name: well_again
UPDATE sources
SET quiet_alerted_at = NULL
WHERE quiet_alerted_at IS NOT NULL
  AND NOT (enabled
       AND (coalesce(failing_since < %(now)s - make_interval(secs => interval_seconds * 5),
                     false)
            OR coalesce(last_item_at, created_at)
               < %(now)s - make_interval(secs => interval_seconds * %(quiet)s::double precision)))
RETURNING name;

-- name: source_by_token
SELECT * FROM sources WHERE kind = 'webhook' AND name = %(name)s;
