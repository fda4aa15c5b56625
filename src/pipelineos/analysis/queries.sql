-- name: post_for_verdict
-- A post (locked), its lead (a repeat's lead is its original's) and its latest analysis.
SELECT p.id, coalesce(p.duplicate_of, p.id) AS lead_post_id, l.id AS lead_id,
       l.status AS lead_status, a.category, a.location
FROM posts p
LEFT JOIN leads l ON l.post_id = coalesce(p.duplicate_of, p.id)
LEFT JOIN LATERAL (
    SELECT category, location FROM analyses
    WHERE post_id = coalesce(p.duplicate_of, p.id) ORDER BY id DESC LIMIT 1
) a ON true
WHERE p.id = %(post_id)s
FOR UPDATE OF p

-- name: upsert_owner_label
INSERT INTO post_labels (post_id, origin, is_lead, spam, category, urgency, body, group_name,
                         actor)
SELECT p.id, 'owner', %(is_lead)s, %(spam)s, %(category)s, %(urgency)s, p.body, p.group_name,
       %(actor)s
FROM posts p WHERE p.id = %(post_id)s
ON CONFLICT (post_id, origin) DO UPDATE
    SET is_lead = EXCLUDED.is_lead, spam = EXCLUDED.spam, category = EXCLUDED.category,
        urgency = EXCLUDED.urgency, actor = EXCLUDED.actor, updated_at = now()
RETURNING id, post_id, origin, is_lead, spam, category, urgency, actor, created_at, updated_at

-- name: insert_owner_lead
-- An analysis by the owner, and the lead it makes (no alert: the owner has the post). A post
-- still waiting for its analysis is settled by it: the sweep will not analyze it again.
WITH settled AS (
    UPDATE posts SET status = 'analyzed', analyzed_at = now(), last_error = NULL
    WHERE id = %(post_id)s AND status IN ('received', 'failed')
), analysis AS (
    INSERT INTO analyses (post_id, analyzer, is_lead, category, location, urgency, priority,
                          summary, confidence, reasons)
    VALUES (%(post_id)s, 'owner', true, %(category)s, %(location)s, %(urgency)s, %(priority)s,
            %(summary)s, 1.0, '["the owner marked this post a lead"]'::jsonb)
    RETURNING id
)
INSERT INTO leads (post_id, analysis_id, category, location, area, fit, urgency, priority,
                   summary)
SELECT %(post_id)s, analysis.id, %(category)s, %(location)s, %(area)s, %(fit)s, %(urgency)s,
       %(priority)s, %(summary)s
FROM analysis
RETURNING id, status

-- name: settle_not_lead
-- The owner's "not a lead" (or spam) on a post still waiting for its analysis settles it: an
-- analysis by the owner, and the post marked analyzed, so a later analysis (Claude's, a sweep's)
-- finds it settled and makes no lead.
WITH settled AS (
    UPDATE posts SET status = 'analyzed', analyzed_at = now(), last_error = NULL
    WHERE id = %(post_id)s AND status IN ('received', 'failed')
    RETURNING id
)
INSERT INTO analyses (post_id, analyzer, is_lead, summary, confidence, reasons)
SELECT id, 'owner', false, %(summary)s, 1.0, %(reasons)s::jsonb FROM settled

-- name: labels_for_training
SELECT DISTINCT ON (coalesce(post_id, -id)) id, origin, body, group_name, is_lead, category,
       urgency
FROM post_labels
ORDER BY coalesce(post_id, -id), origin = 'owner' DESC, id

-- name: count_labels
SELECT origin, count(*) FROM post_labels GROUP BY origin

-- name: add_noise_rule
WITH added AS (
    INSERT INTO noise_rules (kind, value) VALUES (%(kind)s, %(value)s)
    ON CONFLICT (kind, lower(value)) DO NOTHING
    RETURNING id, kind, value, created_at
)
SELECT id, kind, value, created_at FROM added
UNION ALL
SELECT id, kind, value, created_at FROM noise_rules
WHERE kind = %(kind)s AND lower(value) = lower(%(value)s) AND NOT EXISTS (SELECT FROM added)

-- name: remove_noise_rule
DELETE FROM noise_rules WHERE id = %(id)s

-- name: list_noise_rules
SELECT id, kind, value, created_at FROM noise_rules ORDER BY kind, lower(value), id

-- name: active_model_id
SELECT id, model_id FROM analyzer_models WHERE active

-- name: active_model_file
SELECT id, model_id, file FROM analyzer_models WHERE active

-- name: active_model
SELECT id, model_id, trained_at, labels, scores FROM analyzer_models WHERE active

-- name: retire_models
UPDATE analyzer_models SET active = false WHERE active

-- name: insert_active_model
INSERT INTO analyzer_models (model_id, labels, scores, file, active)
VALUES (%(model_id)s, %(labels)s, %(scores)s, %(file)s, true)
RETURNING id

-- name: record_retrain
-- ``at``: when the labels were read (a label changed while training is new to the next one).
INSERT INTO analyzer_retrains (at, model_id, replaced, labels, f1_before, f1_after)
VALUES (%(at)s, %(model_id)s, %(replaced)s, %(labels)s, %(f1_before)s, %(f1_after)s)

-- name: labels_changed
SELECT EXISTS (
    SELECT FROM post_labels
    WHERE updated_at > coalesce((SELECT max(at) FROM analyzer_retrains), '-infinity')
)

-- name: now
SELECT now()

-- name: last_retrain
SELECT at, model_id, replaced, labels, f1_before, f1_after
FROM analyzer_retrains ORDER BY at DESC, id DESC LIMIT 1
