package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.stats.StoreStats;

/**
 * The statistics on PostgreSQL equal what brute-force SQL over the whole tables says, and the
 * per-stream figures are read per stream, not per event. The test classes of this module run one
 * after another, so the shared tables stand still while each test compares.
 */
class PostgresStoreStatisticsTest {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.shared();
    private static final String CATEGORY = "stats" + UUID.randomUUID().toString().replace("-", "");
    private static final Instant TAKEN = Instant.parse("2026-02-01T12:00:00Z");

    private final PostgresStoreStatistics statistics = new PostgresStoreStatistics(DATABASE.dataSource());

    /** Streams of 1, 3 and 20,000 events, two snapshots of the largest. */
    @BeforeAll
    static void fill() throws SQLException {
        var events = new PostgresEventStore(DATABASE.dataSource());
        events.append(StreamId.of(CATEGORY + "-a"), ExpectedVersion.NO_STREAM, List.of(NewEvent.of("Opened", "{}")));
        events.append(StreamId.of(CATEGORY + "-b"), ExpectedVersion.NO_STREAM,
                List.of(NewEvent.of("Opened", "{}"), NewEvent.of("Noted", "{}"), NewEvent.of("Noted", "{}")));
        events.append(StreamId.of(CATEGORY + "-big"), ExpectedVersion.NO_STREAM,
                IntStream.range(0, 20_000).mapToObj(i -> NewEvent.of("Noted", "{}")).toList());
        var snapshots = new PostgresSnapshotStore(DATABASE.dataSource());
        snapshots.save(new Snapshot(StreamId.of(CATEGORY + "-big"), 2_000, 1, TAKEN, TAKEN, 1, new byte[] {1}));
        snapshots.save(new Snapshot(StreamId.of(CATEGORY + "-big"), 20_000, 1, TAKEN, TAKEN.plusSeconds(1), 1, new byte[] {1}));
        try (Connection connection = DATABASE.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE events");
        }
    }

    private static List<List<Object>> query(String sql) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    @Test
    @DisplayName("our category: its streams, events, snapshots and latest snapshot")
    void ownCategory() {
        StoreStats stats = statistics.collect();

        StoreStats.Category own = stats.categories().stream().filter(c -> c.category().equals(CATEGORY)).findFirst().orElseThrow();
        assertThat(own.streams()).isEqualTo(3);
        assertThat(own.events()).isEqualTo(20_004);
        assertThat(own.streamsWithSnapshot()).isEqualTo(1);
        assertThat(own.snapshots()).isEqualTo(2);
        assertThat(own.latestSnapshot()).contains(new StoreStats.SnapshotTaken(CATEGORY + "-big", 20_000, TAKEN.plusSeconds(1)));
    }

    @Test
    @DisplayName("every figure equals a brute-force count over the whole tables")
    void equalsBruteForce() throws SQLException {
        StoreStats stats = statistics.collect();

        long events = (Long) query("SELECT count(*) FROM events").getFirst().getFirst();
        long streams = (Long) query("SELECT count(DISTINCT stream_id) FROM events").getFirst().getFirst();
        Map<String, Long> byType = new TreeMap<>();
        query("SELECT type, count(*) FROM events GROUP BY type").forEach(row -> byType.put((String) row.get(0), (Long) row.get(1)));
        Map<String, List<Long>> byCategory = new TreeMap<>();
        query("""
                SELECT e.category, count(DISTINCT e.stream_id), count(*),
                       (SELECT count(DISTINCT s.stream_id) FROM snapshots s WHERE s.category = e.category),
                       (SELECT count(*) FROM snapshots s WHERE s.category = e.category)
                  FROM events e GROUP BY e.category
                """).forEach(row -> byCategory.put((String) row.get(0),
                List.of((Long) row.get(1), (Long) row.get(2), (Long) row.get(3), (Long) row.get(4))));
        Map<String, Long> largest = new LinkedHashMap<>();
        query("SELECT stream_id, max(version) FROM events GROUP BY stream_id ORDER BY 2 DESC, 1 LIMIT 10")
                .forEach(row -> largest.put((String) row.get(0), (Long) row.get(1)));

        assertThat(stats.events()).isEqualTo(events);
        assertThat(stats.streams()).isEqualTo(streams);
        assertThat(stats.eventsByType()).isEqualTo(byType);
        Map<String, List<Long>> reported = new TreeMap<>();
        stats.categories().forEach(c -> reported.put(c.category(),
                List.of(c.streams(), c.events(), c.streamsWithSnapshot(), c.snapshots())));
        assertThat(reported).isEqualTo(byCategory);
        Map<String, Long> reportedLargest = new LinkedHashMap<>();
        stats.largestStreams().forEach(s -> reportedLargest.put(s.streamId(), s.version()));
        assertThat(reportedLargest).containsExactlyEntriesOf(largest);
    }

    @Test
    @DisplayName("streams are found through the partial index of first events, each stream's size through the primary key")
    void perStreamPlan() throws Exception {
        var field = PostgresStoreStatistics.class.getDeclaredField("STREAMS");
        field.setAccessible(true);
        String sql = ((String) field.get(null)).replace("LIMIT ?", "LIMIT 10");

        String plan = String.join("\n", query("EXPLAIN " + sql).stream().map(row -> (String) row.getFirst()).toList());

        assertThat(plan).contains("events_stream_starts", "events_stream_version_key").doesNotContain("Seq Scan on events");
    }
}
