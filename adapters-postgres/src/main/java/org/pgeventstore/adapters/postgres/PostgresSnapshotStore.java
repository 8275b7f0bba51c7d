package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotStore;

/**
 * The {@link SnapshotStore} on PostgreSQL, in the {@code snapshots} table of
 * {@code V2__snapshots.sql}. Every operation is one statement; a lookup is one probe of the
 * primary key {@code (stream_id, version)}, walked backwards from the version asked for.
 *
 * <p>States are stored as {@code bytea}, uncompressed ({@code V10__snapshot_states_as_bytes.sql});
 * a row written before that, whose state is text, reads as the text's UTF-8 bytes.
 */
public final class PostgresSnapshotStore implements SnapshotStore {

    // Insert if absent; a newer shape replaces an older one at the same version (see SnapshotStore).
    private static final String SAVE = """
            INSERT INTO snapshots AS s
                   (stream_id, version, category, schema_version, position, latest_event_time, taken_at, state_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream_id, version) DO UPDATE
               SET schema_version = excluded.schema_version, position = excluded.position,
                   latest_event_time = excluded.latest_event_time, taken_at = excluded.taken_at,
                   state_bytes = excluded.state_bytes, state = NULL
             WHERE s.schema_version < excluded.schema_version
            """;

    private static final String COLUMNS =
            "version, position, latest_event_time, taken_at, schema_version, coalesce(state_bytes, convert_to(state, 'UTF8'))";

    private static final String LATEST = """
            SELECT %s
              FROM snapshots
             WHERE stream_id = ? AND version <= ? AND schema_version = ?
             ORDER BY version DESC
             LIMIT 1
            """.formatted(COLUMNS);

    private static final String LATEST_AS_OF = """
            SELECT %s
              FROM snapshots
             WHERE stream_id = ? AND latest_event_time <= ? AND schema_version = ?
             ORDER BY version DESC
             LIMIT 1
            """.formatted(COLUMNS);

    // Everything below the keep-th highest version of the stream.
    private static final String PRUNE = """
            DELETE FROM snapshots
             WHERE stream_id = ?
               AND version < (SELECT version FROM snapshots WHERE stream_id = ? ORDER BY version DESC OFFSET ? LIMIT 1)
            """;

    private final DataSource dataSource;

    public PostgresSnapshotStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean save(Snapshot snapshot) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setString(1, snapshot.stream().value());
            statement.setLong(2, snapshot.version());
            statement.setString(3, snapshot.stream().category());
            statement.setInt(4, snapshot.schemaVersion());
            statement.setLong(5, snapshot.position());
            // timestamptz keeps microseconds: the event time is rounded up, never down (see SnapshotStore).
            statement.setObject(6, utc(roundUpToMicros(snapshot.latestEventTime())));
            statement.setObject(7, utc(snapshot.takenAt()));
            statement.setBytes(8, snapshot.state());
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw PostgresFailures.translate("save the snapshot of stream " + snapshot.stream() + " at version "
                    + snapshot.version(), e);
        }
    }

    @Override
    public Optional<Snapshot> latest(StreamId stream, int schemaVersion, long atMostVersion) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LATEST)) {
            statement.setString(1, stream.value());
            statement.setLong(2, atMostVersion);
            statement.setInt(3, schemaVersion);
            return single(stream, statement);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the latest snapshot of stream " + stream, e);
        }
    }

    @Override
    public Optional<Snapshot> latestAsOf(StreamId stream, int schemaVersion, Instant instant) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LATEST_AS_OF)) {
            statement.setString(1, stream.value());
            statement.setObject(2, utc(instant.truncatedTo(ChronoUnit.MICROS)));
            statement.setInt(3, schemaVersion);
            return single(stream, statement);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the snapshot of stream " + stream + " as of " + instant, e);
        }
    }

    @Override
    public int prune(StreamId stream, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least 1 snapshot per stream, not " + keep);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PRUNE)) {
            statement.setString(1, stream.value());
            statement.setString(2, stream.value());
            statement.setInt(3, keep - 1);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("prune the snapshots of stream " + stream, e);
        }
    }

    private static Optional<Snapshot> single(StreamId stream, PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(stream, rows.getLong(1), rows.getLong(2),
                    rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getObject(4, OffsetDateTime.class).toInstant(),
                    rows.getInt(5), rows.getBytes(6)));
        }
    }

    private static Instant roundUpToMicros(Instant instant) {
        Instant down = instant.truncatedTo(ChronoUnit.MICROS);
        return down.equals(instant) ? down : down.plus(1, ChronoUnit.MICROS);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
