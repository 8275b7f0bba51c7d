-- Snapshot states as bytes: a codec's own encoding (the order's is binary since its schema
-- version 5), so that a cold load copies bytes instead of parsing text. See
-- docs/adr/0004-snapshot-policy.md.
--
-- state_bytes: the state, stored uncompressed (STORAGE EXTERNAL): a hit reads it whole, and
--              decompressing a large state costs more than reading its pages; the encoding is
--              already compact.
-- state:       the text of rows written before this migration. New rows leave it NULL, and
--              loads read it as its UTF-8 bytes; the rows go as streams are pruned. Kept rather
--              than converted so that this migration rewrites nothing and an instance of the
--              previous release, during a rolling upgrade, still reads and writes its own rows
--              (it asks for its own schema versions only).
ALTER TABLE snapshots ADD COLUMN state_bytes bytea;
ALTER TABLE snapshots ALTER COLUMN state_bytes SET STORAGE EXTERNAL;
ALTER TABLE snapshots ALTER COLUMN state DROP NOT NULL;
ALTER TABLE snapshots ADD CONSTRAINT snapshots_state_present
    CHECK (state_bytes IS NOT NULL OR state IS NOT NULL);
