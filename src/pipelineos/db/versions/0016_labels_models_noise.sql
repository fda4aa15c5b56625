-- The analyzer learns from the owner and from Claude (issue 17, phase 2).
--
-- * post_labels: what a post really was, said by the owner (a verdict, or a lead marked spam)
--   or by Claude (its analysis). One label per post and origin: a later verdict replaces an
--   earlier one. The post's text is copied so a label outlives retention-cleanup of its post;
--   retraining reads labels only.
-- * analyzer_models: the models retraining chose. The active one (at most one) is what every
--   process analyzes with; none active means the model shipped with the package.
-- * noise_rules: the owner's mutes (a negative phrase, a blocked author, a muted group or
--   source). A muted post is stored as not a lead, with the rule as its reason.
-- Every process caches the active model and the mutes; a change tells them all to reload on
-- the business profile's channel (0006).

CREATE TABLE post_labels (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint REFERENCES posts (id) ON DELETE SET NULL,
    origin      text NOT NULL CHECK (origin IN ('owner', 'claude')),
    is_lead     boolean NOT NULL,
    spam        boolean NOT NULL DEFAULT false,
    category    text,
    urgency     text CHECK (urgency IN ('emergency', 'soon', 'flexible')),
    body        text NOT NULL,
    group_name  text NOT NULL DEFAULT '',
    actor       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX post_labels_post_idx ON post_labels (post_id, origin);

-- Claude's verdict, whatever path stored it (one post, the sweep, a batch), is a label.
CREATE FUNCTION label_claude_analysis() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_labels (post_id, origin, is_lead, category, urgency, body, group_name,
                             actor)
    SELECT NEW.post_id, 'claude', NEW.is_lead, NEW.category,
           CASE WHEN NEW.is_lead THEN NEW.urgency END, p.body, p.group_name,
           coalesce(NEW.model, 'claude')
    FROM posts p WHERE p.id = NEW.post_id
    ON CONFLICT (post_id, origin) DO UPDATE
        SET is_lead = EXCLUDED.is_lead, category = EXCLUDED.category,
            urgency = EXCLUDED.urgency, actor = EXCLUDED.actor, updated_at = now();
    RETURN NULL;
END $$;
CREATE TRIGGER analyses_claude_label AFTER INSERT ON analyses
    FOR EACH ROW WHEN (NEW.analyzer = 'claude') EXECUTE FUNCTION label_claude_analysis();

-- A lead moved to 'spam' (by the API, the CLI or the dashboard) is the owner saying so.
CREATE FUNCTION label_spam_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_labels (post_id, origin, is_lead, spam, body, group_name, actor)
    SELECT p.id, 'owner', false, true, p.body, p.group_name, NEW.actor
    FROM leads l JOIN posts p ON p.id = l.post_id WHERE l.id = NEW.lead_id
    ON CONFLICT (post_id, origin) DO UPDATE
        SET is_lead = false, spam = true, category = NULL, urgency = NULL,
            actor = EXCLUDED.actor, updated_at = now();
    RETURN NULL;
END $$;
CREATE TRIGGER lead_events_spam_label AFTER INSERT ON lead_events
    FOR EACH ROW WHEN (NEW.to_status = 'spam') EXECUTE FUNCTION label_spam_lead();

CREATE TABLE analyzer_models (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id    text NOT NULL,
    trained_at  timestamptz NOT NULL DEFAULT now(),
    labels      integer NOT NULL,
    scores      jsonb NOT NULL,
    file        bytea NOT NULL,
    active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX analyzer_models_active_idx ON analyzer_models (active) WHERE active;

CREATE TABLE noise_rules (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('phrase', 'author', 'group', 'source')),
    value       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX noise_rules_value_idx ON noise_rules (kind, lower(value));

CREATE TRIGGER analyzer_models_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON analyzer_models FOR EACH STATEMENT EXECUTE FUNCTION notify_business_profile_changed();
CREATE TRIGGER noise_rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON noise_rules FOR EACH STATEMENT EXECUTE FUNCTION notify_business_profile_changed();
