package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.application.projection.ProjectionLease;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection leases as PostgreSQL session advisory locks, one per projection name, each held on a
 * connection of its own for as long as the runner runs. When the holder's process dies, its
 * session ends and PostgreSQL releases the lock; the next runner to try takes it.
 */
public final class PostgresProjectionLeases implements ProjectionLeases {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionLeases.class);
    /** Distinguishes these locks from others in pg_locks: "PROJ". */
    private static final int LOCK_CLASS = 0x50524F4A;
    private static final long VALIDATION_INTERVAL_NANOS = 1_000_000_000L;

    private final DataSource dataSource;

    public PostgresProjectionLeases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<ProjectionLease> tryAcquire(String projection) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                statement.setInt(1, LOCK_CLASS);
                statement.setString(2, projection);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return Optional.of(new Lease(connection, projection));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw PostgresFailures.translate("take the lease of projection " + projection, e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing more to release.
            }
        }
    }

    private static final class Lease implements ProjectionLease {

        private final Connection connection;
        private final String projection;
        private long validatedAt = System.nanoTime();
        private boolean held = true;

        Lease(Connection connection, String projection) {
            this.connection = connection;
            this.projection = projection;
        }

        /** Checks the session at most once a second: a lost session means the lock is gone. */
        @Override
        public synchronized boolean isHeld() {
            if (held && System.nanoTime() - validatedAt > VALIDATION_INTERVAL_NANOS) {
                try {
                    held = connection.isValid(2);
                } catch (SQLException e) {
                    held = false;
                }
                validatedAt = System.nanoTime();
                if (!held) {
                    LOG.warn("event=projection_lease_lost projection={} action=\"stopping; will try to take it again\"",
                            projection);
                }
            }
            return held;
        }

        @Override
        public synchronized void close() {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                statement.setInt(1, LOCK_CLASS);
                statement.setString(2, projection);
                statement.execute();
            } catch (SQLException e) {
                // The session is gone, and the lock with it.
            } finally {
                held = false;
                closeQuietly(connection);
            }
        }
    }
}
