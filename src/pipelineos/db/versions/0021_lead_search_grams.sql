-- The inbox's text search without reading every post: a trigram index of our own (the embedded
-- PostgreSQL ships no pg_trgm), in the way 0007 indexes MinHash bands: a plain array column
-- and the built-in GIN array_ops.
--
-- A lead's search_grams are its post's body and its summary, each lower-cased apart (a match
-- never spans the two: the search is `body ILIKE pattern OR summary ILIKE pattern`), cut into
-- 3-character pieces from their first character on ("water heater": "wat", "er ", "hea",
-- "ter"). Text found at any place in them lines up with those cuts in one of three ways, so a
-- search needs the query's own pieces for one of its three phases (from its 1st, 2nd or 3rd
-- character: `@>` with any of the three, from search_phase); ILIKE then decides, so results
-- stay exactly as they were. ILIKE in a multi-byte database compares lower(text) with
-- lower(pattern), which is what both sides are cut from. A query shorter than 5 characters
-- has a phase with no whole piece, and reads the leads as before.
--
-- Why only every third piece, cut by one regular expression in C: every trigram, hashed one
-- by one in SQL, cost ~300 µs a lead (bulk import's store step took three times as long);
-- this costs ~60 µs a lead, and the index ~40 more (docs/performance.md).
-- The cuts are marked with U+0001 and split on it: a piece holding that character falls apart,
-- which only a query holding it could miss, and such a query reads the leads as before.

CREATE FUNCTION search_pieces(p_text text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_to_array(regexp_replace(p_text, '(...)', E'\\1\x01', 'g'), E'\x01')
$$;

-- A query's whole pieces from its (p_phase + 1)th character on: all must be in a lead's grams.
CREATE FUNCTION search_phase(p_query text, p_phase integer) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array(SELECT piece FROM unnest(search_pieces(substr(lower(p_query), p_phase + 1)))
                 AS piece WHERE length(piece) = 3)
$$;

ALTER TABLE leads ADD COLUMN search_grams text[];

-- Every way a lead is made (ingest_post, the analysis and owner inserts, bulk intake's COPY:
-- row triggers fire on COPY too) goes through this trigger, so none can forget the grams.
CREATE FUNCTION lead_search_grams() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_body text;
BEGIN
    SELECT p.body INTO v_body FROM posts p WHERE p.id = NEW.post_id;
    NEW.search_grams := search_pieces(lower(coalesce(v_body, '')))
                        || search_pieces(lower(NEW.summary));
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_search_grams BEFORE INSERT OR UPDATE OF summary, post_id ON leads
    FOR EACH ROW EXECUTE FUNCTION lead_search_grams();

-- No release edits a post's body; should one, its lead's grams follow.
CREATE FUNCTION post_body_search_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE leads l
    SET search_grams = search_pieces(lower(NEW.body)) || search_pieces(lower(l.summary))
    WHERE l.post_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER posts_body_search_grams AFTER UPDATE OF body ON posts
    FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION post_body_search_grams();

-- The leads there are. The migration holds leads' lock until it commits (ADD COLUMN): at
-- 100,000 leads this backfill and the index below take about 12 s (7.8 s and 4.1 s) on a
-- shared 2-core machine, while the inbox and new leads wait (posts that make no lead are
-- still stored).
UPDATE leads l
SET search_grams = search_pieces(lower(p.body)) || search_pieces(lower(l.summary))
FROM posts p WHERE p.id = l.post_id;

CREATE INDEX leads_search_grams_idx ON leads USING gin (search_grams);
