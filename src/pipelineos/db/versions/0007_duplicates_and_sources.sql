-- The same need posted twice is one lead with several sightings; a post's origin is kept.
--
-- Each post carries a fingerprint computed by pipelineos.ingest.fingerprint: a hash of its
-- normalised text (exact repeats), a 32-slot MinHash signature and 8 band hashes of it
-- (near-repeats; a GIN index over the bands finds candidates, the signatures decide).
-- Only originals are candidates: a repeat points at the original it repeats.

ALTER TABLE posts
    ADD COLUMN content_hash bigint,
    ADD COLUMN signature    integer[],
    ADD COLUMN bands        bigint[],
    ADD COLUMN duplicate_of bigint REFERENCES posts (id) ON DELETE SET NULL,
    ADD COLUMN similarity   real,
    -- What the need is about and where, from the local analysis: a near-repeat must not name
    -- another trade or another place ("plumber in Plano" is not "plumber in Dallas").
    ADD COLUMN topic        text,
    ADD COLUMN place        text,
    ADD COLUMN source_id    text,
    ADD COLUMN url          text,
    ADD COLUMN author       text,
    ADD COLUMN posted_at    timestamptz;

ALTER TABLE posts DROP CONSTRAINT posts_status_check;
ALTER TABLE posts ADD CONSTRAINT posts_status_check
    CHECK (status IN ('received', 'analyzed', 'failed', 'duplicate'));

CREATE INDEX posts_content_hash_idx ON posts (content_hash) WHERE duplicate_of IS NULL;
CREATE INDEX posts_bands_idx ON posts USING gin (bands) WHERE duplicate_of IS NULL;
CREATE UNIQUE INDEX posts_source_idx ON posts (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX posts_repeats_idx ON posts (duplicate_of, received_at) WHERE duplicate_of IS NOT NULL;

ALTER TABLE leads
    ADD COLUMN sightings    integer NOT NULL DEFAULT 1,
    ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- Share of equal slots in two MinHash signatures: their estimated Jaccard similarity.
CREATE FUNCTION signature_similarity(a integer[], b integer[]) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT count(*) FILTER (WHERE x = y)::real / greatest(cardinality(a), 1)
    FROM unnest(a, b) AS t(x, y)
$$;

-- Store one post, atomically, in one call:
--   * a post whose (source, source_id) was seen before returns that post (outcome 'repeat');
--   * a post repeating an original received within p_window (same normalised text, or a
--     signature at least p_min_similarity alike about the same trade and place when both
--     posts name them) is stored as a 'duplicate' of it, and the
--     original's lead, if any, counts one more sighting (outcome 'duplicate'): no new
--     analysis, lead or alert;
--   * otherwise the post is stored (outcome 'new'): 'received' when p_analysis is NULL (it is
--     analyzed later), else 'analyzed' with its analysis, its lead when it is one, and the
--     lead's SMS alert when the lead is hot, fits the business, and was not posted before
--     p_alert_since (an import of last month's posts texts nobody).
-- Advisory locks on the source id, the content hash and every band serialise submissions
-- that could be repeats of each other, so two at once still make one lead.
CREATE FUNCTION ingest_post(
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
    IF p_source_id IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_source || ':' || p_source_id, 7311));
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

    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT unnest(p_bands || p_hash) AS k ORDER BY 1) AS keys;

    SELECT p.id, CASE WHEN p.content_hash = p_hash THEN 1.0::real
                      ELSE signature_similarity(p.signature, p_signature) END
    INTO v_original, v_similarity
    FROM posts p
    WHERE p.duplicate_of IS NULL
      AND p.received_at > now() - p_window
      AND (p.content_hash = p_hash
           OR (p.bands && p_bands
               AND (p.topic IS NULL OR p_topic IS NULL OR p.topic = p_topic)
               AND (p.place IS NULL OR p_place IS NULL OR p.place = p_place)
               AND signature_similarity(p.signature, p_signature) >= p_min_similarity))
    ORDER BY (p.content_hash = p_hash) DESC,
             signature_similarity(p.signature, p_signature) DESC, p.id
    LIMIT 1;

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
