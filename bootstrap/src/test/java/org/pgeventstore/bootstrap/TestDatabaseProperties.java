package org.pgeventstore.bootstrap;

import java.util.Map;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/** The application's datasource settings for the shared test PostgreSQL. */
final class TestDatabaseProperties {

    private TestDatabaseProperties() {
    }

    static Map<String, String> of(PostgresTestDatabase database) {
        return Map.of(
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", database.username(),
                "datasources.default.password", database.password(),
                "datasources.default.maximum-pool-size", "16",
                "eventstore.admin-key", ApiClient.TEST_ADMIN_KEY);
    }
}
