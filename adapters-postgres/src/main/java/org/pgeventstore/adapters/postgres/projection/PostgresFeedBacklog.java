package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;

/**
 * How far a projection trails the feed of one category. Positions are not dense, so the lag in
 * events is a count: the events of the category after the checkpoint and below the feed's visible
 * bound, walked on the {@code (category, position)} index and capped at {@link #COUNT_CAP} so that
 * a scrape stays cheap during a rebuild from position 0 (a lag at the cap means "at least").
 */
public final class PostgresFeedBacklog {

    /** The largest lag in events that is counted exactly. */
    public static final long COUNT_CAP = 100_000;

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
}
