package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.feed.FeedBacklog;

/**
 * How far a projection trails the feed of one category. Positions are not dense, so the lag in
 * events is a count: the events of the category after the checkpoint and below the feed's visible
 * bound, walked on the {@code (category, position)} index and capped at {@link #COUNT_CAP} so that
 * a scrape stays cheap during a rebuild from position 0 (a lag at the cap means "at least").
 * The same counts serve the consumer groups, for any {@link EventFilter}.
 */
public final class PostgresFeedBacklog implements FeedBacklog {

    /** The largest lag in events that is counted exactly. */
    public static final long COUNT_CAP = FeedBacklog.COUNT_CAP;

    private static final String COUNT = """
            SELECT count(*) FROM (
                SELECT 1 FROM events
                 WHERE category = ? AND position > ?
                   AND position < (SELECT events_visible_bound())
                 LIMIT ?) backlog
            """;
    private static final String OLDEST = """
            SELECT occurred_at FROM events
             WHERE category = ? AND position > ?
               AND position < (SELECT events_visible_bound())
             ORDER BY position LIMIT 1
            """;

    private static final String LAST_POSITION = """
            SELECT coalesce(max(position), 0) FROM events WHERE position < (SELECT events_visible_bound())
            """;
    private static final String COUNT_FILTERED = """
            SELECT count(*) FROM (
                SELECT 1 FROM events
                 WHERE position > ? AND position < (SELECT events_visible_bound()) %s
                 LIMIT ?) backlog
            """;

    private final DataSource dataSource;

    public PostgresFeedBacklog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Events of {@code category} the feed holds after {@code position}, up to {@link #COUNT_CAP}. */
    public long eventsAfter(String category, long position) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COUNT)) {
            statement.setString(1, category);
            statement.setLong(2, position);
            statement.setLong(3, COUNT_CAP);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("count the backlog of category " + category, e);
        }
    }

    /** How long the oldest event of {@code category} after {@code position} has waited; zero when there is none. */
    public Duration oldestWaiting(String category, long position, Instant now) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(OLDEST)) {
            statement.setString(1, category);
            statement.setLong(2, position);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Duration.ZERO;
                }
                Duration waited = Duration.between(row.getObject(1, OffsetDateTime.class).toInstant(), now);
                return waited.isNegative() ? Duration.ZERO : waited;
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the backlog of category " + category, e);
        }
    }

    @Override
    public long lastPosition() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LAST_POSITION);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the feed's last position", e);
        }
    }

    @Override
    public long eventsAfter(long position, EventFilter filter) {
        List<String> conditions = new ArrayList<>();
        if (!filter.categories().isEmpty()) {
            conditions.add("AND category = ANY (?)");
        }
        if (!filter.types().isEmpty()) {
            conditions.add("AND type = ANY (?)");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COUNT_FILTERED.formatted(String.join(" ", conditions)))) {
            int index = 1;
            statement.setLong(index++, position);
            if (!filter.categories().isEmpty()) {
                statement.setArray(index++, connection.createArrayOf("text", filter.categories().toArray()));
            }
            if (!filter.types().isEmpty()) {
                statement.setArray(index++, connection.createArrayOf("text", filter.types().toArray()));
            }
            statement.setLong(index, COUNT_CAP);
            // Planned with its values, so that a selective filter walks its index (as the feed's reads do).
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("count the feed's events after position " + position, e);
        }
    }
}
