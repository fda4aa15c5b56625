-- Notification channels beside SMS (Apprise URLs; issue 16) and their outbox.
--
-- alert_channels: the channels the running configuration names (ALERT_CHANNELS,
-- ALERT_CHANNELS_CONFIG), written by each process at start. A channel is known by a hash of its
-- URL, never by the URL (it holds tokens and passwords); `label` is the redacted form.
-- channel_outbox: one row per (alert, channel). Every alert_outbox row fans out here in the same
-- transaction that wrote it (a trigger), so a hot lead can never exist without its deliveries;
-- the unique (alert_id, channel) is what makes each (lead, channel) delivery happen once even
-- when a fallback to the `critical` channels asks for the same pair again.

CREATE TABLE alert_channels (
    channel     text PRIMARY KEY,            -- sha256 of the URL, first 16 hex digits
    label       text NOT NULL,               -- redacted: scheme://host/… with secrets masked
    scheme      text NOT NULL,
    -- Kinds of alert routed here: 'hot', 'critical', 'digest' (an untagged URL gets all).
    kinds       text[] NOT NULL DEFAULT ARRAY['hot', 'critical', 'digest'],
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channel_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id         bigint NOT NULL REFERENCES alert_outbox (id) ON DELETE CASCADE,
    channel          text NOT NULL,
    kind             text NOT NULL,          -- the alert's kind: lead, critical, digest
    lead_id          bigint REFERENCES leads (id) ON DELETE CASCADE,
    -- Why it goes to this channel: 'route' (the channel's tags ask for this kind) or
    -- 'fallback' (the lead's SMS could not go out: a `critical` channel hears of it).
    reason           text NOT NULL DEFAULT 'route',
    title            text,
    body             text,                   -- fixed when queued (critical, digest) or sent
    body_format      text NOT NULL DEFAULT 'text' CHECK (body_format IN ('text', 'html')),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz,            -- NULL: due now
    attempts         integer NOT NULL DEFAULT 0,
    claim_id         uuid,
    claimed_at       timestamptz,
    sent_at          timestamptz,
    last_error       text,
    UNIQUE (alert_id, channel)
);

CREATE INDEX channel_outbox_pending_idx ON channel_outbox (created_at, id)
    WHERE status = 'pending';
CREATE INDEX channel_outbox_sending_idx ON channel_outbox (claimed_at)
    WHERE status = 'sending';
CREATE INDEX channel_outbox_lead_idx ON channel_outbox (lead_id) WHERE lead_id IS NOT NULL;

-- Fan an alert out to the channels whose kinds ask for it, in the alert's own transaction.
CREATE FUNCTION channel_outbox_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO channel_outbox (alert_id, channel, kind, lead_id, body)
    SELECT NEW.id, c.channel, NEW.kind, NEW.lead_id, NEW.body
    FROM alert_channels c
    WHERE c.active AND (CASE NEW.kind WHEN 'lead' THEN 'hot' ELSE NEW.kind END) = ANY (c.kinds)
    ON CONFLICT (alert_id, channel) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER channel_outbox_fan_out AFTER INSERT ON alert_outbox
    FOR EACH ROW EXECUTE FUNCTION channel_outbox_fan_out();

-- Wake channel delivery the moment a row commits, in any process (LISTEN channel_outbox).
CREATE FUNCTION channel_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('channel_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER channel_outbox_notify AFTER INSERT ON channel_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION channel_outbox_notify();
