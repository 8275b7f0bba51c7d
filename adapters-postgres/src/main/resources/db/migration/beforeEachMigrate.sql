-- Runs before each migration. V5 takes UPDATE, DELETE and TRUNCATE on events back from
-- every role but the owner, naming each grantee as a role; a grant to PUBLIC has no such role
-- ("role "PUBLIC" does not exist"), so it is taken back here first, where PUBLIC is a keyword.
DO $$
BEGIN
    IF to_regclass('events') IS NOT NULL AND EXISTS (
        SELECT 1 FROM information_schema.role_table_grants
         WHERE table_schema = current_schema() AND table_name = 'events' AND grantee = 'PUBLIC'
           AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')) THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;
    END IF;
END
$$;
