-- Every retrain, kept or not: when, which candidate, whether it replaced the active model, and
-- both models' pooled held-out F1. The weekly job retrains only when a label was added or
-- changed since the last one.

CREATE TABLE analyzer_retrains (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    model_id    text NOT NULL,
    replaced    boolean NOT NULL,
    labels      integer NOT NULL,
    f1_before   real NOT NULL,
    f1_after    real NOT NULL
);
CREATE INDEX analyzer_retrains_at_idx ON analyzer_retrains (at);
