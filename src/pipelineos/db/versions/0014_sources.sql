-- Sources: places PipelineOS pulls posts from by itself (feeds, mailboxes, Reddit) or that
-- push to it (webhooks). A source keeps a cursor (where the next poll starts: a feed's ETag
-- and Last-Modified, a mailbox's UIDVALIDITY and last UID) and a seen-set of item keys, so a
-- restart never takes an item twice and never skips one: items are stored first, then
-- marked seen, then the cursor moves; a crash in between means the item is fetched again and
-- recognised (the seen-set, or the posts' (source, source_id) index).
--
-- Secrets (passwords, tokens) live in their own column that no API answer, list or log reads.

CREATE TABLE sources (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL UNIQUE,
    kind             text NOT NULL CHECK (kind IN ('rss', 'reddit', 'imap', 'apify', 'webhook')),
    config           jsonb NOT NULL DEFAULT '{}',
    secrets          jsonb NOT NULL DEFAULT '{}',
    -- sha256 of a webhook source's token (the token itself is shown once, at creation).
    token_hash       text,
    enabled          boolean NOT NULL DEFAULT true,
    interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
    cursor           jsonb NOT NULL DEFAULT '{}',
    next_poll_at     timestamptz NOT NULL DEFAULT now(),
    last_polled_at   timestamptz,
    last_success_at  timestamptz,
    last_item_at     timestamptz,
    last_error       text,
    failing_since    timestamptz,
    items_total      bigint NOT NULL DEFAULT 0,
    items_rejected   bigint NOT NULL DEFAULT 0,
    -- Set when the "source quiet" alert was sent; cleared when the source is well again.
    quiet_alerted_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sources_due_idx ON sources (next_poll_at) WHERE enabled;

CREATE TABLE source_items (
    source_id  bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    item_key   text NOT NULL,
    post_id    bigint REFERENCES posts (id) ON DELETE SET NULL,
    -- 'accepted', 'duplicate' or 'rejected' (with the reason)
    outcome    text NOT NULL,
    reason     text,
    seen_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, item_key)
);
