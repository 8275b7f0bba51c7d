package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.SnapshotStoreContract;

class PostgresSnapshotStoreContractTest extends SnapshotStoreContract {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final SnapshotStore store = new PostgresSnapshotStore(database.dataSource());

    @Override
    protected SnapshotStore store() {
        return store;
    }

    @Test
    @DisplayName("a row written before states were bytes, its state text, reads as the text's UTF-8 bytes and is replaced by a newer shape")
    void textRowsOfEarlierReleases() throws SQLException {
        StreamId stream = StreamId.of("legacy" + UUID.randomUUID().toString().replace("-", "") + "-1");
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        String text = "{\"id\": \"o-1\", \"note\": \"caf\u00e9 \u2615\"}";
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO snapshots (stream_id, version, category, schema_version, position, latest_event_time, taken_at, state)
                     VALUES (?, 4, ?, 1, 40, ?, ?, ?)
                     """)) {
            insert.setString(1, stream.value());
            insert.setString(2, stream.category());
            insert.setObject(3, at.atOffset(ZoneOffset.UTC));
            insert.setObject(4, at.atOffset(ZoneOffset.UTC));
            insert.setString(5, text);
            insert.executeUpdate();
        }

        assertThat(store.latest(stream, 1, 4).orElseThrow().state()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));

        byte[] bytes = {0, 1, 2, (byte) 0xFF};
        assertThat(store.save(new Snapshot(stream, 4, 40, at, at, 2, bytes))).isTrue();
        assertThat(store.latest(stream, 2, 4).orElseThrow().state()).isEqualTo(bytes);
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT state IS NULL FROM snapshots WHERE stream_id = ? AND version = 4")) {
            select.setString(1, stream.value());
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBoolean(1)).as("the replaced text is dropped").isTrue();
            }
        }
    }

    @Test
    @DisplayName("states are stored uncompressed: a hit reads them whole, and decompressing costs more than reading the pages")
    void storedUncompressed() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT attstorage FROM pg_attribute
                      WHERE attrelid = 'snapshots'::regclass AND attname = 'state_bytes'
                     """)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).as("STORAGE EXTERNAL").isEqualTo("e");
        }
    }
}
