--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: procrastinate_job_event_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.procrastinate_job_event_type AS ENUM (
    'deferred',
    'started',
    'deferred_for_retry',
    'failed',
    'succeeded',
    'cancelled',
    'abort_requested',
    'aborted',
    'scheduled',
    'retried'
);


--
-- Name: procrastinate_job_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.procrastinate_job_status AS ENUM (
    'todo',
    'doing',
    'succeeded',
    'failed',
    'cancelled',
    'aborting',
    'aborted'
);


--
-- Name: procrastinate_job_to_defer_v1; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.procrastinate_job_to_defer_v1 AS (
	queue_name character varying,
	task_name character varying,
	priority integer,
	lock text,
	queueing_lock text,
	args jsonb,
	scheduled_at timestamp with time zone
);


--
-- Name: alert_outbox_notify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.alert_outbox_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('alert_outbox', '');
    RETURN NULL;
END
$$;


--
-- Name: find_original(bigint, integer[], bigint[], text, text, text, interval, real); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.find_original(p_hash bigint, p_signature integer[], p_bands bigint[], p_author text, p_topic text, p_place text, p_window interval, p_min_similarity real) RETURNS TABLE(original bigint, similarity real)
    LANGUAGE sql STABLE
    SET max_parallel_workers_per_gather TO '0'
    AS $$
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


