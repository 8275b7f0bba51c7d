-- Projections: read models kept up to date from the global feed, and their checkpoints.
-- See docs/adr/0005-projections.md.

-- One row per projection. A batch of events changes the read model and moves
-- position in one transaction, guarded by the position the batch was read from,
-- so every event takes effect exactly once, whoever runs the projection and
-- however often it crashes.
CREATE TABLE projection_positions (
    name            text        NOT NULL,
    position        bigint      NOT NULL DEFAULT 0,
    status          text        NOT NULL DEFAULT 'running',
    failed_position bigint,
    last_error      text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projection_positions_pkey PRIMARY KEY (name),
    CONSTRAINT projection_positions_status CHECK (status IN ('running', 'rebuilding', 'paused', 'failed'))
);

-- Events a projection with the dead-letter policy could not apply, skipped after
-- its retries, kept for an operator to inspect and replay.
CREATE TABLE projection_dead_letters (
    projection  text        NOT NULL,
    position    bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    stream_id   text        NOT NULL,
    version     bigint      NOT NULL,
    type        text        NOT NULL,
    error       text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projection_dead_letters_pkey PRIMARY KEY (projection, position)
);

-- The order read model: one row per order, the state its events fold into.
-- version and last_position are the guards of every update: an event changes a
-- row only if its version is the row's version + 1.
CREATE TABLE order_projections (
    id               uuid          NOT NULL,
    order_number     text          NOT NULL,
    customer_id      text          NOT NULL,
    status           text          NOT NULL,
    line_items       jsonb         NOT NULL,
    subtotal         numeric(19,2) NOT NULL,
    shipping_cost    numeric(19,2) NOT NULL,
    total            numeric(19,2) NOT NULL,
    amount_paid      numeric(19,2) NOT NULL,
    shipping_address jsonb         NOT NULL,
    placed_at        timestamptz   NOT NULL,
    paid_at          timestamptz,
    shipped_at       timestamptz,
    delivered_at     timestamptz,
    cancelled_at     timestamptz,
    version          bigint        NOT NULL,
    last_position    bigint        NOT NULL,
    currency         text          NOT NULL,
    CONSTRAINT order_projections_pkey PRIMARY KEY (id),
    CONSTRAINT order_projections_version_positive CHECK (version >= 1)
);

-- GET /api/orders pages newest first by (placed_at, id), optionally by status or customer.
CREATE INDEX order_projections_newest ON order_projections (placed_at, id);
CREATE INDEX order_projections_status_newest ON order_projections (status, placed_at, id);
CREATE INDEX order_projections_customer_newest ON order_projections (customer_id, placed_at, id);
