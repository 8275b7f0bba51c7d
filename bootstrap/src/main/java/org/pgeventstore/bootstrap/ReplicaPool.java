package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * The read-only connection pool on the streaming replica. Not a {@link DataSource} bean, so that
 * it is never injected where the primary's pool is meant. It is built even while the replica is
 * down (reads go to the primary until it answers), and each statement is bounded like the API's.
 */
public final class ReplicaPool implements AutoCloseable {

    private final HikariDataSource pool;
    private final DataSource bounded;

    private ReplicaPool(HikariDataSource pool, DataSource bounded) {
        this.pool = pool;
        this.bounded = bounded;
    }

    static ReplicaPool of(ReplicaConfiguration configuration, DatabaseTimeouts timeouts, ConnectionPoolDefaults defaults) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(configuration.getUrl());
        config.setUsername(configuration.getUser());
        config.setPassword(configuration.getPassword());
        config.setMaximumPoolSize(configuration.getPoolSize());
        config.setPoolName("replica");
        config.setReadOnly(true);
        config.setConnectionTimeout(defaults.connectionTimeout().toMillis());
        config.setValidationTimeout(defaults.validationTimeout().toMillis());
        // Start without the replica rather than refuse to start: the primary serves reads meanwhile.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        return new ReplicaPool(pool, BoundedDataSource.of(pool, timeouts.getSocketTimeout()));
    }

    /** Connections to the replica, each statement bounded by {@code eventstore.database.socket-timeout}. */
    public DataSource dataSource() {
        return bounded;
    }

    @Override
    public void close() {
        pool.close();
    }
}