--
-- Name: ingest_lock_buckets(bigint[], text[], text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ingest_lock_buckets(p_keys bigint[], p_sources text[], p_source_ids text[]) RETURNS SETOF integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT (k & 1023)::integer FROM unnest(p_keys) AS k
    UNION
    SELECT (hashtextextended(s || ':' || i, 7311) & 1023)::integer
    FROM unnest(p_sources, p_source_ids) AS t(s, i)
    WHERE i IS NOT NULL
$$;


--
-- Name: ingest_post(text, text, text, text, text, text, timestamp with time zone, bigint, integer[], bigint[], interval, real, jsonb, text, text, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ingest_post(p_group text, p_body text, p_source text, p_source_id text, p_url text, p_author text, p_posted_at timestamp with time zone, p_hash bigint, p_signature integer[], p_bands bigint[], p_window interval, p_min_similarity real, p_analysis jsonb, p_topic text, p_place text, p_alert_since timestamp with time zone) RETURNS TABLE(outcome text, post_id bigint, received_at timestamp with time zone, post_status text, duplicate_of bigint, similarity real, lead_id bigint, lead_status text, lead_created_at timestamp with time zone, lead_updated_at timestamp with time zone, sightings integer)
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: lock_ingest_keys(bigint[], text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.lock_ingest_keys(p_keys bigint[], p_source text, p_source_id text) RETURNS void
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: notify_business_profile_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.notify_business_profile_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('pipelineos_profile', TG_TABLE_NAME);
    RETURN NULL;
END $$;


--
-- Name: procrastinate_cancel_job_v1(bigint, boolean, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    _job_id bigint;
BEGIN
    IF delete_job THEN
        DELETE FROM procrastinate_jobs
        WHERE id = job_id AND status = 'todo'
        RETURNING id INTO _job_id;
    END IF;
    IF _job_id IS NULL THEN
        IF abort THEN
            UPDATE procrastinate_jobs
            SET abort_requested = true,
                status = CASE status
                    WHEN 'todo' THEN 'cancelled'::procrastinate_job_status ELSE status
                END
            WHERE id = job_id AND status IN ('todo', 'doing')
            RETURNING id INTO _job_id;
        ELSE
            UPDATE procrastinate_jobs
            SET status = 'cancelled'::procrastinate_job_status
            WHERE id = job_id AND status = 'todo'
            RETURNING id INTO _job_id;
        END IF;
    END IF;
    RETURN _job_id;
END;
$$;


--
-- Name: procrastinate_defer_jobs_v1(public.procrastinate_job_to_defer_v1[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_defer_jobs_v1(jobs public.procrastinate_job_to_defer_v1[]) RETURNS bigint[]
    LANGUAGE plpgsql
    AS $$
DECLARE
    job_ids bigint[];
BEGIN
    WITH inserted_jobs AS (
        INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, queueing_lock, args, scheduled_at)
        SELECT (job).queue_name,
               (job).task_name,
               (job).priority,
               (job).lock,
               (job).queueing_lock,
               (job).args,
               (job).scheduled_at
        FROM unnest(jobs) AS job
        RETURNING id
    )
    SELECT array_agg(id) FROM inserted_jobs INTO job_ids;

    RETURN job_ids;
END;
$$;


--
-- Name: procrastinate_defer_periodic_job_v2(character varying, character varying, character varying, character varying, integer, character varying, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	_job_id bigint;
	_defer_id bigint;
BEGIN
    INSERT
        INTO procrastinate_periodic_defers (task_name, periodic_id, defer_timestamp)
        VALUES (_task_name, _periodic_id, _defer_timestamp)
        ON CONFLICT DO NOTHING
        RETURNING id into _defer_id;

    IF _defer_id IS NULL THEN
        RETURN NULL;
    END IF;

    UPDATE procrastinate_periodic_defers
        SET job_id = (
            SELECT COALESCE((
                SELECT unnest(procrastinate_defer_jobs_v1(
                    ARRAY[
                        ROW(
                            _queue_name,
                            _task_name,
                            _priority,
                            _lock,
                            _queueing_lock,
                            _args,
                            NULL::timestamptz
                        )
                    ]::procrastinate_job_to_defer_v1[]
                ))
            ), NULL)
        )
        WHERE id = _defer_id
        RETURNING job_id INTO _job_id;

    DELETE
        FROM procrastinate_periodic_defers
        USING (
            SELECT id
            FROM procrastinate_periodic_defers
            WHERE procrastinate_periodic_defers.task_name = _task_name
            AND procrastinate_periodic_defers.periodic_id = _periodic_id
            AND procrastinate_periodic_defers.defer_timestamp < _defer_timestamp
            ORDER BY id
            FOR UPDATE
        ) to_delete
        WHERE procrastinate_periodic_defers.id = to_delete.id;

    RETURN _job_id;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: procrastinate_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procrastinate_jobs (
    id bigint NOT NULL,
    queue_name character varying(128) NOT NULL,
    task_name character varying(128) NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    lock text,
    queueing_lock text,
    args jsonb DEFAULT '{}'::jsonb NOT NULL,
    status public.procrastinate_job_status DEFAULT 'todo'::public.procrastinate_job_status NOT NULL,
    scheduled_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    abort_requested boolean DEFAULT false NOT NULL,
    worker_id bigint,
    CONSTRAINT check_not_todo_abort_requested CHECK ((NOT ((status = 'todo'::public.procrastinate_job_status) AND (abort_requested = true))))
);


--
-- Name: procrastinate_fetch_job_v2(character varying[], bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint) RETURNS public.procrastinate_jobs
    LANGUAGE plpgsql
    AS $$
DECLARE
	found_jobs procrastinate_jobs;
BEGIN
    WITH candidate AS (
        SELECT jobs.*
            FROM procrastinate_jobs AS jobs
            WHERE
                -- reject the job if its lock has earlier or higher priority jobs
                NOT EXISTS (
                    SELECT 1
                        FROM procrastinate_jobs AS other_jobs
                        WHERE
                            jobs.lock IS NOT NULL
                            AND other_jobs.lock = jobs.lock
                            AND (
                                -- job with same lock is already running
                                other_jobs.status = 'doing'
                                OR
                                -- job with same lock is waiting and has higher priority (or same priority but was queued first)
                                (
                                    other_jobs.status = 'todo'
                                    AND (
                                        other_jobs.priority > jobs.priority
                                        OR (
                                        other_jobs.priority = jobs.priority
                                        AND other_jobs.id < jobs.id
                                        )
                                    )
                                )
                            )
                )
                AND jobs.status = 'todo'
                AND (target_queue_names IS NULL OR jobs.queue_name = ANY( target_queue_names ))
                AND (jobs.scheduled_at IS NULL OR jobs.scheduled_at <= now())
            ORDER BY jobs.priority DESC, jobs.id ASC LIMIT 1
            FOR UPDATE OF jobs SKIP LOCKED
    )
    UPDATE procrastinate_jobs
        SET status = 'doing', worker_id = p_worker_id
        FROM candidate
        WHERE procrastinate_jobs.id = candidate.id
        RETURNING procrastinate_jobs.* INTO found_jobs;

 RETURN found_jobs;
END;
$$;


--
-- Name: procrastinate_finish_job_v1(bigint, public.procrastinate_job_status, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_finish_job_v1(job_id bigint, end_status public.procrastinate_job_status, delete_job boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    _job_id bigint;
BEGIN
    IF end_status NOT IN ('succeeded', 'failed', 'aborted') THEN
        RAISE 'End status should be either "succeeded", "failed" or "aborted" (job id: %)', job_id;
    END IF;
    IF delete_job THEN
        DELETE FROM procrastinate_jobs
        WHERE id = job_id AND status IN ('todo', 'doing')
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = end_status,
            abort_requested = false,
            attempts = CASE status
                WHEN 'doing' THEN attempts + 1 ELSE attempts
            END
        WHERE id = job_id AND status IN ('todo', 'doing')
        RETURNING id INTO _job_id;
    END IF;
    IF _job_id IS NULL THEN
        RAISE 'Job was not found or not in "doing" or "todo" status (job id: %)', job_id;
    END IF;
END;
$$;


--
-- Name: procrastinate_notify_queue_abort_job_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_notify_queue_abort_job_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    payload TEXT;
BEGIN
    SELECT json_build_object('type', 'abort_job_requested', 'job_id', NEW.id)::text INTO payload;
	PERFORM pg_notify('procrastinate_queue_v1#' || NEW.queue_name, payload);
	PERFORM pg_notify('procrastinate_any_queue_v1', payload);
	RETURN NEW;
END;
$$;


--
-- Name: procrastinate_notify_queue_job_inserted_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_notify_queue_job_inserted_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    payload TEXT;
BEGIN
    SELECT json_build_object('type', 'job_inserted', 'job_id', NEW.id)::text INTO payload;
	PERFORM pg_notify('procrastinate_queue_v1#' || NEW.queue_name, payload);
	PERFORM pg_notify('procrastinate_any_queue_v1', payload);
	RETURN NEW;
END;
$$;


--
-- Name: procrastinate_prune_stalled_workers_v1(double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision) RETURNS TABLE(worker_id bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN QUERY
    DELETE FROM procrastinate_workers
    WHERE last_heartbeat < NOW() - (seconds_since_heartbeat || 'SECOND')::INTERVAL
    RETURNING procrastinate_workers.id;
END;
$$;


--
-- Name: procrastinate_register_worker_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_register_worker_v1() RETURNS TABLE(worker_id bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN QUERY
    INSERT INTO procrastinate_workers DEFAULT VALUES
    RETURNING procrastinate_workers.id;
END;
$$;


--
-- Name: procrastinate_retry_job_v1(bigint, timestamp with time zone, integer, character varying, character varying); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    _job_id bigint;
    _abort_requested boolean;
BEGIN
    SELECT abort_requested FROM procrastinate_jobs
    WHERE id = job_id AND status = 'doing'
    FOR UPDATE
    INTO _abort_requested;
    IF _abort_requested THEN
        UPDATE procrastinate_jobs
        SET status = 'failed'::procrastinate_job_status
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = 'todo'::procrastinate_job_status,
            attempts = attempts + 1,
            scheduled_at = retry_at,
            priority = COALESCE(new_priority, priority),
            queue_name = COALESCE(new_queue_name, queue_name),
            lock = COALESCE(new_lock, lock)
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    END IF;

    IF _job_id IS NULL THEN
        RAISE 'Job was not found or not in "doing" status (job id: %)', job_id;
    END IF;
END;
$$;


--
-- Name: procrastinate_retry_job_v2(bigint, timestamp with time zone, integer, character varying, character varying); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    _job_id bigint;
    _abort_requested boolean;
    _current_status procrastinate_job_status;
BEGIN
    SELECT status, abort_requested FROM procrastinate_jobs
    WHERE id = job_id AND status IN ('doing', 'failed')
    FOR UPDATE
    INTO _current_status, _abort_requested;
    IF _current_status = 'doing' AND _abort_requested THEN
        UPDATE procrastinate_jobs
        SET status = 'failed'::procrastinate_job_status
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = 'todo'::procrastinate_job_status,
            attempts = attempts + 1,
            scheduled_at = retry_at,
            priority = COALESCE(new_priority, priority),
            queue_name = COALESCE(new_queue_name, queue_name),
            lock = COALESCE(new_lock, lock)
        WHERE id = job_id AND status IN ('doing', 'failed')
        RETURNING id INTO _job_id;
    END IF;

    IF _job_id IS NULL THEN
        RAISE 'Job was not found or has an invalid status to retry (job id: %)', job_id;
    END IF;

END;
$$;


--
-- Name: procrastinate_trigger_abort_requested_events_procedure_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_trigger_abort_requested_events_procedure_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type)
        VALUES (NEW.id, 'abort_requested'::procrastinate_job_event_type);
    RETURN NEW;
END;
$$;


--
-- Name: procrastinate_trigger_function_scheduled_events_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_trigger_function_scheduled_events_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type, at)
        VALUES (NEW.id, 'scheduled'::procrastinate_job_event_type, NEW.scheduled_at);

	RETURN NEW;
END;
$$;


--
-- Name: procrastinate_trigger_function_status_events_insert_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_trigger_function_status_events_insert_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type)
        VALUES (NEW.id, 'deferred'::procrastinate_job_event_type);
	RETURN NEW;
END;
$$;


--
-- Name: procrastinate_trigger_function_status_events_update_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_trigger_function_status_events_update_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    WITH t AS (
        SELECT CASE
            WHEN OLD.status = 'todo'::procrastinate_job_status
                AND NEW.status = 'doing'::procrastinate_job_status
                THEN 'started'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'todo'::procrastinate_job_status
                THEN 'deferred_for_retry'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'failed'::procrastinate_job_status
                THEN 'failed'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'succeeded'::procrastinate_job_status
                THEN 'succeeded'::procrastinate_job_event_type
            WHEN OLD.status = 'todo'::procrastinate_job_status
                AND (
                    NEW.status = 'cancelled'::procrastinate_job_status
                    OR NEW.status = 'failed'::procrastinate_job_status
                    OR NEW.status = 'succeeded'::procrastinate_job_status
                )
                THEN 'cancelled'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'aborted'::procrastinate_job_status
                THEN 'aborted'::procrastinate_job_event_type
            WHEN OLD.status = 'failed'::procrastinate_job_status
                AND NEW.status = 'todo'::procrastinate_job_status
                THEN 'retried'::procrastinate_job_event_type
            ELSE NULL
        END as event_type
    )
    INSERT INTO procrastinate_events(job_id, type)
        SELECT NEW.id, t.event_type
        FROM t
        WHERE t.event_type IS NOT NULL;
	RETURN NEW;
END;
$$;


--
-- Name: procrastinate_unlink_periodic_defers_v1(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_unlink_periodic_defers_v1() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE procrastinate_periodic_defers
    SET job_id = NULL
    WHERE job_id = OLD.id;
    RETURN OLD;
END;
$$;


--
-- Name: procrastinate_unregister_worker_v1(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_unregister_worker_v1(worker_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM procrastinate_workers
    WHERE id = worker_id;
END;
$$;


--
-- Name: procrastinate_update_heartbeat_v1(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.procrastinate_update_heartbeat_v1(worker_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE procrastinate_workers
    SET last_heartbeat = NOW()
    WHERE id = worker_id;
END;
$$;


--
-- Name: signature_similarity(integer[], integer[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.signature_similarity(a integer[], b integer[]) RETURNS real
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT count(*) FILTER (WHERE x = y)::real / greatest(cardinality(a), 1)
    FROM unnest(a, b) AS t(x, y)
$$;


--
-- Name: ai_requests; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ai_requests (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    vendor_request_id text,
    message_id text,
    model text NOT NULL,
    posts integer NOT NULL,
    outcome text NOT NULL,
    input_tokens integer DEFAULT 0 NOT NULL,
    output_tokens integer DEFAULT 0 NOT NULL,
    cache_read_tokens integer DEFAULT 0 NOT NULL,
    cache_write_tokens integer DEFAULT 0 NOT NULL,
    CONSTRAINT ai_requests_outcome_check CHECK ((outcome = ANY (ARRAY['ok'::text, 'invalid'::text]))),
    CONSTRAINT ai_requests_posts_check CHECK ((posts > 0))
);


--
-- Name: ai_requests_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.ai_requests ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.ai_requests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: alert_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_outbox (
    id bigint NOT NULL,
    kind text NOT NULL,
    lead_id bigint,
    dedupe_key text,
    rank smallint DEFAULT 1 NOT NULL,
    body text,
    status text DEFAULT 'pending'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    next_attempt_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    claim_id uuid,
    claimed_at timestamp with time zone,
    send_started_at timestamp with time zone,
    maybe_sent boolean DEFAULT false NOT NULL,
    sent_at timestamp with time zone,
    twilio_sid text,
    error_code integer,
    last_error text,
    delivery_status text,
    delivery_error_code integer,
    delivery_updated_at timestamp with time zone,
    CONSTRAINT alert_outbox_check CHECK (((kind <> 'lead'::text) OR (lead_id IS NOT NULL))),
    CONSTRAINT alert_outbox_kind_check CHECK ((kind = ANY (ARRAY['lead'::text, 'critical'::text, 'digest'::text]))),
    CONSTRAINT alert_outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'failed'::text, 'suppressed'::text, 'logged'::text])))
);


--
-- Name: alert_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.alert_outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.alert_outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: analyses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.analyses (
    id bigint NOT NULL,
    post_id bigint NOT NULL,
    analyzer text NOT NULL,
    model text,
    is_lead boolean NOT NULL,
    category text,
    location text,
    urgency text,
    priority text,
    summary text DEFAULT ''::text NOT NULL,
    confidence real NOT NULL,
    reasons jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    ai_request_id bigint,
    CONSTRAINT analyses_confidence_check CHECK (((confidence >= (0)::double precision) AND (confidence <= (1)::double precision)))
);


--
-- Name: analyses_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.analyses ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.analyses_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: component_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.component_versions (
    component text NOT NULL,
    version text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: job_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job_runs (
    id bigint NOT NULL,
    job_name text NOT NULL,
    trigger text NOT NULL,
    queue_job_id bigint,
    scheduled_for timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    outcome text DEFAULT 'running'::text NOT NULL,
    error text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    worker text NOT NULL,
    CONSTRAINT job_runs_outcome_check CHECK ((outcome = ANY (ARRAY['running'::text, 'succeeded'::text, 'failed'::text, 'skipped'::text]))),
    CONSTRAINT job_runs_trigger_check CHECK ((trigger = ANY (ARRAY['schedule'::text, 'manual'::text, 'retry'::text])))
);


--
-- Name: job_runs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.job_runs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.job_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: lead_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.lead_events (
    id bigint NOT NULL,
    lead_id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor text NOT NULL,
    from_status text,
    to_status text,
    note text
);


--
-- Name: lead_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.lead_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.lead_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: leads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.leads (
    id bigint NOT NULL,
    post_id bigint NOT NULL,
    analysis_id bigint NOT NULL,
    category text,
    location text,
    urgency text NOT NULL,
    priority text NOT NULL,
    summary text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'new'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    area text,
    fit text DEFAULT 'unknown'::text NOT NULL,
    status_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    sightings integer DEFAULT 1 NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT leads_fit_check CHECK ((fit = ANY (ARRAY['in_area'::text, 'outside_area'::text, 'outside_services'::text, 'unknown'::text]))),
    CONSTRAINT leads_priority_check CHECK ((priority = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT leads_status_check CHECK ((status = ANY (ARRAY['new'::text, 'contacted'::text, 'quoted'::text, 'won'::text, 'lost'::text, 'spam'::text])))
);


--
-- Name: leads_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.leads ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.leads_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: posts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.posts (
    id bigint NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    group_name text NOT NULL,
    body text NOT NULL,
    source text DEFAULT 'api'::text NOT NULL,
    status text DEFAULT 'received'::text NOT NULL,
    analyzed_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    content_hash bigint,
    signature integer[],
    bands bigint[],
    duplicate_of bigint,
    similarity real,
    topic text,
    place text,
    source_id text,
    url text,
    author text,
    posted_at timestamp with time zone,
    CONSTRAINT posts_status_check CHECK ((status = ANY (ARRAY['received'::text, 'analyzed'::text, 'failed'::text, 'duplicate'::text])))
);


--
-- Name: posts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.posts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.posts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: procrastinate_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procrastinate_events (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    type public.procrastinate_job_event_type,
    at timestamp with time zone DEFAULT now()
);


--
-- Name: procrastinate_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.procrastinate_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: procrastinate_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.procrastinate_events_id_seq OWNED BY public.procrastinate_events.id;


--
-- Name: procrastinate_jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.procrastinate_jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: procrastinate_jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.procrastinate_jobs_id_seq OWNED BY public.procrastinate_jobs.id;


--
-- Name: procrastinate_periodic_defers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procrastinate_periodic_defers (
    id bigint NOT NULL,
    task_name character varying(128) NOT NULL,
    defer_timestamp bigint,
    job_id bigint,
    periodic_id character varying(128) DEFAULT ''::character varying NOT NULL
);


--
-- Name: procrastinate_periodic_defers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.procrastinate_periodic_defers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: procrastinate_periodic_defers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.procrastinate_periodic_defers_id_seq OWNED BY public.procrastinate_periodic_defers.id;


--
-- Name: procrastinate_workers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.procrastinate_workers (
    id bigint NOT NULL,
    last_heartbeat timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: procrastinate_workers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.procrastinate_workers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.procrastinate_workers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: rate_limit_buckets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rate_limit_buckets (
    name text NOT NULL,
    capacity double precision NOT NULL,
    refill_per_second double precision NOT NULL,
    tokens double precision NOT NULL,
    refilled_at double precision NOT NULL,
    last_granted double precision NOT NULL,
    CONSTRAINT rate_limit_buckets_capacity_check CHECK ((capacity > (0)::double precision)),
    CONSTRAINT rate_limit_buckets_refill_per_second_check CHECK ((refill_per_second > (0)::double precision))
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: service_areas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_areas (
    id bigint NOT NULL,
    name text NOT NULL,
    kind text DEFAULT 'city'::text NOT NULL,
    aliases text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT service_areas_kind_check CHECK ((kind = ANY (ARRAY['city'::text, 'neighbourhood'::text, 'zip'::text, 'county'::text, 'region'::text])))
);


--
-- Name: service_areas_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.service_areas ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.service_areas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.services (
    category text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: procrastinate_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_events ALTER COLUMN id SET DEFAULT nextval('public.procrastinate_events_id_seq'::regclass);


--
-- Name: procrastinate_jobs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_jobs ALTER COLUMN id SET DEFAULT nextval('public.procrastinate_jobs_id_seq'::regclass);


--
-- Name: procrastinate_periodic_defers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_periodic_defers ALTER COLUMN id SET DEFAULT nextval('public.procrastinate_periodic_defers_id_seq'::regclass);


--
-- Data for Name: ai_requests; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: alert_outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alert_outbox OVERRIDING SYSTEM VALUE VALUES (1, 'lead', 1, NULL, 1, 'HOT LEAD: plumbing in Dallas (EMERGENCY, call now).
"URGENT need a plumber in Dallas today, water heater burst and is flooding the garage"
Lead #1 - Dallas Home Services', 'logged', '2026-11-30 19:35:22.715215+00', NULL, 0, NULL, '2026-11-30 19:35:22.721187+00', NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL);


--
-- Data for Name: analyses; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (1, 1, 'local', NULL, true, 'plumbing', 'Dallas', 'emergency', 'high', 'Emergency plumbing request in Dallas: URGENT need a plumber in Dallas today, water heater burst and is flooding the garage', 0.848, '["asks for a provider: ''need a'', ''need a plumber''", "service plumbing: ''plumber'', ''water heater''", "urgency emergency"]', '2026-11-30 19:35:22.715215+00', NULL);
INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (2, 3, 'local', NULL, true, 'painting', 'Plano', 'flexible', 'medium', 'Painting request in Plano: Looking for someone to repaint our fence in Plano next month, any recommendations?', 0.945, '["asks for a provider: ''looking for'', ''looking for someone'', ''any recommendations''", "contractor advertisement: ''looking for someone to repaint our fence in plano next month, any recommendations?''", "service painting: ''repaint''", "urgency flexible"]', '2026-11-30 19:35:22.733217+00', NULL);
INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (3, 4, 'local', NULL, false, NULL, 'Dallas', NULL, NULL, 'Not a lead (no request for a service): Happy 4th of July everyone, stay safe with the fireworks!', 0.85, '["no request for a provider", "no service category recognised"]', '2026-11-30 19:35:22.736024+00', NULL);
INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (4, 5, 'local', NULL, true, 'electrical', 'Frisco', 'soon', 'high', 'Electrical request in Frisco: Anyone know a good electrician in Frisco?', 0.848, '["asks for a provider: ''electrician in frisco?'', ''anyone know a''", "service electrical: ''electrician'', ''outlets''", "urgency soon"]', '2026-11-30 19:35:22.741679+00', NULL);
INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (5, 6, 'local', NULL, true, 'hvac', 'Dallas', 'emergency', 'high', 'Emergency hvac request in Dallas: Need AC repair in Dallas ASAP, it''s 100 degrees and the unit is blowing hot air', 0.934, '["asks for a provider: ''need'', ''need ac repair''", "service hvac: ''ac repair'', ''blowing hot air'', ''100 degrees'', ''ac''", "urgency emergency"]', '2026-11-30 19:35:22.741679+00', NULL);
INSERT INTO public.analyses OVERRIDING SYSTEM VALUE VALUES (6, 7, 'local', NULL, false, NULL, 'Irving', NULL, NULL, 'Not a lead (off-topic): Selling a couch, barely used, pick up in Irving', 0.878, '["no request for a provider", "off-topic: ''selling a''", "no service category recognised"]', '2026-11-30 19:35:22.741679+00', NULL);


--
-- Data for Name: component_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.component_versions VALUES ('procrastinate', '03.04.00_50', '2026-11-30 19:35:22.419126+00');


--
-- Data for Name: job_runs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.job_runs OVERRIDING SYSTEM VALUE VALUES (1, 'retention-cleanup', 'manual', NULL, NULL, '2026-11-30 19:35:22.753306+00', '2026-11-30 19:35:22.758984+00', 'succeeded', NULL, '{"runs_deleted": 0, "posts_deleted": 0}', 'vm:17630');
INSERT INTO public.job_runs OVERRIDING SYSTEM VALUE VALUES (2, 'deliver-pending-alerts', 'manual', NULL, NULL, '2026-11-30 19:35:22.763556+00', '2026-11-30 19:35:22.7673+00', 'succeeded', NULL, '{"delivered": 0}', 'vm:17630');


--
-- Data for Name: lead_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.lead_events OVERRIDING SYSTEM VALUE VALUES (1, 1, '2026-11-30 19:35:22.749086+00', 'owner', 'new', 'contacted', 'Called, quoting Friday');


--
-- Data for Name: leads; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.leads OVERRIDING SYSTEM VALUE VALUES (2, 3, 2, 'painting', 'Plano', 'flexible', 'medium', 'Painting request in Plano: Looking for someone to repaint our fence in Plano next month, any recommendations?', 'new', '2026-11-30 19:35:22.733217+00', '2026-11-30 19:35:22.733217+00', 'Plano', 'in_area', '2026-11-30 19:35:22.733217+00', 1, '2026-11-30 19:35:22.733217+00');
INSERT INTO public.leads OVERRIDING SYSTEM VALUE VALUES (3, 5, 4, 'electrical', 'Frisco', 'soon', 'high', 'Electrical request in Frisco: Anyone know a good electrician in Frisco?', 'new', '2026-11-30 19:35:22.741679+00', '2026-11-30 19:35:22.741679+00', 'Frisco', 'in_area', '2026-11-30 19:35:22.741679+00', 1, '2026-11-30 19:35:22.741679+00');
INSERT INTO public.leads OVERRIDING SYSTEM VALUE VALUES (4, 6, 5, 'hvac', 'Dallas', 'emergency', 'high', 'Emergency hvac request in Dallas: Need AC repair in Dallas ASAP, it''s 100 degrees and the unit is blowing hot air', 'new', '2026-11-30 19:35:22.741679+00', '2026-11-30 19:35:22.741679+00', 'Dallas', 'in_area', '2026-11-30 19:35:22.741679+00', 1, '2026-11-30 19:35:22.741679+00');
INSERT INTO public.leads OVERRIDING SYSTEM VALUE VALUES (1, 1, 1, 'plumbing', 'Dallas', 'emergency', 'high', 'Emergency plumbing request in Dallas: URGENT need a plumber in Dallas today, water heater burst and is flooding the garage', 'contacted', '2026-11-30 19:35:22.715215+00', '2026-11-30 19:35:22.749086+00', 'Dallas', 'in_area', '2026-11-30 19:35:22.749086+00', 2, '2026-11-30 19:35:22.721071+00');


--
-- Data for Name: posts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (1, '2026-11-30 19:35:22.715215+00', 'Dallas Home Services', 'URGENT need a plumber in Dallas today, water heater burst and is flooding the garage', 'api', 'analyzed', '2026-11-30 19:35:22.715215+00', 1, NULL, 5808413719057488653, '{70579795,13204842,51422190,54024777,131380455,79134448,8742356,70366185,3494317,11931127,74461756,87959926,31811003,8968007,39772471,940942,60121172,16082796,46001595,3434865,21920040,37258814,20019890,40031956,8887222,18417284,48466589,100216108,60212127,82255631,49717832,39095067}', '{2658742189676894127,-9174384683225605200,-4793372060228966094,4089768296387926083,7716631571343948542,1900084628455672557,-6008560293584212015,3396981761876223113}', NULL, NULL, 'plumbing', 'dallas', NULL, NULL, NULL, NULL);
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (2, '2026-11-30 19:35:22.721071+00', 'DFW Neighbors', 'URGENT need a plumber in Dallas today, water heater burst and is flooding the garage', 'api', 'duplicate', NULL, 0, NULL, 5808413719057488653, '{70579795,13204842,51422190,54024777,131380455,79134448,8742356,70366185,3494317,11931127,74461756,87959926,31811003,8968007,39772471,940942,60121172,16082796,46001595,3434865,21920040,37258814,20019890,40031956,8887222,18417284,48466589,100216108,60212127,82255631,49717832,39095067}', '{2658742189676894127,-9174384683225605200,-4793372060228966094,4089768296387926083,7716631571343948542,1900084628455672557,-6008560293584212015,3396981761876223113}', 1, 1, 'plumbing', 'dallas', NULL, NULL, NULL, NULL);
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (3, '2026-11-30 19:35:22.733217+00', 'Plano Moms', 'Looking for someone to repaint our fence in Plano next month, any recommendations?', 'api', 'analyzed', '2026-11-30 19:35:22.733217+00', 1, NULL, -1617851617413270526, '{26313023,133289454,1907297,42877,93146352,33239599,63158398,65148475,14198763,4344684,32221586,8904050,64699026,94617825,124536624,21153817,92709298,120855964,99191225,24291553,48869660,78169483,17404998,45863968,106963956,11621211,65827427,35020286,51537107,10356434,17511972,16107166}', '{847201741479854015,5495041080432967799,-5226388897572575170,-4445503957852810549,-3763996760790276465,-53327036737277382,-3896537741288765295,7178705675706975146}', NULL, NULL, 'painting', 'plano', NULL, NULL, NULL, NULL);
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (4, '2026-11-30 19:35:22.736024+00', 'Dallas Home Services', 'Happy 4th of July everyone, stay safe with the fireworks!', 'api', 'analyzed', '2026-11-30 19:35:22.736024+00', 1, NULL, 1947067411433360592, '{7496597,3378245,33297044,63215843,99141040,50514048,2403308,85672282,112972414,8673485,29890940,8690905,11252858,60124127,35701457,41030580,71270151,79928519,59598523,61661589,130754728,26455799,25183839,122874712,18575783,63271972,8452385,6469250,77834158,48293116,10579154,14849168}', '{-684605269993519816,-6142732203926036936,-7409471349116019007,-3768355702983635185,2016616825981205396,-7020842113319420390,6361147671060207802,-3128850151708702470}', NULL, NULL, NULL, 'dallas', NULL, NULL, NULL, NULL);
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (5, '2026-11-30 19:35:22.741679+00', 'Frisco Community', 'Anyone know a good electrician in Frisco? Outlets in the kitchen stopped working', 'api', 'analyzed', '2026-11-30 19:35:22.741679+00', 1, NULL, 6518981245490195673, '{20574903,83857308,20553113,3904640,7224349,61819772,37097023,27842522,3803152,97285003,15406527,56723111,70728211,104188854,16867719,131513237,27214308,78385953,18163885,26331977,31377505,19496736,25183839,38869580,89534985,6045657,12401926,21925279,69697693,46938386,84272880,20335030}', '{4217928828785498532,-317072906683591410,57858966965198741,2272962098722779671,-5626955097023108929,3270447835140383864,-1561556683835188291,-3122687761591593279}', NULL, NULL, 'electrical', 'frisco', 'fb_1001', 'https://www.facebook.com/groups/frisco/posts/1001', 'Dana', '2025-05-01 14:00:00+00');
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (6, '2026-11-30 19:35:22.741679+00', 'Dallas Home Services', 'Need AC repair in Dallas ASAP, it''s 100 degrees and the unit is blowing hot air', 'api', 'analyzed', '2026-11-30 19:35:22.741679+00', 1, NULL, -9016459413781969653, '{35495746,64960756,51422190,17216514,2269790,17535,28931115,14586784,15009527,44928326,7768899,449152,85768797,7711056,43776458,17437842,38717229,35206068,78834896,21753612,51672411,28330368,55075559,81385358,94168087,35665518,28633614,35510538,9724819,52468328,9553699,1040791}', '{-2294278812920323138,-4520174406435943525,4879526055928461228,-2414737049213028193,6463034258569346624,3841712537489436155,-8694803946022885723,4058957724350454067}', NULL, NULL, 'hvac', 'dallas', 'fb_1002', 'https://www.facebook.com/groups/dallas/posts/1002', 'Lee', '2025-05-01 15:00:00+00');
INSERT INTO public.posts OVERRIDING SYSTEM VALUE VALUES (7, '2026-11-30 19:35:22.741679+00', 'Irving Swap', 'Selling a couch, barely used, pick up in Irving', 'api', 'analyzed', '2026-11-30 19:35:22.741679+00', 1, NULL, 1946686481894015535, '{19116851,91487216,13017461,55242128,85160927,29927018,74531396,93882843,6339554,36258353,18556570,48475369,78394168,108312967,97503051,7231784,107787421,49010585,25097036,78991628,108910427,4611498,7265081,37183880,56264278,91064943,75149170,9323964,39242763,50266912,345164,123415780}', '{-2352998194156870165,6124928335601649540,3349109086679203955,116542775063031558,-1332032174678578095,1525464966938488053,6221807507868018923,1798835346584166266}', NULL, NULL, NULL, 'irving', 'fb_1003', NULL, 'Kim', NULL);


--
-- Data for Name: procrastinate_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.procrastinate_events VALUES (1, 1, 'deferred', '2026-11-30 19:35:22.760749+00');


--
-- Data for Name: procrastinate_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.procrastinate_jobs VALUES (1, 'pipelineos', 'pipelineos.daily-digest', 0, NULL, NULL, '{}', 'todo', NULL, 0, false, NULL);


--
-- Data for Name: procrastinate_periodic_defers; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: procrastinate_workers; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: rate_limit_buckets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migrations VALUES (1, 'posts_analyses_leads', 'c0ebaa99e1a42dcca51c93d8c20ac58a3fcca861bbf6d3c8d05ef8f1cb9ce1f3', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (2, 'rate_limit_buckets', 'da8ec224e006b593f6fd1c0a6b9a46eee2b6b878318a9f35927808238e198791', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (3, 'job_runs', 'c4ca6e593c0f4617834df3020d45aed896e207722fdfb9ad6ba57e4d01136d7e', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (4, 'alert_outbox', '66bd0b4f5bdeb9b66a01531b07437c42fd5227306f1561ab6a81d17385d6723a', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (5, 'ai_usage', 'bf3814ba49a737a2737468b5518b206cd48cbe21abea49f0b1423966cd201bb1', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (6, 'service_areas_and_pipeline', 'a5d5563904339fe01c1f8d1b98d793de9d5264f564f08a6e6effd52c0b1ff78e', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (7, 'duplicates_and_sources', '63868a32b5317a679e0be5e2250585e05629b24d7ff0f0ee87499bebc5b0d95d', '2026-11-30 19:35:22.419126+00');
INSERT INTO public.schema_migrations VALUES (8, 'same_author_and_lock_buckets', 'a938313685b40b6be4f99d8b8b9be2496e4297c484125601789a5b4e2184522c', '2026-11-30 19:35:22.419126+00');


--
-- Data for Name: service_areas; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.service_areas OVERRIDING SYSTEM VALUE VALUES (1, 'Dallas', 'city', '{DFW,"Big D"}', '2026-11-30 19:35:22.617008+00');
INSERT INTO public.service_areas OVERRIDING SYSTEM VALUE VALUES (2, 'Plano', 'city', '{}', '2026-11-30 19:35:22.695525+00');
INSERT INTO public.service_areas OVERRIDING SYSTEM VALUE VALUES (3, 'Frisco', 'city', '{}', '2026-11-30 19:35:22.700678+00');


--
-- Data for Name: services; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.services VALUES ('electrical', '2026-11-30 19:35:22.704504+00');
INSERT INTO public.services VALUES ('hvac', '2026-11-30 19:35:22.704504+00');
INSERT INTO public.services VALUES ('painting', '2026-11-30 19:35:22.704504+00');
INSERT INTO public.services VALUES ('plumbing', '2026-11-30 19:35:22.704504+00');


--
-- Name: ai_requests_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ai_requests_id_seq', 1, false);


--
-- Name: alert_outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alert_outbox_id_seq', 1, true);


--
-- Name: analyses_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.analyses_id_seq', 6, true);


--
-- Name: job_runs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.job_runs_id_seq', 2, true);


--
-- Name: lead_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.lead_events_id_seq', 1, true);


--
-- Name: leads_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.leads_id_seq', 4, true);


--
-- Name: posts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.posts_id_seq', 7, true);


--
-- Name: procrastinate_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.procrastinate_events_id_seq', 1, true);


--
-- Name: procrastinate_jobs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.procrastinate_jobs_id_seq', 1, true);


--
-- Name: procrastinate_periodic_defers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.procrastinate_periodic_defers_id_seq', 1, false);


--
-- Name: procrastinate_workers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.procrastinate_workers_id_seq', 1, false);


--
-- Name: service_areas_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.service_areas_id_seq', 3, true);


--
-- Name: ai_requests ai_requests_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ai_requests
    ADD CONSTRAINT ai_requests_pkey PRIMARY KEY (id);


--
-- Name: alert_outbox alert_outbox_dedupe_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_dedupe_key_key UNIQUE (dedupe_key);


--
-- Name: alert_outbox alert_outbox_lead_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_lead_id_key UNIQUE (lead_id);


--
-- Name: alert_outbox alert_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_pkey PRIMARY KEY (id);


--
-- Name: alert_outbox alert_outbox_twilio_sid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_twilio_sid_key UNIQUE (twilio_sid);


--
-- Name: analyses analyses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.analyses
    ADD CONSTRAINT analyses_pkey PRIMARY KEY (id);


--
-- Name: component_versions component_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.component_versions
    ADD CONSTRAINT component_versions_pkey PRIMARY KEY (component);


--
-- Name: job_runs job_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_runs
    ADD CONSTRAINT job_runs_pkey PRIMARY KEY (id);


--
-- Name: lead_events lead_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lead_events
    ADD CONSTRAINT lead_events_pkey PRIMARY KEY (id);


--
-- Name: leads leads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_pkey PRIMARY KEY (id);


--
-- Name: leads leads_post_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_post_id_key UNIQUE (post_id);


--
-- Name: posts posts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_events procrastinate_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_events
    ADD CONSTRAINT procrastinate_events_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_jobs procrastinate_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_jobs
    ADD CONSTRAINT procrastinate_jobs_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_unique UNIQUE (task_name, periodic_id, defer_timestamp);


--
-- Name: procrastinate_workers procrastinate_workers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_workers
    ADD CONSTRAINT procrastinate_workers_pkey PRIMARY KEY (id);


--
-- Name: rate_limit_buckets rate_limit_buckets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rate_limit_buckets
    ADD CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY (name);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: service_areas service_areas_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_areas
    ADD CONSTRAINT service_areas_pkey PRIMARY KEY (id);


--
-- Name: services services_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_pkey PRIMARY KEY (category);


--
-- Name: ai_requests_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ai_requests_created_idx ON public.ai_requests USING btree (created_at);


--
-- Name: alert_outbox_pending_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alert_outbox_pending_idx ON public.alert_outbox USING btree (rank, created_at, id) WHERE (status = 'pending'::text);


--
-- Name: alert_outbox_sending_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alert_outbox_sending_idx ON public.alert_outbox USING btree (claimed_at) WHERE (status = 'sending'::text);


--
-- Name: analyses_ai_request_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX analyses_ai_request_idx ON public.analyses USING btree (ai_request_id) WHERE (ai_request_id IS NOT NULL);


--
-- Name: analyses_post_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX analyses_post_idx ON public.analyses USING btree (post_id);


--
-- Name: idx_procrastinate_jobs_worker_not_null; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_procrastinate_jobs_worker_not_null ON public.procrastinate_jobs USING btree (worker_id) WHERE ((worker_id IS NOT NULL) AND (status = 'doing'::public.procrastinate_job_status));


--
-- Name: idx_procrastinate_workers_last_heartbeat; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_procrastinate_workers_last_heartbeat ON public.procrastinate_workers USING btree (last_heartbeat);


--
-- Name: job_runs_by_job_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX job_runs_by_job_idx ON public.job_runs USING btree (job_name, started_at DESC);


--
-- Name: job_runs_recent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX job_runs_recent_idx ON public.job_runs USING btree (started_at DESC, id DESC);


--
-- Name: job_runs_running_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX job_runs_running_idx ON public.job_runs USING btree (queue_job_id) WHERE (outcome = 'running'::text);


--
-- Name: lead_events_lead_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX lead_events_lead_idx ON public.lead_events USING btree (lead_id, at, id);


--
-- Name: leads_area_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_area_idx ON public.leads USING btree (lower(area), created_at DESC, id DESC);


--
-- Name: leads_newest_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_newest_idx ON public.leads USING btree (created_at DESC, id DESC);


--
-- Name: leads_priority_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_priority_idx ON public.leads USING btree (priority, created_at DESC, id DESC);


--
-- Name: leads_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_status_idx ON public.leads USING btree (status, created_at DESC, id DESC);


--
-- Name: posts_bands_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX posts_bands_idx ON public.posts USING gin (bands) WITH (fastupdate=off);


--
-- Name: posts_content_hash_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX posts_content_hash_idx ON public.posts USING btree (content_hash);


--
-- Name: posts_pending_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX posts_pending_idx ON public.posts USING btree (received_at) WHERE (status = 'received'::text);


--
-- Name: posts_repeats_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX posts_repeats_idx ON public.posts USING btree (duplicate_of, received_at) WHERE (duplicate_of IS NOT NULL);


--
-- Name: posts_source_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX posts_source_idx ON public.posts USING btree (source, source_id) WHERE (source_id IS NOT NULL);


--
-- Name: procrastinate_events_job_id_fkey_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procrastinate_events_job_id_fkey_v1 ON public.procrastinate_events USING btree (job_id);


--
-- Name: procrastinate_jobs_id_lock_idx_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procrastinate_jobs_id_lock_idx_v1 ON public.procrastinate_jobs USING btree (id, lock) WHERE (status = ANY (ARRAY['todo'::public.procrastinate_job_status, 'doing'::public.procrastinate_job_status]));


--
-- Name: procrastinate_jobs_lock_idx_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX procrastinate_jobs_lock_idx_v1 ON public.procrastinate_jobs USING btree (lock) WHERE (status = 'doing'::public.procrastinate_job_status);


--
-- Name: procrastinate_jobs_priority_idx_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procrastinate_jobs_priority_idx_v1 ON public.procrastinate_jobs USING btree (priority DESC, id) WHERE (status = 'todo'::public.procrastinate_job_status);


--
-- Name: procrastinate_jobs_queue_name_idx_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procrastinate_jobs_queue_name_idx_v1 ON public.procrastinate_jobs USING btree (queue_name);


--
-- Name: procrastinate_jobs_queueing_lock_idx_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX procrastinate_jobs_queueing_lock_idx_v1 ON public.procrastinate_jobs USING btree (queueing_lock) WHERE (status = 'todo'::public.procrastinate_job_status);


--
-- Name: procrastinate_periodic_defers_job_id_fkey_v1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX procrastinate_periodic_defers_job_id_fkey_v1 ON public.procrastinate_periodic_defers USING btree (job_id);


--
-- Name: service_areas_name_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX service_areas_name_idx ON public.service_areas USING btree (lower(name));


--
-- Name: alert_outbox alert_outbox_notify; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER alert_outbox_notify AFTER INSERT ON public.alert_outbox FOR EACH ROW EXECUTE FUNCTION public.alert_outbox_notify();


--
-- Name: procrastinate_jobs procrastinate_jobs_notify_queue_job_aborted_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_jobs_notify_queue_job_aborted_v1 AFTER UPDATE OF abort_requested ON public.procrastinate_jobs FOR EACH ROW WHEN (((old.abort_requested = false) AND (new.abort_requested = true) AND (new.status = 'doing'::public.procrastinate_job_status))) EXECUTE FUNCTION public.procrastinate_notify_queue_abort_job_v1();


--
-- Name: procrastinate_jobs procrastinate_jobs_notify_queue_job_inserted_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1 AFTER INSERT ON public.procrastinate_jobs FOR EACH ROW WHEN ((new.status = 'todo'::public.procrastinate_job_status)) EXECUTE FUNCTION public.procrastinate_notify_queue_job_inserted_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_abort_requested_events_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_trigger_abort_requested_events_v1 AFTER UPDATE OF abort_requested ON public.procrastinate_jobs FOR EACH ROW WHEN ((new.abort_requested = true)) EXECUTE FUNCTION public.procrastinate_trigger_abort_requested_events_procedure_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_delete_jobs_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_trigger_delete_jobs_v1 BEFORE DELETE ON public.procrastinate_jobs FOR EACH ROW EXECUTE FUNCTION public.procrastinate_unlink_periodic_defers_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_scheduled_events_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_trigger_scheduled_events_v1 AFTER INSERT OR UPDATE ON public.procrastinate_jobs FOR EACH ROW WHEN (((new.scheduled_at IS NOT NULL) AND (new.status = 'todo'::public.procrastinate_job_status))) EXECUTE FUNCTION public.procrastinate_trigger_function_scheduled_events_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_status_events_insert_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_trigger_status_events_insert_v1 AFTER INSERT ON public.procrastinate_jobs FOR EACH ROW WHEN ((new.status = 'todo'::public.procrastinate_job_status)) EXECUTE FUNCTION public.procrastinate_trigger_function_status_events_insert_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_status_events_update_v1; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER procrastinate_trigger_status_events_update_v1 AFTER UPDATE OF status ON public.procrastinate_jobs FOR EACH ROW EXECUTE FUNCTION public.procrastinate_trigger_function_status_events_update_v1();


--
-- Name: service_areas service_areas_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER service_areas_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.service_areas FOR EACH STATEMENT EXECUTE FUNCTION public.notify_business_profile_changed();


--
-- Name: services services_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER services_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.services FOR EACH STATEMENT EXECUTE FUNCTION public.notify_business_profile_changed();


--
-- Name: alert_outbox alert_outbox_lead_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_outbox
    ADD CONSTRAINT alert_outbox_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES public.leads(id) ON DELETE CASCADE;


--
-- Name: analyses analyses_ai_request_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.analyses
    ADD CONSTRAINT analyses_ai_request_id_fkey FOREIGN KEY (ai_request_id) REFERENCES public.ai_requests(id);


--
-- Name: analyses analyses_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.analyses
    ADD CONSTRAINT analyses_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE CASCADE;


--
-- Name: lead_events lead_events_lead_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lead_events
    ADD CONSTRAINT lead_events_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES public.leads(id) ON DELETE CASCADE;


--
-- Name: leads leads_analysis_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_analysis_id_fkey FOREIGN KEY (analysis_id) REFERENCES public.analyses(id);


--
-- Name: leads leads_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id);


--
-- Name: posts posts_duplicate_of_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES public.posts(id) ON DELETE SET NULL;


--
-- Name: procrastinate_events procrastinate_events_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_events
    ADD CONSTRAINT procrastinate_events_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.procrastinate_jobs(id) ON DELETE CASCADE;


--
-- Name: procrastinate_jobs procrastinate_jobs_worker_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_jobs
    ADD CONSTRAINT procrastinate_jobs_worker_id_fkey FOREIGN KEY (worker_id) REFERENCES public.procrastinate_workers(id) ON DELETE SET NULL;


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.procrastinate_jobs(id);


--
-- PostgreSQL database dump complete
--

