package org.pgeventstore.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
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

    /** A pool of {@code size} on the same server, database and credentials as {@code apiPool}. */
    static ProjectionPool sameDatabaseAs(DataSource apiPool, int size) {
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
        config.setPoolName("projections");
        config.setConnectionTimeout(5_000);
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
