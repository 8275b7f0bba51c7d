package org.pgeventstore.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.order.OrderReadModelTables;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;
import org.pgeventstore.application.order.OrderEventRegistry;

/**
 * A read model (its two tables) and checkpoint of its own for one test, so that tests sharing the
 * test database never see each other's projections.
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
        OrderReadModelTables.create(dataSource, table);
    }

    /** The table that holds the live rows now. */
    String liveTable() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT read_model FROM projection_positions WHERE name = '" + name + "'")) {
            return row.next() && row.getString(1) != null ? row.getString(1) : table + "_blue";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    PostgresOrderProjectionStore store(DataSource pool) {
        return store(pool, connection -> { });
    }

    PostgresOrderProjectionStore store(DataSource pool, PostgresProjectionCheckpoints.BeforeCommit beforeCommit) {
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
        for (String physical : ReadModelTables.of(table)) {
            execute("DROP TABLE IF EXISTS " + physical);
        }
        execute("DELETE FROM projection_positions WHERE name = '" + name + "'");
    }
}
