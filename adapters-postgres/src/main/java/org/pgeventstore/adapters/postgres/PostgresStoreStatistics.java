package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.pgeventstore.application.stats.StoreStatistics;
import org.pgeventstore.application.stats.StoreStats;

/**
 * {@link StoreStatistics} on PostgreSQL: three statements in one read-only repeatable-read
 * transaction, so every figure is taken from the same snapshot of the database.
 *
 * <h2>Cost</h2>
 * <ul>
 *   <li>Streams, events per category and the largest streams walk the partial index
 *       {@code events_stream_starts} (one entry per stream) and look each stream's last version
 *       up in the primary key of {@code (stream_id, version)}: time proportional to the number of
 *       <em>streams</em>, however long they are. The event count is the sum of the streams'
 *       versions, exact because versions are dense. A plain {@code count(*)} or
 *       {@code count(DISTINCT stream_id)} would read every event instead.</li>
 *   <li>Events per type is the one figure that reads every event: an index-only scan of
 *       {@code events_type_position} (or a sequential scan, as the planner sees fit), linear in the
 *       number of events. It is what makes this endpoint slow on a very large log.</li>
 *   <li>Snapshot coverage reads the {@code snapshots} table, a few rows per snapshotted stream.</li>
 * </ul>
 */
public final class PostgresStoreStatistics implements StoreStatistics {

    // Each stream once (its first event), with its last version; then per category and the largest.
    private static final String STREAMS = """
            WITH stream_sizes AS (
                SELECT s.category, s.stream_id,
                       (SELECT max(e.version) FROM events e WHERE e.stream_id = s.stream_id) AS version
                  FROM events s
                 WHERE s.version = 1
            )
            (SELECT 'category' AS kind, category AS name, count(*) AS streams, sum(version)::bigint AS versions
               FROM stream_sizes
              GROUP BY category)
            UNION ALL
            (SELECT 'largest', stream_id, 1, version
               FROM stream_sizes
              ORDER BY version DESC, stream_id
              LIMIT ?)
            """;

    private static final String EVENTS_BY_TYPE = """
            SELECT type, count(*) FROM events GROUP BY type
            """;

    private static final String SNAPSHOTS_BY_CATEGORY = """
            SELECT counts.category, counts.snapshots, counts.streams, latest.stream_id, latest.version, latest.taken_at
              FROM (SELECT category, count(*) AS snapshots, count(DISTINCT stream_id) AS streams
                      FROM snapshots
                     GROUP BY category) counts
              JOIN (SELECT DISTINCT ON (category) category, stream_id, version, taken_at
                      FROM snapshots
                     ORDER BY category, taken_at DESC, stream_id) latest
                ON latest.category = counts.category
            """;

    private record SnapshotCounts(long snapshots, long streams, StoreStats.SnapshotTaken latest) {
    }

    private final DataSource dataSource;

    public PostgresStoreStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public StoreStats collect() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                StoreStats stats = collect(connection);
                connection.commit();
                return stats;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("collect the event store's statistics", e);
        }
    }

    private static StoreStats collect(Connection connection) throws SQLException {
        Map<String, SnapshotCounts> snapshots = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SNAPSHOTS_BY_CATEGORY);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                snapshots.put(rows.getString(1), new SnapshotCounts(rows.getLong(2), rows.getLong(3),
                        new StoreStats.SnapshotTaken(rows.getString(4), rows.getLong(5),
                                rows.getObject(6, OffsetDateTime.class).toInstant())));
            }
        }
        List<StoreStats.Category> categories = new ArrayList<>();
        List<StoreStats.StreamSize> largest = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(STREAMS)) {
            statement.setInt(1, LARGEST_STREAMS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(2);
                    if ("largest".equals(rows.getString(1))) {
                        largest.add(new StoreStats.StreamSize(name, rows.getLong(4)));
                        continue;
                    }
                    Optional<SnapshotCounts> snapshotted = Optional.ofNullable(snapshots.get(name));
                    categories.add(new StoreStats.Category(name, rows.getLong(3), rows.getLong(4),
                            snapshotted.map(SnapshotCounts::streams).orElse(0L),
                            snapshotted.map(SnapshotCounts::snapshots).orElse(0L),
                            snapshotted.map(SnapshotCounts::latest)));
                }
            }
        }
        Map<String, Long> byType = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(EVENTS_BY_TYPE);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                byType.put(rows.getString(1), rows.getLong(2));
            }
        }
        return new StoreStats(byType, categories, largest);
    }
}
