-- Snapshots: the state of a stream right after one of its events, so that a load
-- starts there and reads only the events after it. A cache of what the events say:
-- rows are inserted, replaced by a newer shape and pruned, never the source of truth.
-- See docs/adr/0004-snapshot-policy.md.
--
-- version:           the version of the last event folded into state (1 or more).
-- position:          that event's global position, which a load reports with the state.
-- latest_event_time: the latest occurred_at among events 1..version; a read as of an
--                    instant may start from this snapshot only if it is not after it.
-- schema_version:    the shape of state; readers ask for the one shape they know.
-- category:          the stream's category, for the statistics.
-- state:             JSON kept as text, not jsonb: a load reads it whole on every hit,
--                    and turning a large jsonb value back into text costs far more than
--                    handing out the text (the state of a 10,000-event order is ~1 MB).
CREATE TABLE snapshots (
    stream_id         text        NOT NULL,
    version           bigint      NOT NULL,
    category          text        NOT NULL,
    schema_version    integer     NOT NULL,
    position          bigint      NOT NULL,
    latest_event_time timestamptz NOT NULL,
    taken_at          timestamptz NOT NULL,
    state             text        NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_id, version),
    CONSTRAINT snapshots_version_positive CHECK (version >= 1),
    CONSTRAINT snapshots_state_is_object CHECK (json_typeof(state::json) = 'object')
);

-- One entry per stream (its first event), so streams are counted per category and
-- walked for the largest ones in time proportional to the number of streams, not of
-- events. Only an append that creates a stream writes to it.
CREATE INDEX events_stream_starts ON events (category, stream_id) WHERE version = 1;
