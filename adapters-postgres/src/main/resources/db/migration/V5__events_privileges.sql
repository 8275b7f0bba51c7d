-- Append-only by privilege too: whatever default privileges gave other roles on the events
-- table (see README, "A database role that cannot rewrite history"), only the owner keeps
-- UPDATE, DELETE and TRUNCATE, and even the owner is stopped by the append-only triggers.
DO $$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT grantee
          FROM information_schema.role_table_grants
         WHERE table_schema = current_schema()
           AND table_name = 'events'
           AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
           AND grantee <> current_user
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON events FROM %I', grantee_name);
    END LOOP;
END
$$;
