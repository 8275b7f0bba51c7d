-- Runs after every migration run, so at every start of the service: when the stored positions
-- are not below those the next transaction would get (the database was restored or replicated
-- into another cluster), the position offset is raised. See docs/adr/0001-global-feed-ordering.md.
DO $$
BEGIN
    IF to_regprocedure('events_align_positions(bigint)') IS NOT NULL THEN
        PERFORM events_align_positions();
    END IF;
END
$$;
