-- What a quoted or won job is worth, as the owner enters it on the dashboard's pipeline board
-- (whole cents; NULL: not entered). Nullable: the previous release neither reads nor writes it.
ALTER TABLE leads ADD COLUMN job_value_cents bigint CHECK (job_value_cents >= 0);
