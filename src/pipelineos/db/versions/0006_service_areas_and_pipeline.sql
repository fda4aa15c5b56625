-- Where the business works and what it does, and each lead's progress through the pipeline.

CREATE TABLE service_areas (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL DEFAULT 'city'
                CHECK (kind IN ('city', 'neighbourhood', 'zip', 'county', 'region')),
    aliases     text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_areas_name_idx ON service_areas (lower(name));

CREATE TABLE services (
    category    text PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Every process caches areas and services in memory; a change tells them all to reload.
CREATE FUNCTION notify_business_profile_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pipelineos_profile', TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TRIGGER service_areas_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON service_areas FOR EACH STATEMENT EXECUTE FUNCTION notify_business_profile_changed();
CREATE TRIGGER services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON services FOR EACH STATEMENT EXECUTE FUNCTION notify_business_profile_changed();

-- The service area a lead falls in, and why it is not worth texting about when it is not.
ALTER TABLE leads ADD COLUMN area text;
ALTER TABLE leads ADD COLUMN fit text NOT NULL DEFAULT 'unknown'
    CHECK (fit IN ('in_area', 'outside_area', 'outside_services', 'unknown'));
ALTER TABLE leads ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX leads_area_idx ON leads (lower(area), created_at DESC, id DESC);

CREATE TABLE lead_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    from_status  text,
    to_status    text,
    note         text
);
CREATE INDEX lead_events_lead_idx ON lead_events (lead_id, at, id);
