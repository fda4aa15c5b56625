-- The alert outbox: every text the owner should get, written before anything is sent.
--
-- A lead alert is inserted by the same statement that creates the lead (ingest/queries.sql), so
-- a hot lead can never exist without its alert. Delivery claims rows ('pending' -> 'sending'),
-- sends, and records the outcome; see pipelineos/alerts and docs/alerts.md.

CREATE TABLE alert_outbox (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                 text NOT NULL CHECK (kind IN ('lead', 'critical', 'digest')),
    -- One alert per lead, ever: enqueueing a lead twice is a no-op.
    lead_id              bigint UNIQUE REFERENCES leads (id) ON DELETE CASCADE,
    -- Other idempotent alerts (the digest of a day) name themselves here.
    dedupe_key           text UNIQUE,
    -- Delivery order: lower first (0 critical, 1 hot lead, 2 digest), then oldest first.
    rank                 smallint NOT NULL DEFAULT 1,
    -- The exact text, fixed before the first request leaves, so a re-send after an unknown
    -- outcome sends (and looks for) the same words.
    body                 text,
    status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed',
                                           'logged')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    next_attempt_at      timestamptz,            -- NULL: due now
    attempts             integer NOT NULL DEFAULT 0,
    claim_id             uuid,                   -- who is sending it ('sending' only)
    claimed_at           timestamptz,
    -- Database time of the first request that may have reached Twilio: the start of the
    -- window searched before any re-send.
    send_started_at      timestamptz,
    -- An earlier request's outcome is unknown (timeout, 5xx, crash): look before re-sending.
    maybe_sent           boolean NOT NULL DEFAULT false,
    sent_at              timestamptz,
    twilio_sid           text UNIQUE,
    error_code           integer,
    last_error           text,
    -- From Twilio's status callbacks: queued, sent, delivered, undelivered, failed...
    delivery_status      text,
    delivery_error_code  integer,
    delivery_updated_at  timestamptz,
    CHECK (kind <> 'lead' OR lead_id IS NOT NULL)
);

-- The delivery sweep reads only what is waiting, in delivery order.
CREATE INDEX alert_outbox_pending_idx ON alert_outbox (rank, created_at, id)
    WHERE status = 'pending';
-- Recovery reads only claims that may be stuck.
CREATE INDEX alert_outbox_sending_idx ON alert_outbox (claimed_at) WHERE status = 'sending';

-- Wake delivery the moment an alert commits, in this process or any other (LISTEN alert_outbox).
CREATE FUNCTION alert_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('alert_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER alert_outbox_notify AFTER INSERT ON alert_outbox
    FOR EACH ROW EXECUTE FUNCTION alert_outbox_notify();
