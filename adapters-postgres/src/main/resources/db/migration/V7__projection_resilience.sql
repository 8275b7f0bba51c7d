-- Projections that hold back one stream instead of stopping (see docs/adr/0005-projections.md).

-- The parking place: events a projection has not applied because their stream is parked.
-- A stream is parked while it has a row here without an outcome; the first such row (its
-- head) carries the error that parked it, the rows behind it wait in position order. A
-- resume applies them in that order ('applied'); an operator may skip the head for good
-- ('skipped', with who, when and why). Rows are kept after their outcome: a skip must
-- survive rebuilds, and an operator may want to see what was released.
CREATE TABLE projection_parked_events (
    projection  text        NOT NULL,
    position    bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    stream_id   text        NOT NULL,
    version     bigint      NOT NULL,
    type        text        NOT NULL,
    error       text,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    outcome     text,
    resolved_at timestamptz,
    resolved_by text,
    reason      text,
    CONSTRAINT projection_parked_events_pkey PRIMARY KEY (projection, position),
    CONSTRAINT projection_parked_events_outcome CHECK (outcome IN ('applied', 'skipped')),
    CONSTRAINT projection_parked_events_skip_recorded CHECK (
        outcome IS DISTINCT FROM 'skipped' OR (resolved_at IS NOT NULL AND resolved_by IS NOT NULL AND reason IS NOT NULL))
);

-- Every batch asks whether its streams are parked; almost always none is, and this index is small.
CREATE INDEX projection_parked_events_waiting ON projection_parked_events (projection, stream_id, position)
    WHERE outcome IS NULL;

-- The dead letters of the former policy become parked events: once an event of a stream was
-- dead-lettered, every later one of that stream failed its version check and was dead-lettered
-- too, so each stream with dead letters is exactly a parked stream, its events in order.
INSERT INTO projection_parked_events (projection, position, event_id, stream_id, version, type, error, parked_at)
SELECT projection, position, event_id, stream_id, version, type, error, recorded_at FROM projection_dead_letters;

DROP TABLE projection_dead_letters;

-- A rebuild without DDL by the application role, and without waiting behind readers: the
-- order read model lives in two permanent tables of the same shape, blue and green, made here
-- by the owner (so they keep their grants and their names for good). The checkpoint row
-- names the live one (read_model); a rebuild fills the other, then one short transaction
-- moves the checkpoint and read_model together. Readers pick the live table in the same
-- statement, so no reader ever sees a swap half-done, and no reader's lock delays it.
ALTER TABLE projection_positions ADD COLUMN read_model text;

ALTER TABLE order_projections RENAME TO order_projections_blue;
ALTER TABLE order_projections_blue RENAME CONSTRAINT order_projections_pkey TO order_projections_blue_pkey;
ALTER TABLE order_projections_blue RENAME CONSTRAINT order_projections_version_positive
    TO order_projections_blue_version_positive;
ALTER INDEX order_projections_newest RENAME TO order_projections_blue_newest;
ALTER INDEX order_projections_status_newest RENAME TO order_projections_blue_status_newest;
ALTER INDEX order_projections_customer_newest RENAME TO order_projections_blue_customer_newest;

CREATE TABLE order_projections_green (
    id               uuid          NOT NULL,
    order_number     text          NOT NULL,
    customer_id      text          NOT NULL,
    status           text          NOT NULL,
    line_items       jsonb         NOT NULL,
    subtotal         numeric(19,2) NOT NULL,
    shipping_cost    numeric(19,2) NOT NULL,
    total            numeric(19,2) NOT NULL,
    amount_paid      numeric(19,2) NOT NULL,
    shipping_address jsonb         NOT NULL,
    placed_at        timestamptz   NOT NULL,
    paid_at          timestamptz,
    shipped_at       timestamptz,
    delivered_at     timestamptz,
    cancelled_at     timestamptz,
    version          bigint        NOT NULL,
    last_position    bigint        NOT NULL,
    currency         text          NOT NULL,
    CONSTRAINT order_projections_green_pkey PRIMARY KEY (id),
    CONSTRAINT order_projections_green_version_positive CHECK (version >= 1)
);
CREATE INDEX order_projections_green_newest ON order_projections_green (placed_at, id);
CREATE INDEX order_projections_green_status_newest ON order_projections_green (status, placed_at, id);
CREATE INDEX order_projections_green_customer_newest ON order_projections_green (customer_id, placed_at, id);

INSERT INTO projection_positions (name, read_model) VALUES ('orders', 'order_projections_blue')
    ON CONFLICT (name) DO UPDATE SET read_model = excluded.read_model;

-- The live order read model under its former name, for people and tools that read it by hand
-- (the service reads the tables, so that an ordered page is an index scan of one of them).
CREATE VIEW order_projections AS
    SELECT * FROM order_projections_blue
     WHERE coalesce((SELECT read_model FROM projection_positions WHERE name = 'orders'), 'order_projections_blue')
           = 'order_projections_blue'
    UNION ALL
    SELECT * FROM order_projections_green
     WHERE (SELECT read_model FROM projection_positions WHERE name = 'orders') = 'order_projections_green';

-- Default privileges gave the new table and the view to the application role already; grants
-- made by hand on the former table (it kept them as order_projections_blue) go to both too.
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT grantee, privilege_type
          FROM information_schema.role_table_grants
         WHERE table_schema = current_schema() AND table_name = 'order_projections_blue' AND grantee <> current_user
    LOOP
        EXECUTE format('GRANT %s ON order_projections_green TO %s', g.privilege_type,
                       CASE WHEN g.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(g.grantee) END);
        IF g.privilege_type = 'SELECT' THEN
            EXECUTE format('GRANT SELECT ON order_projections TO %s',
                           CASE WHEN g.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(g.grantee) END);
        END IF;
    END LOOP;
END
$$;
