-- Posts as received, the analysis of each, and the leads worth acting on.

CREATE TABLE posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    group_name   text NOT NULL,
    body         text NOT NULL,
    source       text NOT NULL DEFAULT 'api',
    status       text NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'analyzed', 'failed')),
    analyzed_at  timestamptz,
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text
);
-- The pending-analysis sweep reads only posts still waiting.
CREATE INDEX posts_pending_idx ON posts (received_at) WHERE status = 'received';

CREATE TABLE analyses (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    analyzer    text NOT NULL,
    model       text,
    is_lead     boolean NOT NULL,
    category    text,
    location    text,
    urgency     text,
    priority    text,
    summary     text NOT NULL DEFAULT '',
    confidence  real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    reasons     jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analyses_post_idx ON analyses (post_id);

CREATE TABLE leads (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id      bigint NOT NULL UNIQUE REFERENCES posts (id),
    analysis_id  bigint NOT NULL REFERENCES analyses (id),
    category     text,
    location     text,
    urgency      text NOT NULL,
    priority     text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    summary      text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'contacted', 'quoted', 'won', 'lost', 'spam')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_newest_idx ON leads (created_at DESC, id DESC);
CREATE INDEX leads_priority_idx ON leads (priority, created_at DESC, id DESC);
CREATE INDEX leads_status_idx ON leads (status, created_at DESC, id DESC);
