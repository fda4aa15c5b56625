-- Claude requests and what they cost. Each analysis made from a Claude reply (and each local
-- fallback for a reply that did not validate: its tokens were billed all the same) points at
-- the request that covered it, so cost can be read per analysis, per request and in total.

CREATE TABLE ai_requests (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at          timestamptz NOT NULL DEFAULT now(),
    vendor_request_id   text,            -- Anthropic's request-id header, for support tickets
    message_id          text,
    model               text NOT NULL,
    posts               integer NOT NULL CHECK (posts > 0),
    outcome             text NOT NULL CHECK (outcome IN ('ok', 'invalid')),
    input_tokens        integer NOT NULL DEFAULT 0,
    output_tokens       integer NOT NULL DEFAULT 0,
    cache_read_tokens   integer NOT NULL DEFAULT 0,
    cache_write_tokens  integer NOT NULL DEFAULT 0
);
CREATE INDEX ai_requests_created_idx ON ai_requests (created_at);

ALTER TABLE analyses ADD COLUMN ai_request_id bigint REFERENCES ai_requests (id);
CREATE INDEX analyses_ai_request_idx ON analyses (ai_request_id) WHERE ai_request_id IS NOT NULL;
