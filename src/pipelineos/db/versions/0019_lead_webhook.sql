-- The outbound lead webhook (LEAD_WEBHOOK_URL; issue 16): an event row per lead created and per
-- status change, written by a trigger in the transaction that made the change, delivered signed
-- by alerts/webhook.py, retried for 24 hours, every attempt's outcome kept (the delivery log).
--
-- lead_webhooks: the target the running configuration names (by a hash of its URL and a
-- redacted label; never the URL), written by each process at start. No active target: the
-- trigger writes nothing (one indexed look-up per lead written).

CREATE TABLE lead_webhooks (
    target      text PRIMARY KEY,
    label       text NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         uuid NOT NULL,          -- the receiver's idempotency key
    target           text NOT NULL,
    event_type       text NOT NULL,          -- lead.created, lead.status_changed
    lead_id          bigint REFERENCES leads (id) ON DELETE SET NULL,
    body             text NOT NULL,          -- the exact JSON sent (and signed)
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    claim_id         uuid,
    claimed_at       timestamptz,
    sent_at          timestamptz,
    response_status  integer,                -- the receiver's last HTTP status
    last_error       text,
    UNIQUE (event_id, target)
);

CREATE INDEX webhook_outbox_pending_idx ON webhook_outbox (id) WHERE status = 'pending';
CREATE INDEX webhook_outbox_sending_idx ON webhook_outbox (claimed_at) WHERE status = 'sending';
CREATE INDEX webhook_outbox_newest_idx ON webhook_outbox (created_at DESC, id DESC);

CREATE FUNCTION webhook_lead_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    event_type text;
    event uuid;
    payload jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM lead_webhooks WHERE active) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        event_type := 'lead.created';
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        event_type := 'lead.status_changed';
    ELSE
        RETURN NULL;
    END IF;
    event := gen_random_uuid();
    payload := jsonb_build_object(
        'id', event,
        'type', event_type,
        'created_at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'data', jsonb_build_object(
            'lead', jsonb_build_object(
                'id', NEW.id, 'post_id', NEW.post_id, 'status', NEW.status,
                'priority', NEW.priority, 'category', NEW.category, 'location', NEW.location,
                'urgency', NEW.urgency, 'summary', NEW.summary,
                'created_at', to_char(NEW.created_at AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
            'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END));
    INSERT INTO webhook_outbox (event_id, target, event_type, lead_id, body)
    SELECT event, w.target, event_type, NEW.id, payload::text
    FROM lead_webhooks w WHERE w.active;
    PERFORM pg_notify('webhook_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER webhook_lead_created AFTER INSERT ON leads
    FOR EACH ROW EXECUTE FUNCTION webhook_lead_event();
CREATE TRIGGER webhook_lead_status_changed AFTER UPDATE OF status ON leads
    FOR EACH ROW EXECUTE FUNCTION webhook_lead_event();
