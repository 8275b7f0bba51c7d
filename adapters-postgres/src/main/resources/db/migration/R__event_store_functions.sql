-- The event store's SQL functions, as they are now: the one place to change them. Flyway runs
-- this file again whenever it changes, after the versioned migrations, so a function is edited
-- here and never copied into a new versioned migration (V1, V4 and V6 hold the history).
-- CREATE OR REPLACE keeps a function's owner and grants but resets its other properties, so the
-- search_path of the SECURITY DEFINER functions is set again at the end.
-- A change of a function's arguments or result needs a versioned migration that drops the old
-- one first (as V6 does); a new function that a versioned migration uses must be created there.
-- See docs/operations.md ("Migrations").

-- Append-only, enforced by the database itself, whoever connects.
CREATE OR REPLACE FUNCTION events_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on events is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Correct a past event by appending a new one.';
END
$$;

-- The position offset only grows: no DELETE, no TRUNCATE, no UPDATE that lowers it.
CREATE OR REPLACE FUNCTION event_position_offset_only_grows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.xid_offset < OLD.xid_offset THEN
        RAISE EXCEPTION 'the position offset only grows (% of event_position_offset is not allowed)', TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Lowering it would hand out positions below those consumers have already seen.';
    END IF;
    RETURN NEW;
END
$$;

-- The feed's bound: positions below it belong to transactions that have all ended, so no event
-- below it can still appear. Read in the same statement snapshot as the offset.
CREATE OR REPLACE FUNCTION events_visible_bound() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + o.xid_offset) << 16
      FROM event_position_offset o
$$;

-- Raises the position offset when the stored positions (or p_at_least, e.g. the checkpoint of a
-- consumer that read from a cluster which lost commits since) are not below the positions the
-- next transaction would get. Cheap when nothing is to be done; otherwise it waits for running
-- appends to end and holds new ones back (EXCLUSIVE lock on events, reads go on) until it commits.
-- Returns the offset in force afterwards and whether it was raised.
CREATE OR REPLACE FUNCTION events_align_positions(p_at_least bigint DEFAULT 0)
RETURNS TABLE (xid_offset bigint, raised boolean, max_position bigint)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_offset bigint;
    v_max    bigint;
    v_next   bigint;
BEGIN
    SELECT o.xid_offset INTO v_offset FROM event_position_offset o;
    SELECT greatest(coalesce(max(e.position), 0), p_at_least) INTO v_max FROM events e;
    v_next := pg_snapshot_xmax(pg_current_snapshot())::text::bigint;
    IF ((v_next + v_offset) << 16) > v_max THEN
        RETURN QUERY SELECT v_offset, false, v_max;
        RETURN;
    END IF;

    LOCK TABLE events IN EXCLUSIVE MODE;
    -- Under the lock, with a fresh snapshot: no append is running, none can start.
    SELECT o.xid_offset INTO v_offset FROM event_position_offset o;
    SELECT greatest(coalesce(max(e.position), 0), p_at_least) INTO v_max FROM events e;
    v_next := pg_snapshot_xmax(pg_current_snapshot())::text::bigint;
    IF ((v_next + v_offset) << 16) > v_max THEN
        RETURN QUERY SELECT v_offset, false, v_max;
        RETURN;
    END IF;
    -- Every transaction id from v_next on, this one's included, now gives a position above v_max.
    v_offset := (v_max >> 16) + 1 - v_next;
    UPDATE event_position_offset o SET xid_offset = v_offset, raised_at = now();
    RAISE LOG 'events_align_positions: position offset raised to % (stored maximum %, next transaction id %)',
        v_offset, v_max, v_next;
    RETURN QUERY SELECT v_offset, true, v_max;
END
$$;

-- The metadata keys the service writes from the request (headers, the authenticated caller, the trace),
-- not from the event: a re-send may differ in them and still be the same append.
CREATE OR REPLACE FUNCTION events_request_keys() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['correlationId', 'causationId', 'userId', 'onBehalfOf', 'traceId'] $$;

-- Looks up whether the given event ids are already stored, for an append that could not go
-- ahead as asked. Outcomes:
--   'replayed'  every id is stored in p_stream_id, at contiguous versions in the given order, with
--               the same type, schema version, data and metadata (but for the request keys): the
--               append is a re-send; the original versions, positions and time are returned.
--   'duplicate' some id is stored, and not as such a re-send; duplicate_event_id names the first
--               one, differs tells whether the ids matched and only the content did not.
--   'absent'    none of the ids is stored.
-- current_version is the stream's version in every case.
CREATE OR REPLACE FUNCTION events_resend_check(p_stream_id text, p_event_ids uuid[], p_types text[], p_data text[],
                                    p_metadata text[], p_schema_versions integer[])
