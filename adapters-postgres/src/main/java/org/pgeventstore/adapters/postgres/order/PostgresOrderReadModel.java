package org.pgeventstore.adapters.postgres.order;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;
import org.pgeventstore.adapters.postgres.projection.ReadModelWriter;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderListPage;
import org.pgeventstore.application.order.readmodel.OrderListQuery;
import org.pgeventstore.application.order.readmodel.OrderProjection;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.application.projection.ProjectionEventFailed;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order read model's rows in the two tables of {@link ReadModelTables}: the reads of
 * {@link OrderReadModel}, and the {@link ReadModelWriter} that the projection's checkpoint runs in
 * its transaction, folding each batch's events with {@link OrderProjection} and writing each
 * changed row guarded by the version it was loaded at. Reads pick the live table in the same
 * statement as the rows. Timestamps are kept to the microsecond, PostgreSQL's resolution,
 * truncated.
 */
public final class PostgresOrderReadModel implements OrderReadModel, ReadModelWriter {

    private final DataSource dataSource;
    private final ReadModelTables tables;
    private final OrderProjection projection;
    private final String findRow;

    /** @param tables the read model's tables, named by the checkpoint that says which is live */
    public PostgresOrderReadModel(DataSource dataSource, OrderEventRegistry registry, ReadModelTables tables) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.projection = new OrderProjection(registry);
        this.findRow = tables.overLive("SELECT " + OrderReadModelTables.COLUMNS + " FROM %1$s WHERE %2$s AND id = ?");
    }

    /** The live order read model, for reads: projection {@value OrderProjection#NAME}'s rows. */
    public static PostgresOrderReadModel live(DataSource dataSource, OrderEventRegistry registry) {
        return new PostgresOrderReadModel(dataSource, registry,
                new ReadModelTables(PostgresOrderProjectionStore.TABLE, OrderProjection.NAME));
    }

    @Override
    public Batch load(Connection connection, String table, List<RecordedEvent> events) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (RecordedEvent event : events) {
            ids.add(orderIdOf(event));
        }
        Map<UUID, OrderRow> rows = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(OrderReadModelTables.loadRows(table))) {
                plannedWithValues(statement);
                statement.setArray(1, connection.createArrayOf("uuid", ids.stream().distinct().toArray()));
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        OrderRow row = PostgresOrderRows.rowOf(result);
                        rows.put(row.order().id().value(), row);
                    }
                }
            }
        }
        return new Fold(table, rows);
    }

    /*
     * A generic plan made while the table was small (a freshly emptied rebuild table) would scan it
     * whole for ever after; planned with its values and the table's current size, it uses the primary key.
     */
    private static void plannedWithValues(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    /** The rows of some orders as events change them, in memory until {@link #write}. */
    private final class Fold implements Batch {
        private final String table;
        private final Map<UUID, OrderRow> loaded;
        private final Map<UUID, OrderRow> current;

        Fold(String table, Map<UUID, OrderRow> loaded) {
            this.table = table;
            this.loaded = loaded;
            this.current = new LinkedHashMap<>(loaded);
        }

        @Override
        public boolean apply(RecordedEvent event) {
            UUID id = orderIdOf(event);
            OrderProjection.Change change;
            try {
                change = projection.apply(Optional.ofNullable(current.get(id)), event);
            } catch (RuntimeException handlerFailure) {
                throw new ProjectionEventFailed(event, handlerFailure);
            }
            return switch (change) {
                case OrderProjection.Change.Apply apply -> {
                    current.put(id, apply.row());
                    yield true;
                }
                case OrderProjection.Change.AlreadyApplied ignored -> false;
            };
        }

        @Override
        public void skip(RecordedEvent event) {
            UUID id = orderIdOf(event);
            try {
                projection.skip(Optional.ofNullable(current.get(id)), event).ifPresent(row -> current.put(id, row));
            } catch (RuntimeException rowDoesNotFollow) {
                throw new ProjectionEventFailed(event, rowDoesNotFollow);
            }
        }

        /** Inserts new rows and updates changed ones, each update guarded by the version the row was loaded at. */
        @Override
        public void write(Connection connection) throws SQLException {
            PostgresOrderRows.RowArrays inserts = new PostgresOrderRows.RowArrays();
            PostgresOrderRows.RowArrays updates = new PostgresOrderRows.RowArrays();
            for (Map.Entry<UUID, OrderRow> entry : current.entrySet()) {
                OrderRow before = loaded.get(entry.getKey());
                OrderRow after = entry.getValue();
                if (before == null) {
                    inserts.add(after, 0);
                } else if (before != after) {
                    updates.add(after, before.version());
                }
            }
            if (inserts.size() > 0) {
                try (PreparedStatement insert = connection.prepareStatement(OrderReadModelTables.insertRows(table))) {
                    inserts.bind(connection, insert);
                    insert.executeUpdate();
                }
            }
            if (updates.size() > 0) {
                try (PreparedStatement update = connection.prepareStatement(OrderReadModelTables.updateRows(table))) {
                    updates.bind(connection, update);
                    int updated = update.executeUpdate();
                    if (updated != updates.size()) {
                        throw new IllegalStateException((updates.size() - updated) + " order(s) in " + table
                                + " changed under the projection (version guard); the batch was rolled back");
                    }
                }
            }
        }
    }

    @Override
    public void moveRowPast(Connection connection, String table, String streamId, long version) throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(streamId.substring(streamId.indexOf('-') + 1));
        } catch (IllegalArgumentException notAnOrderStream) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(OrderReadModelTables.moveRowPast(table))) {
            statement.setLong(1, version);
            statement.setObject(2, id);
            statement.setLong(3, version - 1);
            statement.executeUpdate();
        }
    }

    @Override
    public String deletePage(String table) {
        return OrderReadModelTables.deletePage(table);
    }

    @Override
    public OrderListPage list(OrderListQuery query) {
        StringBuilder filters = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        query.status().ifPresent(status -> {
            filters.append(" AND status = ?");
            parameters.add(status.inWords());
        });
        query.customerId().ifPresent(customer -> {
            filters.append(" AND customer_id = ?");
            parameters.add(customer);
        });
        query.after().ifPresent(cursor -> {
            filters.append(" AND (placed_at, id) < (?, ?)");
            parameters.add(cursor.placedAt().atOffset(ZoneOffset.UTC));
            parameters.add(cursor.id());
        });
        parameters.add(query.limit() + 1);
        // Each branch is an index scan that stops after a page; only the live one runs.
        String sql = "SELECT * FROM (" + tables.overLive("SELECT " + OrderReadModelTables.COLUMNS
                + " FROM %1$s WHERE %2$s" + filters + " ORDER BY placed_at DESC, id DESC LIMIT ?")
                + ") page ORDER BY placed_at DESC, id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (int branch = 0; branch < 2; branch++) {
                for (Object parameter : parameters) {
                    statement.setObject(index++, parameter);
                }
            }
            statement.setInt(index, query.limit() + 1);
            List<OrderRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(PostgresOrderRows.rowOf(result));
                }
            }
            if (rows.size() <= query.limit()) {
                return new OrderListPage(rows, Optional.empty());
            }
            List<OrderRow> page = rows.subList(0, query.limit());
            Order last = page.getLast().order();
            return new OrderListPage(page, Optional.of(new OrderListQuery.Cursor(last.placedAt(), last.id().value())));
        } catch (SQLException e) {
            throw PostgresFailures.translate("list orders of the read model", e);
        }
    }

    @Override
    public Optional<OrderRow> find(OrderId orderId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(findRow)) {
            statement.setObject(1, orderId.value());
            statement.setObject(2, orderId.value());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(PostgresOrderRows.rowOf(result)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read order " + orderId + " from the read model", e);
        }
    }

    @Override
    public long appliedPosition() {
        return PostgresProjectionCheckpoints.position(dataSource, tables.checkpoint());
    }

    private static UUID orderIdOf(RecordedEvent event) {
        String stream = event.streamId();
        try {
            return UUID.fromString(stream.substring(stream.indexOf('-') + 1));
        } catch (IllegalArgumentException notAnOrderStream) {
            throw new ProjectionEventFailed(event, notAnOrderStream);
        }
    }
}
