-- The event log. One row per event, never updated or deleted.
--
-- position: the event's place in the global feed. It is the appending
-- transaction's id (pg_current_xact_id(), 64-bit, never wraps) shifted left by
-- 16 bits, plus the event's index in its append (0..65535). Positions are
-- therefore unique and increase with transaction ids, and the feed can hand out
-- exactly the rows of transactions older than the oldest one still running
-- (position < pg_snapshot_xmin(...) << 16) with a plain primary-key range scan.
-- See docs/adr/0001-global-feed-ordering.md.
CREATE TABLE events (
    position    bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    stream_id   text        NOT NULL,
    category    text        NOT NULL,
    version     bigint      NOT NULL,
    type        text        NOT NULL,
    data        jsonb       NOT NULL,
    metadata    jsonb       NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (position),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    -- The last guard of optimistic concurrency: two appends that computed the
    -- same next version cannot both commit.
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
    CONSTRAINT events_version_positive CHECK (version >= 1),
    CONSTRAINT events_data_is_object CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT events_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- Filtered feed reads walk these in position order instead of scanning the table.
CREATE INDEX events_category_position ON events (category, position);
CREATE INDEX events_type_position ON events (type, position);

-- Append-only, enforced by the database itself, whoever connects.
CREATE FUNCTION events_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on events is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Correct a past event by appending a new one.';
END
$$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_reject_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();

-- Looks up whether the given event ids are already stored, for an append that
-- could not go ahead as asked. Outcomes:
--   'replayed'  every id is stored in p_stream_id, at contiguous versions in the
--               given order: the append is a re-send; the original versions and
--               positions are returned.
--   'duplicate' some id is stored, and not as such a re-send; duplicate_event_id
--               names the first one.
--   'absent'    none of the ids is stored.
-- current_version is the stream's version in every case.
CREATE FUNCTION events_resend_check(p_stream_id text, p_event_ids uuid[])
RETURNS TABLE (outcome text, current_version bigint, first_version bigint, last_version bigint,
               first_position bigint, last_position bigint, duplicate_event_id uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_found        bigint;
    v_same_stream  boolean;
    v_offset_min   bigint;
    v_offset_max   bigint;
    v_first_ord    bigint;
BEGIN
    SELECT coalesce(max(e.version), 0) INTO current_version FROM events e WHERE e.stream_id = p_stream_id;

    SELECT count(*), bool_and(e.stream_id = p_stream_id), min(e.version - t.ord), max(e.version - t.ord),
           min(e.version), max(e.version), min(e.position), max(e.position), min(t.ord)
      INTO v_found, v_same_stream, v_offset_min, v_offset_max,
           first_version, last_version, first_position, last_position, v_first_ord
      FROM unnest(p_event_ids) WITH ORDINALITY AS t(event_id, ord)
      JOIN events e ON e.event_id = t.event_id;

    IF v_found = 0 THEN
        outcome := 'absent';
        first_version := NULL; last_version := NULL; first_position := NULL; last_position := NULL;
    ELSIF v_found = cardinality(p_event_ids) AND v_same_stream AND v_offset_min = v_offset_max THEN
        outcome := 'replayed';
    ELSE
        outcome := 'duplicate';
        duplicate_event_id := p_event_ids[v_first_ord];
        first_version := NULL; last_version := NULL; first_position := NULL; last_position := NULL;
    END IF;
    RETURN NEXT;
END
$$;

-- Appends events to one stream in one round trip.
-- p_expected: -1 any, -2 the stream must exist, N >= 0 the stream must be at N.
-- Outcomes: 'appended' (versions and positions of the new events), or, when the
-- expectation does not hold, what events_resend_check says, with 'absent'
-- reported as 'conflict'.
--
-- Each statement of this function takes its own snapshot (READ COMMITTED), and the
-- transaction id is assigned only by the INSERT, after the version was read.
-- So an event visible to the version check always has a smaller transaction id,
-- and positions increase with versions within a stream. Concurrent writers that
-- read the same version collide on events_stream_version_key (SQLSTATE 23505),
-- which the caller maps to a concurrency conflict. Writers with "any" queue on a
-- per-stream advisory lock (held until commit; other streams are not affected) so
-- they never collide with each other.
CREATE FUNCTION append_events(p_stream_id text, p_expected bigint, p_event_ids uuid[],
                              p_types text[], p_data text[], p_metadata text[])
RETURNS TABLE (outcome text, current_version bigint, first_version bigint, last_version bigint,
               first_position bigint, last_position bigint, duplicate_event_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    v_current bigint;
BEGIN
    IF cardinality(p_event_ids) > 65536 THEN
        RAISE EXCEPTION 'an append carries at most 65536 events, got %', cardinality(p_event_ids)
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF p_expected = -1 THEN
        PERFORM pg_advisory_xact_lock(1163022163, hashtext(p_stream_id));
    END IF;

    SELECT coalesce(max(e.version), 0) INTO v_current FROM events e WHERE e.stream_id = p_stream_id;

    IF (p_expected >= 0 AND v_current <> p_expected) OR (p_expected = -2 AND v_current = 0) THEN
        RETURN QUERY
            SELECT CASE c.outcome WHEN 'absent' THEN 'conflict' ELSE c.outcome END,
                   c.current_version, c.first_version, c.last_version,
                   c.first_position, c.last_position, c.duplicate_event_id
              FROM events_resend_check(p_stream_id, p_event_ids) c;
        RETURN;
    END IF;

    RETURN QUERY
        WITH inserted AS (
            INSERT INTO events (position, event_id, stream_id, category, version, type, data, metadata)
            SELECT (pg_current_xact_id()::text::bigint << 16) + (t.ord - 1),
                   t.event_id, p_stream_id, split_part(p_stream_id, '-', 1), v_current + t.ord,
                   t.type, t.data::jsonb, t.metadata::jsonb
              FROM unnest(p_event_ids, p_types, p_data, p_metadata)
                   WITH ORDINALITY AS t(event_id, type, data, metadata, ord)
            RETURNING events.version, events.position
        )
        SELECT 'appended', v_current, min(i.version), max(i.version), min(i.position), max(i.position), NULL::uuid
          FROM inserted i;
END
$$;
