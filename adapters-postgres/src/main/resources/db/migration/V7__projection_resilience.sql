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
