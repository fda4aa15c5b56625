-- Repeats are the same author's, and bulk intake stores thousands of posts per transaction.
--
-- * Two different people asking for the same thing are two jobs: a post repeats an earlier one
--   only when both have the same author, or either author is unknown. Bands written from now
--   on are hashed with the author (pipelineos.ingest.fingerprint), so near-repeats are found
--   within one author's posts, or among posts whose author is unknown: between a post with a
--   known author and one without, only exact repeats count. Posts stored before keep their
--   bands and are found as exact repeats only.
-- * Bulk intake stores a chunk of posts in one transaction (pipelineos.ingest.batch) holding
--   the ingest lock (7313, 0) exclusively; ingest_post takes it shared, then advisory locks on
--   1024 buckets of its keys (7312, bucket), so single submissions wait for each other only
--   when they share a bucket and for a chunk always.
-- * The bands index no longer keeps a pending list: every insert searches it first, and GIN's
--   pending list is scanned linearly by every search until vacuum merges it (10 ms per check
--   at 20,000 posts in bench/dedupe.py, well under 1 ms without it).
-- * Neither index is partial any more: an index of all originals ("duplicate_of IS NULL") let
--   the planner, before the table had statistics (a first big import), read every original
--   and compare its bands one by one instead of asking the bands index: 7 s for a chunk of
--   1,000 posts at 20,000 stored. Repeats are few; indexing them costs little.

DROP INDEX posts_bands_idx;
CREATE INDEX posts_bands_idx ON posts USING gin (bands) WITH (fastupdate = off);
DROP INDEX posts_content_hash_idx;
CREATE INDEX posts_content_hash_idx ON posts (content_hash);

-- The lock buckets of posts' keys: each content hash or band k is bucket k & 1023, each
-- (source, source id) the bucket of its text hash.
CREATE FUNCTION ingest_lock_buckets(p_keys bigint[], p_sources text[], p_source_ids text[])
RETURNS SETOF integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (k & 1023)::integer FROM unnest(p_keys) AS k
    UNION
    SELECT (hashtextextended(s || ':' || i, 7311) & 1023)::integer
    FROM unnest(p_sources, p_source_ids) AS t(s, i)
    WHERE i IS NOT NULL
$$;

-- Lock what a single post touches: the ingest lock shared (a bulk chunk holds it exclusively),
-- then the buckets of its keys one by one in ascending order (so two posts never wait for each
-- other in a cycle). Held until the transaction ends.
CREATE FUNCTION lock_ingest_keys(p_keys bigint[], p_source text, p_source_id text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_bucket integer;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7313, 0);
    FOREACH v_bucket IN ARRAY ARRAY(
        SELECT b FROM ingest_lock_buckets(p_keys, ARRAY[p_source], ARRAY[p_source_id]) AS b
        ORDER BY b)
    LOOP
        PERFORM pg_advisory_xact_lock(7312, v_bucket);
    END LOOP;
END
$$;

-- The original a post repeats, if any, and how alike they are: the duplicate check.
-- Never in parallel: it reads a handful of rows through the indexes, but the planner's
-- estimate for "bands && ..." is far too high, and at 1,000,000 posts it chose a parallel
-- plan whose workers took 9 ms to start for 0.3 ms of work.
CREATE FUNCTION find_original(
    p_hash bigint, p_signature integer[], p_bands bigint[], p_author text, p_topic text,
    p_place text, p_window interval, p_min_similarity real
) RETURNS TABLE (original bigint, similarity real)
LANGUAGE sql STABLE SET max_parallel_workers_per_gather = 0 AS $$
    SELECT p.id, CASE WHEN p.content_hash = p_hash THEN 1.0::real
                      ELSE signature_similarity(p.signature, p_signature) END
    FROM posts p
    WHERE p.duplicate_of IS NULL
      AND p.received_at > now() - p_window
      AND (p.author IS NULL OR p_author IS NULL OR p.author = p_author)
      AND (p.content_hash = p_hash
           OR (p.bands && p_bands
               AND (p.topic IS NULL OR p_topic IS NULL OR p.topic = p_topic)
               AND (p.place IS NULL OR p_place IS NULL OR p.place = p_place)
               AND signature_similarity(p.signature, p_signature) >= p_min_similarity))
    ORDER BY (p.content_hash = p_hash) DESC,
             signature_similarity(p.signature, p_signature) DESC, p.id
    LIMIT 1
$$;

