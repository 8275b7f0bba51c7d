package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.pgeventstore.application.order.OrderEventRegistry;

/**
 * A read model table and checkpoint of its own for one test, so that tests sharing the test
 * database never see each other's projections.
 */
final class ProjectionTables implements AutoCloseable {

    private final DataSource dataSource;
    final String name;
    final String table;

    ProjectionTables(DataSource dataSource) {
        this.dataSource = dataSource;
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.name = "test-orders-" + suffix;
        this.table = "order_projections_t" + suffix;
        execute("CREATE TABLE " + table + " (LIKE order_projections INCLUDING ALL)");
    }

    PostgresOrderProjectionStore store(DataSource pool) {
        return store(pool, connection -> { });
    }

    PostgresOrderProjectionStore store(DataSource pool, PostgresOrderProjectionStore.BeforeCommit beforeCommit) {
        return new PostgresOrderProjectionStore(pool, new OrderEventRegistry(), name, table, beforeCommit);
    }

    void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        execute("DROP TABLE IF EXISTS " + table);
        execute("DELETE FROM projection_positions WHERE name = '" + name + "'");
    }
}
