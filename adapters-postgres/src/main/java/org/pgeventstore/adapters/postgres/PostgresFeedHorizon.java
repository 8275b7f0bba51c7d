package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.application.feed.FeedHorizon;
import org.pgeventstore.application.feed.FeedStall;
import org.pgeventstore.application.feed.HorizonHolder;

/**
 * The feed's horizon on PostgreSQL: the events at or above {@code events_visible_bound()} are
 * committed (this statement sees them) but not yet handed out, because a transaction older than
 * them is still running somewhere on the server. Its holder is the oldest transaction id among the
 * server's sessions ({@code pg_stat_activity}, every database) and prepared transactions
 * ({@code pg_prepared_xacts}). A role without {@code pg_read_all_stats} sees other roles'
 * sessions without their transaction ids; the holder is then unknown, the withheld events not.
 */
public final class PostgresFeedHorizon implements FeedHorizon {

    private static final String WITHHELD = """
            SELECT count(*), extract(epoch FROM clock_timestamp() - min(occurred_at)) FROM (
                SELECT occurred_at FROM events
                 WHERE position >= (SELECT events_visible_bound())
                 ORDER BY position
                 LIMIT ?) withheld
            """;

    private static final String HOLDER = """
            SELECT kind, pid, gid, database, username, application_name, client_addr, state, since, query,
                   extract(epoch FROM clock_timestamp() - since)
              FROM (SELECT 'session' AS kind, a.pid, NULL::text AS gid, a.datname::text AS database,
                           a.usename::text AS username, nullif(a.application_name, '') AS application_name,
                           host(a.client_addr) AS client_addr, a.state, a.xact_start AS since,
                           left(a.query, 200) AS query, age(a.backend_xid) AS xid_age
                      FROM pg_stat_activity a
                     WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
                    UNION ALL
                    SELECT 'prepared', NULL, p.gid, p.database::text, p.owner::text, NULL, NULL, 'prepared', p.prepared,
                           NULL, age(p.transaction)
                      FROM pg_prepared_xacts p) holders
             ORDER BY xid_age DESC
             LIMIT 1
            """;

    private final DataSource dataSource;

    public PostgresFeedHorizon(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public FeedStall current() {
        try (Connection connection = dataSource.getConnection()) {
            long withheld;
            Duration oldest;
            try (PreparedStatement statement = connection.prepareStatement(WITHHELD)) {
                statement.setLong(1, COUNT_CAP);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    withheld = row.getLong(1);
                    oldest = seconds(row.getDouble(2));
                }
            }
            if (withheld == 0) {
                return FeedStall.NONE;
            }
            return new FeedStall(withheld, oldest, holder(connection));
        } catch (SQLException e) {
            throw PostgresFailures.translate("read what holds the global feed back", e);
        }
    }

    private static Optional<HorizonHolder> holder(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HOLDER);
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            OffsetDateTime since = row.getObject(9, OffsetDateTime.class);
            Instant began = since == null ? null : since.toInstant();
            Long pid = row.getObject(2) == null ? null : row.getLong(2);
            return Optional.of(new HorizonHolder(row.getString(1), pid, row.getString(3),
                    row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8), began,
                    seconds(row.getDouble(11)), row.getString(10)));
        }
    }

    /** Ages are taken with the database's clock, the one that stamped the events. */
    private static Duration seconds(double seconds) {
        return seconds > 0 ? Duration.ofNanos((long) (seconds * 1e9)) : Duration.ZERO;
    }
}
