-- API keys: who may call the service. Only the SHA-256 of a key's secret is kept: keys are 256
-- random bits, so a fast hash protects them at rest and a check costs microseconds. A key is never
-- deleted, only revoked, so the events it appended keep naming a key that can be looked up.
CREATE TABLE api_keys (
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    secret_hash bytea       NOT NULL,
    roles       text[]      NOT NULL,
    categories  text[],
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    revoked_at  timestamptz,
    revoked_by  text,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_secret_hash_key UNIQUE (secret_hash),
    CONSTRAINT api_keys_hash_is_sha256 CHECK (octet_length(secret_hash) = 32),
    CONSTRAINT api_keys_has_roles CHECK (cardinality(roles) >= 1),
    CONSTRAINT api_keys_roles_known CHECK (roles <@ ARRAY['read', 'write', 'admin', 'impersonate']),
    CONSTRAINT api_keys_categories_not_empty CHECK (categories IS NULL OR cardinality(categories) >= 1)
);
