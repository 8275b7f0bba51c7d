package org.pgeventstore.adapters.postgres.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.application.replica.ReplicaLag;
import org.pgeventstore.application.replica.ReplicaStatus;

/**
 * A hot standby's own account of how far it trails its primary, asked on the standby. Read-only
 * statements only: a standby refuses every write.
 *
 * <p>The replay delay is the age of the last replayed commit ({@code pg_last_xact_replay_timestamp()}),
 * except while the standby streams and has replayed all it received: then it is 0, since an idle
 * primary commits nothing and the last commit grows old without the standby being behind. A standby
 * that does not stream (its WAL receiver is not running: the primary is down or unreachable) reports
 * the age, which then grows as it should. On a server that is not in recovery (a promoted standby,
 * or the primary itself) both figures are 0.
 */
public final class PostgresReplicaStatus implements ReplicaStatus {

    private static final String BOUND = "SELECT events_visible_bound()";

    private static final String LAG = """
            SELECT events_visible_bound(),
                   CASE WHEN NOT pg_is_in_recovery() THEN 0
                        WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
                             AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
                   END,
                   greatest(coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0), 0)
            """;

    private final DataSource dataSource;

    /** @param dataSource connections to the standby */
    public PostgresReplicaStatus(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public long visibleBound() {
        return ask(BOUND, "read the replica's feed bound", row -> row.getLong(1));
    }

    @Override
    public ReplicaLag lag() {
        return ask(LAG, "read the replica's lag", row -> {
            double seconds = Math.max(0, row.getDouble(2));
            return new ReplicaLag(Duration.ofNanos((long) (seconds * 1e9)), row.getLong(3), row.getLong(1));
        });
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> T ask(String sql, String action, RowReader<T> reader) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return reader.read(row);
        } catch (SQLException e) {
            throw PostgresFailures.translate(action, e);
        }
    }
}
