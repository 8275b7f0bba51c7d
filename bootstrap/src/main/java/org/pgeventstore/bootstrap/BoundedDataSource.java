package org.pgeventstore.bootstrap;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A connection pool as one kind of caller sees it: every connection it hands out waits at most
 * {@code timeout} for each answer from PostgreSQL (the driver's network timeout), then fails with
 * SQLSTATE 08006 and is dropped by the pool, so the caller gets {@code EventStoreUnavailable}
 * instead of waiting as long as the database hangs. The bound is per connection loan: the pool
 * restores its own setting when the connection comes back, so other callers of the same pool (the
 * migrations at startup) are not bound by it.
 */
final class BoundedDataSource implements DataSource {

    /** pgjdbc applies the timeout to the socket itself; the executor is not used. */
    private static final Executor UNUSED = Runnable::run;

    private final DataSource pool;
    private final int timeoutMillis;

    private BoundedDataSource(DataSource pool, Duration timeout) {
        this.pool = pool;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** {@code pool} with each statement bounded by {@code timeout}; zero means unbounded. */
    static DataSource of(DataSource pool, Duration timeout) {
        return new BoundedDataSource(pool, timeout);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return bounded(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return bounded(pool.getConnection(username, password));
    }

    private Connection bounded(Connection connection) throws SQLException {
        try {
            connection.setNetworkTimeout(UNUSED, timeoutMillis);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
