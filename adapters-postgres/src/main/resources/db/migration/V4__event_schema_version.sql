-- Every stored event records the version of its data's shape, so that readers can
-- upcast old shapes to the current one (see README, "Evolving an event"). Events
-- stored before this column existed were all written in their type's first shape.
ALTER TABLE events
    ADD COLUMN schema_version integer NOT NULL DEFAULT 1
        CONSTRAINT events_schema_version_positive CHECK (schema_version >= 1);

DROP FUNCTION append_events(text, bigint, uuid[], text[], text[], text[]);

-- Appends events to one stream in one round trip (V1, now with each event's schema version).
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
                              p_types text[], p_data text[], p_metadata text[], p_schema_versions integer[])
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
            INSERT INTO events (position, event_id, stream_id, category, version, type, schema_version, data, metadata)
            SELECT (pg_current_xact_id()::text::bigint << 16) + (t.ord - 1),
                   t.event_id, p_stream_id, split_part(p_stream_id, '-', 1), v_current + t.ord,
                   t.type, t.schema_version, t.data::jsonb, t.metadata::jsonb
              FROM unnest(p_event_ids, p_types, p_data, p_metadata, p_schema_versions)
                   WITH ORDINALITY AS t(event_id, type, data, metadata, schema_version, ord)
            RETURNING events.version, events.position
        )
        SELECT 'appended', v_current, min(i.version), max(i.version), min(i.position), max(i.position), NULL::uuid
          FROM inserted i;
END
$$;
