package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.TransactionPoolingProxy;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;

/**
 * The service refuses to start behind a transaction-pooling proxy, where its projection leases
 * (session advisory locks) would exclude nobody. The migrations run directly, as they would.
 */
class TransactionPoolerTest {

    @Test
    @DisplayName("with its datasource behind a transaction-pooling proxy, the service does not start, and says why")
    void refusesToStart() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.shared();
        try (TransactionPoolingProxy proxy = new TransactionPoolingProxy(database.jdbcUrl(), database.username())) {
            Map<String, Object> properties = Map.of(
                    "datasources.default.url", proxy.jdbcUrl(),
                    "datasources.default.username", database.username(),
                    "datasources.default.password", database.password(),
                    "flyway.datasources.default.url", database.jdbcUrl(),
                    "flyway.datasources.default.user", database.username(),
                    "flyway.datasources.default.password", database.password(),
                    "micronaut.server.port", "-1");
            ApplicationContext service = ApplicationContext.builder(properties).build();
            Throwable refused;
            try {
                refused = catchThrowable(service::start);
            } finally {
                // A context whose start failed is not running, so closing it destroys nothing: close its pools.
                for (DataSource pool : service.getBeansOfType(DataSource.class)) {
                    pool.unwrap(HikariDataSource.class).close();
                }
                service.getBeansOfType(ProjectionPool.class).forEach(ProjectionPool::close);
                service.close();
            }
            Throwable cause = refused;
            while (cause != null && !(cause instanceof PostgresProjectionLeases.SessionsShared)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("the start-up failure names the cause: %s", refused)
                    .isInstanceOf(PostgresProjectionLeases.SessionsShared.class)
                    .hasMessageContaining("transaction-pooling proxy").hasMessageContaining("pool_mode=session");
        }
    }
}
