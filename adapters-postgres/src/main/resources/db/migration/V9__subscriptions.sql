-- Durable consumer groups: a subscription's definition and each member's checkpoint. The service
-- changes them (SELECT, INSERT, UPDATE, DELETE); they hold no event data.
CREATE TABLE subscriptions (
    name           text        NOT NULL,
    category       text,
    types          text[]      NOT NULL,
    start_from     text        NOT NULL,
    start_position bigint      NOT NULL,
    members        integer     NOT NULL,
    rescale_to     integer,
    rescale_at     bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_pkey PRIMARY KEY (name),
    CONSTRAINT subscriptions_name_valid CHECK (name ~ '^[A-Za-z0-9_.-]{1,100}$'),
    CONSTRAINT subscriptions_members_positive CHECK (members >= 1),
    CONSTRAINT subscriptions_rescale_whole CHECK ((rescale_to IS NULL) = (rescale_at IS NULL))
);

CREATE TABLE subscription_members (
    subscription text        NOT NULL,
    member       integer     NOT NULL,
    position     bigint      NOT NULL,
    delivered    bigint      NOT NULL,
    last_seen    timestamptz,
    CONSTRAINT subscription_members_pkey PRIMARY KEY (subscription, member),
    CONSTRAINT subscription_members_subscription_fkey FOREIGN KEY (subscription)
        REFERENCES subscriptions (name) ON DELETE CASCADE,
    CONSTRAINT subscription_members_member_valid CHECK (member >= 0),
    CONSTRAINT subscription_members_delivered_covers_position CHECK (delivered >= position)
);

-- Default privileges gave both tables to the application role already (docs/operations.md);
-- privileges granted by hand on the projections' checkpoints go to them too, so a service that
-- may move those checkpoints may move these.
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT grantee, privilege_type
          FROM information_schema.role_table_grants
         WHERE table_schema = current_schema() AND table_name = 'projection_positions' AND grantee <> current_user
           AND privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
    LOOP
        EXECUTE format('GRANT %s ON subscriptions, subscription_members TO %s', g.privilege_type,
                       CASE WHEN g.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(g.grantee) END);
    END LOOP;
END
$$;