-- Store one post, atomically, in one call:
--   * a post whose (source, source_id) was seen before returns that post (outcome 'repeat');
--   * a post repeating an original received within p_window (same normalised text, or a
--     signature at least p_min_similarity alike about the same trade and place when both
--     posts name them, found through bands hashed with the author), by the same author when
--     both authors are known, is stored as a 'duplicate' of it, and the original's lead, if
--     any, counts one more sighting (outcome 'duplicate'): no new
--     analysis, lead or alert;
--   * otherwise the post is stored (outcome 'new'): 'received' when p_analysis is NULL (it is
--     analyzed later), else 'analyzed' with its analysis, its lead when it is one, and the
--     lead's SMS alert when the lead is hot, fits the business, and was not posted before
--     p_alert_since (an import of last month's posts texts nobody).
-- Submissions that could be repeats of each other are serialised by advisory locks on the
-- buckets of their source id, content hash and bands (lock_ingest_keys), taken before
-- anything is read, so two at once still make one lead; the ingest lock, shared, keeps them
-- apart from bulk chunks.
CREATE OR REPLACE FUNCTION ingest_post(
    p_group text, p_body text, p_source text, p_source_id text, p_url text, p_author text,
    p_posted_at timestamptz, p_hash bigint, p_signature integer[], p_bands bigint[],
    p_window interval, p_min_similarity real, p_analysis jsonb, p_topic text, p_place text,
    p_alert_since timestamptz
) RETURNS TABLE (
    outcome text, post_id bigint, received_at timestamptz, post_status text,
    duplicate_of bigint, similarity real, lead_id bigint, lead_status text,
    lead_created_at timestamptz, lead_updated_at timestamptz, sightings integer
) LANGUAGE plpgsql AS $$
DECLARE
    v_original   bigint;
    v_similarity real;
    v_post       posts%ROWTYPE;
    v_lead       leads%ROWTYPE;
    v_analysis   bigint;
BEGIN
    PERFORM lock_ingest_keys(p_bands || p_hash, p_source, p_source_id);

    IF p_source_id IS NOT NULL THEN
        SELECT * INTO v_post FROM posts p WHERE p.source = p_source AND p.source_id = p_source_id;
        IF FOUND THEN
            SELECT * INTO v_lead FROM leads l
            WHERE l.post_id = coalesce(v_post.duplicate_of, v_post.id);
            RETURN QUERY SELECT 'repeat'::text, v_post.id, v_post.received_at, v_post.status,
                v_post.duplicate_of, v_post.similarity, v_lead.id, v_lead.status,
                v_lead.created_at, v_lead.updated_at, v_lead.sightings;
            RETURN;
        END IF;
    END IF;

    SELECT f.original, f.similarity INTO v_original, v_similarity
    FROM find_original(p_hash, p_signature, p_bands, p_author, p_topic, p_place, p_window,
                       p_min_similarity) AS f;

    IF v_original IS NOT NULL THEN
        INSERT INTO posts (group_name, body, source, source_id, url, author, posted_at, status,
                           content_hash, signature, bands, topic, place, duplicate_of,
                           similarity)
        VALUES (p_group, p_body, p_source, p_source_id, p_url, p_author, p_posted_at,
                'duplicate', p_hash, p_signature, p_bands, p_topic, p_place, v_original,
                v_similarity)
        RETURNING * INTO v_post;
        UPDATE leads l SET sightings = l.sightings + 1, last_seen_at = now()
        WHERE l.post_id = v_original
        RETURNING * INTO v_lead;
        RETURN QUERY SELECT 'duplicate'::text, v_post.id, v_post.received_at, v_post.status,
            v_original, v_similarity, v_lead.id, v_lead.status, v_lead.created_at,
            v_lead.updated_at, v_lead.sightings;
        RETURN;
    END IF;

    INSERT INTO posts (group_name, body, source, source_id, url, author, posted_at, status,
                       analyzed_at, attempts, content_hash, signature, bands, topic, place)
    VALUES (p_group, p_body, p_source, p_source_id, p_url, p_author, p_posted_at,
            CASE WHEN p_analysis IS NULL THEN 'received' ELSE 'analyzed' END,
            CASE WHEN p_analysis IS NULL THEN NULL ELSE now() END,
            CASE WHEN p_analysis IS NULL THEN 0 ELSE 1 END,
            p_hash, p_signature, p_bands, p_topic, p_place)
    RETURNING * INTO v_post;

    IF p_analysis IS NOT NULL THEN
        INSERT INTO analyses (post_id, analyzer, model, is_lead, category, location, urgency,
                              priority, summary, confidence, reasons, ai_request_id)
        VALUES (v_post.id, p_analysis->>'analyzer', p_analysis->>'model',
                (p_analysis->>'is_lead')::boolean, p_analysis->>'category',
                p_analysis->>'location', p_analysis->>'urgency', p_analysis->>'priority',
                coalesce(p_analysis->>'summary', ''), (p_analysis->>'confidence')::real,
                coalesce(p_analysis->'reasons', '[]'::jsonb),
                (p_analysis->>'ai_request_id')::bigint)
        RETURNING id INTO v_analysis;
        IF (p_analysis->>'is_lead')::boolean THEN
            INSERT INTO leads (post_id, analysis_id, category, location, area, fit, urgency,
                               priority, summary)
            VALUES (v_post.id, v_analysis, p_analysis->>'category', p_analysis->>'location',
                    p_analysis->>'area', coalesce(p_analysis->>'fit', 'unknown'),
                    p_analysis->>'urgency', p_analysis->>'priority',
                    coalesce(p_analysis->>'summary', ''))
            RETURNING * INTO v_lead;
            -- A hot lead's SMS alert, committed with the lead (see pipelineos/alerts).
            IF v_lead.priority = 'high'
               AND v_lead.fit NOT IN ('outside_area', 'outside_services')
               AND (p_posted_at IS NULL OR p_posted_at >= p_alert_since) THEN
                INSERT INTO alert_outbox (kind, lead_id, rank) VALUES ('lead', v_lead.id, 1);
            END IF;
        END IF;
    END IF;

    RETURN QUERY SELECT 'new'::text, v_post.id, v_post.received_at, v_post.status, NULL::bigint,
        NULL::real, v_lead.id, v_lead.status, v_lead.created_at, v_lead.updated_at,
        v_lead.sightings;
END
$$;
