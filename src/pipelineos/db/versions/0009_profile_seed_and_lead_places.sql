-- The business profile is seeded once; leads can be listed by place and by fit.
--
-- * BUSINESS_AREAS / BUSINESS_SERVICES fill service_areas and services on a database's first
--   start only (pipelineos.leads.areas.seed). The row here records that the first start
--   happened, so a later start never seeds again: an owner who removed every area (to serve
--   anywhere) or every service keeps that choice while the variables are still set.
--   A database started before this migration has been seeded already if either table has
--   rows; with both empty there was nothing to seed (starts re-seeded an empty table before),
--   so its next start seeds once.
-- * GET /api/leads?area=X matches a lead's service area, and any lead's location text, in any
--   case (a lead outside the service area has no area); ?fit= filters on fit. The list is
--   ordered by id, newest first, and paged by id, so these indexes end in id.

CREATE TABLE profile_seed (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seeded_at  timestamptz NOT NULL DEFAULT now(),
    areas      text[] NOT NULL DEFAULT '{}',
    services   text[] NOT NULL DEFAULT '{}'
);
INSERT INTO profile_seed (areas, services)
SELECT ARRAY(SELECT name FROM service_areas ORDER BY id),
       ARRAY(SELECT category FROM services ORDER BY category)
WHERE EXISTS (SELECT FROM service_areas) OR EXISTS (SELECT FROM services);

CREATE INDEX leads_location_idx ON leads (lower(location), id DESC);
CREATE INDEX leads_fit_idx ON leads (fit, id DESC);
