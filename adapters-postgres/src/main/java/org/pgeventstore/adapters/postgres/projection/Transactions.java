package org.pgeventstore.adapters.postgres.projection;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;

/** The one transaction template of the projection adapter: commit when the work returns, roll back when it throws. */
public final class Transactions {

    private Transactions() {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code prepare} on the connection outside the transaction, then {@code work} in one. */
    public static <T> T inTransaction(DataSource dataSource, String action, Work<Void> prepare, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            prepare.run(connection);
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                resetAutoCommit(connection);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate(action, e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction died with it.
        }
    }

    private static void resetAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // A broken connection is evicted by the pool.
        }
    }
}
