package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The feed reads by index: each page is a range scan that starts at {@code after}, so
 * its cost does not grow with the table. Checked on the plans PostgreSQL chooses for a
 * table big enough that a sequential scan would be tempting if the index did not fit.
 */
class FeedQueryPlanTest {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.shared();
    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "");
    private static final String BULK = "bulk" + SUFFIX;
    private static final String RARE = "rare" + SUFFIX;
    private static final String RARE_TYPE = "Rare" + SUFFIX;
    private static long start;

    /** 40,000 common events with a rare category and a rare type sprinkled among them. */
    @BeforeAll
    static void fillTable() throws SQLException {
        var store = new PostgresEventStore(DATABASE.dataSource());
        for (int append = 0; append < 40; append++) {
            String type = append % 2 == 0 ? "Even" : "Odd";
            var result = store.append(StreamId.of(BULK + "-" + append), ExpectedVersion.NO_STREAM,
                    IntStream.range(0, 1000).mapToObj(i -> NewEvent.of(type, "{\"i\": " + i + "}")).toList());
            if (append == 0) {
                start = result.firstPosition() - 1;
            }
            store.append(StreamId.of(RARE + "-" + append), ExpectedVersion.NO_STREAM,
                    List.of(NewEvent.of(RARE_TYPE, "{}"), NewEvent.of("Even", "{}")));
        }
        try (Connection connection = DATABASE.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE events");
        }
    }

    private static List<String> plan(String sql, Object... parameters) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
            return lines;
        }
    }

    private static String feedSql(String constant) throws Exception {
        var field = PostgresEventStore.class.getDeclaredField(constant);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    @Test
    @DisplayName("the whole feed is a primary-key range scan, no sort, no sequential scan")
    void wholeFeed() throws Exception {
        List<String> plan = plan(feedSql("FEED_ALL"), start, 100);
        assertThat(String.join("\n", plan)).contains("Index Scan using events_pkey").doesNotContain("Seq Scan", "Sort");
    }

    @Test
    @DisplayName("a category page is a range scan of the category index, however rare the category")
    void byCategory() throws Exception {
        List<String> plan = plan(feedSql("FEED_BY_CATEGORY"), RARE, start, 100);
        assertThat(String.join("\n", plan)).contains("Index Scan using events_category_position")
                .doesNotContain("Seq Scan", "Sort");
    }

    @Test
    @DisplayName("a type page is one range scan of the type index per type, however rare the type")
    void byTypes() throws Exception {
        String branch = feedSql("FEED_TYPE_BRANCH").formatted("");
        String twoTypes = "SELECT * FROM (" + branch + " UNION ALL " + branch + ") page ORDER BY position LIMIT ?";
        List<String> plan = plan(twoTypes, RARE_TYPE, start, 100, "Unknown" + SUFFIX, start, 100, 100);
        assertThat(String.join("\n", plan)).doesNotContain("Seq Scan", "events_pkey")
                .containsPattern("(?s)Index Scan using events_type_position.*Index Scan using events_type_position");
    }

    @Test
    @DisplayName("a page of streams walks the stream starts from the cursor and finds each last event by key")
    void streamListing() throws Exception {
        for (String plan : List.of(String.join("\n", plan(PostgresStreamListing.LIST_CATEGORIES, BULK, BULK + "-1",
                        new String[] {BULK}, 51)),
                String.join("\n", plan(PostgresStreamListing.LIST_ALL, "", "", 51)))) {
            assertThat(plan).contains("events_stream_starts", "events_stream_version_key")
                    .doesNotContain("Seq Scan", "Sort");
        }
    }
}