RETURNS TABLE (outcome text, current_version bigint, first_version bigint, last_version bigint,
               first_position bigint, last_position bigint, duplicate_event_id uuid, occurred_at timestamptz,
               content_differs boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_found        bigint;
    v_same_stream  boolean;
    v_same_content boolean;
    v_offset_min   bigint;
    v_offset_max   bigint;
    v_first_ord    bigint;
    v_first_other  bigint;
BEGIN
    SELECT coalesce(max(e.version), 0) INTO current_version FROM events e WHERE e.stream_id = p_stream_id;

    SELECT count(*), bool_and(e.stream_id = p_stream_id), min(e.version - t.ord), max(e.version - t.ord),
           min(e.version), max(e.version), min(e.position), max(e.position), min(t.ord), min(e.occurred_at),
           bool_and(e.type = t.type AND e.schema_version = t.schema_version AND e.data = t.data::jsonb
                    AND (e.metadata - events_request_keys()) = (t.metadata::jsonb - events_request_keys())),
           min(t.ord) FILTER (WHERE NOT (e.type = t.type AND e.schema_version = t.schema_version
                    AND e.data = t.data::jsonb
                    AND (e.metadata - events_request_keys()) = (t.metadata::jsonb - events_request_keys())))
      INTO v_found, v_same_stream, v_offset_min, v_offset_max,
           first_version, last_version, first_position, last_position, v_first_ord, occurred_at,
           v_same_content, v_first_other
      FROM unnest(p_event_ids, p_types, p_data, p_metadata, p_schema_versions)
               WITH ORDINALITY AS t(event_id, type, data, metadata, schema_version, ord)
      JOIN events e ON e.event_id = t.event_id;

    content_differs := false;
    IF v_found = 0 THEN
        outcome := 'absent';
    ELSIF v_found = cardinality(p_event_ids) AND v_same_stream AND v_offset_min = v_offset_max AND v_same_content THEN
        outcome := 'replayed';
        RETURN NEXT;
        RETURN;
    ELSIF v_found = cardinality(p_event_ids) AND v_same_stream AND v_offset_min = v_offset_max THEN
        outcome := 'duplicate';
        content_differs := true;
        duplicate_event_id := p_event_ids[v_first_other::int];
    ELSE
        outcome := 'duplicate';
        duplicate_event_id := p_event_ids[v_first_ord::int];
    END IF;
    first_version := NULL; last_version := NULL; first_position := NULL; last_position := NULL; occurred_at := NULL;
    RETURN NEXT;
END
$$;

-- Appends events to one stream in one round trip: the only way to write events (the application
-- role has no INSERT on events; this function runs as its owner).
-- p_expected: -1 any, -2 the stream must exist, N >= 0 the stream must be at N.
-- Outcomes: 'appended' (versions, positions and time of the new events), or, when the
-- expectation does not hold, what events_resend_check says, with 'absent' reported as 'conflict'.
--
-- It must be the first write of a READ COMMITTED transaction: the position comes from the
-- transaction id, which must be taken only after the version was read (by the INSERT), and one
-- transaction has one id, so a second append in it would reuse positions.
-- Each statement takes its own snapshot, so an event visible to the version check always has a
-- smaller transaction id, and positions increase with versions within a stream. Concurrent
-- writers that read the same version collide on events_stream_version_key (SQLSTATE 23505),
-- which the caller maps to a concurrency conflict. Writers with "any" or "exists" queue on a
-- per-stream advisory lock (held until commit; other streams are not affected) so they never
-- collide with each other.
-- occurred_at is the database's clock when the event was appended, and never earlier than the
-- stream's previous event: one clock for every instance, and a stream's times never go back.
CREATE OR REPLACE FUNCTION append_events(p_stream_id text, p_expected bigint, p_event_ids uuid[],
                              p_types text[], p_data text[], p_metadata text[], p_schema_versions integer[])
RETURNS TABLE (outcome text, current_version bigint, first_version bigint, last_version bigint,
               first_position bigint, last_position bigint, duplicate_event_id uuid, occurred_at timestamptz,
               content_differs boolean)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_current bigint;
    v_last_at timestamptz;
    v_at      timestamptz;
    v_offset  bigint;
    v_file    text;
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'append_events must be the first write of its transaction, and the only append in it'
            USING ERRCODE = 'active_sql_transaction',
                  DETAIL = 'This transaction already has a transaction id, which would order the new events '
                           'before events committed since it began (and a second append would reuse positions).',
                  HINT = 'Call append_events in a transaction of its own, or before any other write of the transaction.';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'append_events runs only in READ COMMITTED transactions, not %',
                current_setting('transaction_isolation')
            USING ERRCODE = 'invalid_transaction_state',
                  HINT = 'Its version check and position need a fresh snapshot per statement.';
    END IF;
    IF cardinality(p_event_ids) > 65536 THEN
        RAISE EXCEPTION 'an append carries at most 65536 events, got %', cardinality(p_event_ids)
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF p_expected IN (-1, -2) THEN
        PERFORM pg_advisory_xact_lock(1163022163, hashtext(p_stream_id));
    END IF;
    -- Waits while events_align_positions raises the offset, so that the statement after it, whose
    -- snapshot is taken later, reads the offset in force; from here on no raise can commit before
    -- this transaction ends. (The offset is read into a variable: a join in the INSERT would cost a
    -- third of an append.)
    LOCK TABLE events IN ROW EXCLUSIVE MODE;
    SELECT o.xid_offset INTO v_offset FROM event_position_offset o;
    -- Every position this cluster ever handed out is below (next transaction id + offset) << 16.
    -- A stored one that is not came from another cluster (a restore, a cut-over): new positions
    -- would fall below it, or collide with it, until the offset is raised. That must happen in a
    -- transaction of its own (it writes, and this one must not take its id before the version check).
    -- Once per session and table: a session belongs to one cluster, a restore replaces the table's
    -- file (DROP and CREATE, or TRUNCATE), and a read of the primary key's right edge on every
    -- append would contend with the appends writing there (a seventh of their throughput).
    v_file := pg_relation_filenode('events'::regclass)::text;
    IF current_setting('eventstore.positions_checked', true) IS DISTINCT FROM v_file THEN
        IF coalesce((SELECT max(e.position) FROM events e), -1)
               >= ((pg_snapshot_xmax(pg_current_snapshot())::text::bigint + v_offset) << 16) THEN
            RAISE EXCEPTION 'event positions in this cluster are behind the stored ones (the database was restored or cut over)'
                USING ERRCODE = 'EV001',
                      HINT = 'Run SELECT * FROM events_align_positions(); in a transaction of its own, then append again.';
        END IF;
        PERFORM set_config('eventstore.positions_checked', v_file, false);
    END IF;

    SELECT e.version, e.occurred_at INTO v_current, v_last_at
      FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.version DESC LIMIT 1;
    v_current := coalesce(v_current, 0);

    IF (p_expected >= 0 AND v_current <> p_expected) OR (p_expected = -2 AND v_current = 0) THEN
        RETURN QUERY
            SELECT CASE c.outcome WHEN 'absent' THEN 'conflict' ELSE c.outcome END,
                   c.current_version, c.first_version, c.last_version,
                   c.first_position, c.last_position, c.duplicate_event_id, c.occurred_at, c.content_differs
              FROM events_resend_check(p_stream_id, p_event_ids, p_types, p_data, p_metadata, p_schema_versions) c;
        RETURN;
    END IF;

    v_at := greatest(clock_timestamp(), v_last_at);
    RETURN QUERY
        WITH inserted AS (
            INSERT INTO events (position, event_id, stream_id, category, version, type, schema_version, data,
                                metadata, occurred_at)
            SELECT ((pg_current_xact_id()::text::bigint + v_offset) << 16) + (t.ord - 1),
                   t.event_id, p_stream_id, split_part(p_stream_id, '-', 1), v_current + t.ord,
                   t.type, t.schema_version, t.data::jsonb, t.metadata::jsonb, v_at
              FROM unnest(p_event_ids, p_types, p_data, p_metadata, p_schema_versions)
                   WITH ORDINALITY AS t(event_id, type, data, metadata, schema_version, ord)
            RETURNING events.version, events.position
        )
        SELECT 'appended', v_current, min(i.version), max(i.version), min(i.position), max(i.position),
               NULL::uuid, v_at, false
          FROM inserted i;
END
$$;

-- A SECURITY DEFINER function must not find objects of the caller's choosing first.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION append_events(text, bigint, uuid[], text[], text[], text[], integer[]) '
                   'SET search_path = %I, pg_catalog, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION events_align_positions(bigint) SET search_path = %I, pg_catalog, pg_temp',
                   current_schema());
END
$$;
