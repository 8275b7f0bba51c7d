package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamListPage;
import org.pgeventstore.application.eventstore.StreamListQuery;
import org.pgeventstore.application.eventstore.StreamSummary;

/**
 * Lists streams for {@link PostgresEventStore#listStreams}. A stream is the row of its first event
 * in {@code events_stream_starts} (category, stream_id) WHERE version = 1, so a page walks that
 * index from the cursor and looks up each stream's last event by (stream_id, version): the cost is
 * per page, whatever the number of events.
 */
final class PostgresStreamListing {

    private static final String LIST = """
            SELECT s.stream_id, s.category, last.version, last.position, last.occurred_at
              FROM events s
             CROSS JOIN LATERAL (
                   SELECT e.version, e.position, e.occurred_at
                     FROM events e
                    WHERE e.stream_id = s.stream_id
                    ORDER BY e.version DESC
                    LIMIT 1) last
             WHERE s.version = 1 AND (s.category, s.stream_id) > (?, ?) %s
             ORDER BY s.category, s.stream_id
             LIMIT ?
            """;

    static final String LIST_ALL = LIST.formatted("");
    static final String LIST_CATEGORIES = LIST.formatted("AND s.category = ANY (?)");

    private final DataSource dataSource;

    PostgresStreamListing(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    StreamListPage list(StreamListQuery query) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     query.categories().isEmpty() ? LIST_ALL : LIST_CATEGORIES)) {
            int index = 1;
            // Every category and stream id is at least one character, so ('', '') is before them all.
            statement.setString(index++, query.after().map(StreamId::category).orElse(""));
            statement.setString(index++, query.after().map(StreamId::value).orElse(""));
            if (!query.categories().isEmpty()) {
                statement.setArray(index++, connection.createArrayOf("text", query.categories().stream().sorted().toArray()));
            }
            statement.setInt(index, query.limit() + 1);
            List<StreamSummary> streams = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    streams.add(new StreamSummary(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4),
                            rows.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
            if (streams.size() <= query.limit()) {
                return new StreamListPage(streams, Optional.empty());
            }
            List<StreamSummary> page = streams.subList(0, query.limit());
            return new StreamListPage(page, Optional.of(StreamId.of(page.getLast().streamId())));
        } catch (SQLException e) {
            throw PostgresFailures.translate("list the streams", e);
        }
    }
}
