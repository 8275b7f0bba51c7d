package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The projections' own connection pool on the service's database, so that a rebuild or a long
 * catch-up cannot take the connections the API needs. Not a {@link DataSource} bean, so that it is
 * never injected where the API's pool is meant.
 */
public final class ProjectionPool implements AutoCloseable {

    private final HikariDataSource dataSource;

    private ProjectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A pool of {@code size} on the same server, database and credentials as {@code apiPool}, whose
     * statements wait at most {@code socketTimeout} for PostgreSQL to answer (0: for ever).
     */
    static ProjectionPool sameDatabaseAs(DataSource apiPool, int size, Duration socketTimeout) {
        return sameDatabaseAs(apiPool, "projections", size, socketTimeout);
    }

    /** The same, named {@code name} in the pool's logs and metrics: the relay has one of its own too. */
    static ProjectionPool sameDatabaseAs(DataSource apiPool, String name, int size, Duration socketTimeout) {
        HikariDataSource api;
        try {
            api = apiPool.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException("the projections' pool copies the settings of the default datasource, "
                    + "which must be a Hikari pool", e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(api.getJdbcUrl());
        config.setUsername(api.getUsername());
        config.setPassword(api.getPassword());
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setConnectionTimeout(5_000);
        // In whole seconds, as the driver takes it; a bound below a second is rounded up, not lost.
        config.addDataSourceProperty("socketTimeout", (socketTimeout.toMillis() + 999) / 1000);
        return new ProjectionPool(new HikariDataSource(config));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
