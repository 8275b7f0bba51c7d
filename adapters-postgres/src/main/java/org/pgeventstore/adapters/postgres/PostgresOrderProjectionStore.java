package org.pgeventstore.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.OrderListPage;
import org.pgeventstore.application.projection.OrderListQuery;
import org.pgeventstore.application.projection.OrderProjection;
import org.pgeventstore.application.projection.OrderReadModel;
import org.pgeventstore.application.projection.OrderRow;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionEventFailed;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ProjectionStore;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * The order read model in a table of the {@code order_projections} shape, with its checkpoint in
 * {@code projection_positions}. {@link #apply} is one JDBC transaction: lock the checkpoint row,
 * check it is where the batch was read from, load the batch's orders, fold the events with
 * {@link OrderProjection}, write each changed row guarded by the version it was loaded at, move
 * the checkpoint, commit. Two runners serialise on the checkpoint row and the second one's batch
 * is refused whole ({@link CheckpointMoved}).
 *
 * <p>Its parking place ({@link ParkedStreams}) is {@code projection_parked_events}: a batch parks
 * the events of parked streams in the same transaction, and resumes and skips lock the checkpoint
 * row first too, so all of them are serialised with the batches.
 *
 * <p>Timestamps are kept to the microsecond, PostgreSQL's resolution, truncated.
 */
public final class PostgresOrderProjectionStore implements ProjectionStore, OrderReadModel, ParkedStreams {

    /** The table of the live order read model. */
    public static final String TABLE = "order_projections";

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, order_number, customer_id, status, line_items::text, subtotal, "
            + "shipping_cost, total, amount_paid, shipping_address::text, placed_at, paid_at, shipped_at, delivered_at, "
            + "cancelled_at, version, last_position, currency";

    /** The changed rows, unnested from one array per column (the order of {@link RowArrays}). */
    private static final String ROWS = """
            unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[],
                   ?::numeric[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
                   ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
              AS r(id, order_number, customer_id, status, line_items, subtotal, shipping_cost, total, amount_paid,
                   shipping_address, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, version,
                   last_position, loaded_version, currency)""";

    private static final String ENSURE_CHECKPOINT = """
            INSERT INTO projection_positions (name) VALUES (?) ON CONFLICT (name) DO NOTHING
            """;
    private static final String READ_CHECKPOINT = """
            SELECT position, status, failed_position, last_error FROM projection_positions WHERE name = ?
            """;
    private static final String LOCK_CHECKPOINT = """
            SELECT position FROM projection_positions WHERE name = ? FOR UPDATE
            """;
    /** Waiting events replayed per transaction of a resume. */
    private static final int RESUME_PAGE = 500;
    private static final String MOVE_CHECKPOINT = """
            UPDATE projection_positions SET position = ?, updated_at = now() WHERE name = ?
            """;
    private static final String MARK_FAILED = """
            UPDATE projection_positions
               SET status = 'failed', failed_position = ?, last_error = ?, updated_at = now()
             WHERE name = ? AND position = ?
            """;
    private static final String RESUME = """
            UPDATE projection_positions
               SET status = 'running', failed_position = NULL, last_error = NULL, updated_at = now()
             WHERE name = ? AND status IN ('failed', 'paused')
            """;

    private final DataSource dataSource;
    private final String name;
    private final String operatorsProjection;
    private final String table;
    private final OrderProjection projection;
    private final PostgresParkingPlace parking;
    private final BeforeCommit beforeCommit;
    private final String loadRows;
    private final String insertRow;
    private final String updateRow;
    private volatile boolean checkpointExists;

    /** Runs inside {@link #apply}'s transaction right before it commits; lets tests crash a runner there. */
    @FunctionalInterface
    public interface BeforeCommit {
        void run(Connection connection) throws SQLException;
    }

    /** The live order read model: projection {@value OrderProjection#NAME} in {@value #TABLE}. */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry) {
        this(dataSource, registry, OrderProjection.NAME, TABLE, connection -> { });
    }

    /**
     * @param name the checkpoint's name in {@code projection_positions}
     * @param table a table of the {@code order_projections} shape (lower-case letters, digits and _)
     */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry, String name, String table,
                                        BeforeCommit beforeCommit) {
        this(dataSource, registry, name, name, table, beforeCommit);
    }

    /**
     * @param name the checkpoint's name in {@code projection_positions}
     * @param projection the projection operators know it by (see {@link ProjectionStore#projection()})
     * @param table a table of the {@code order_projections} shape (lower-case letters, digits and _)
     */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry, String name,
                                        String projection, String table, BeforeCommit beforeCommit) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("a read model table name is lower-case letters, digits and _; was " + table);
        }
        this.dataSource = dataSource;
        this.name = name;
        this.operatorsProjection = projection;
        this.table = table;
        this.projection = new OrderProjection(registry);
        this.parking = new PostgresParkingPlace(dataSource, name, projection);
        this.beforeCommit = beforeCommit;
        this.loadRows = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ANY (?)";
        // One statement per kind whatever the batch's size: rows travel as arrays, one per column.
        this.insertRow = "INSERT INTO " + table + """
                 (id, order_number, customer_id, status, line_items, subtotal, shipping_cost, total, amount_paid,
                  shipping_address, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, version, last_position,
                  currency)
                SELECT r.id, r.order_number, r.customer_id, r.status, r.line_items::jsonb, r.subtotal, r.shipping_cost,
                       r.total, r.amount_paid, r.shipping_address::jsonb, r.placed_at, r.paid_at, r.shipped_at,
                       r.delivered_at, r.cancelled_at, r.version, r.last_position, r.currency
                  FROM %s
                """.formatted(ROWS);
        this.updateRow = "UPDATE " + table + """
                 t SET order_number = r.order_number, customer_id = r.customer_id, status = r.status,
                       line_items = r.line_items::jsonb, subtotal = r.subtotal, shipping_cost = r.shipping_cost,
                       total = r.total, amount_paid = r.amount_paid, shipping_address = r.shipping_address::jsonb,
                       placed_at = r.placed_at, paid_at = r.paid_at, shipped_at = r.shipped_at,
                       delivered_at = r.delivered_at, cancelled_at = r.cancelled_at, version = r.version,
                       last_position = r.last_position, currency = r.currency
                  FROM %s
                 WHERE t.id = r.id AND t.version = r.loaded_version
                """.formatted(ROWS);
    }

    /**
     * A read model in a new, empty table of the {@code order_projections} shape (dropped first if
     * it exists) with its checkpoint at position 0: for benchmarks and tests that project the
     * feed from the start without touching the live read model.
     */
    public static PostgresOrderProjectionStore fresh(DataSource dataSource, OrderEventRegistry registry, String name,
                                                     String table) {
        PostgresOrderProjectionStore store = new PostgresOrderProjectionStore(dataSource, registry, name, table,
                connection -> { });
        try (Connection connection = dataSource.getConnection();
             java.sql.Statement statement = connection.createStatement();
             PreparedStatement reset = connection.prepareStatement("DELETE FROM projection_positions WHERE name = ?")) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("CREATE TABLE " + table + " (LIKE " + TABLE + " INCLUDING ALL)");
            reset.setString(1, name);
            reset.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("create the read model table " + table, e);
        }
        return store;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String projection() {
        return operatorsProjection;
    }

    public String table() {
        return table;
    }

    @Override
    public ProjectionState state() {
        try (Connection connection = dataSource.getConnection()) {
            ensureCheckpoint(connection);
            try (PreparedStatement statement = connection.prepareStatement(READ_CHECKPOINT)) {
                statement.setString(1, name);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    long failed = row.getLong(3);
                    OptionalLong failedPosition = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(failed);
                    return new ProjectionState(name, row.getLong(1), ProjectionStatus.fromWords(row.getString(2)),
                            failedPosition, row.getString(4));
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the checkpoint of projection " + name, e);
        }
    }

    private void ensureCheckpoint(Connection connection) throws SQLException {
        if (checkpointExists) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(ENSURE_CHECKPOINT)) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
        checkpointExists = true;
    }

    @Override
    public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
        return inTransaction("apply a batch of projection " + name, connection -> {
            ApplyResult result = applyInTransaction(connection, expectedPosition, events, nextPosition);
            beforeCommit.run(connection);
            return result;
        });
    }

    private ApplyResult applyInTransaction(Connection connection, long expectedPosition, List<RecordedEvent> events,
                                           long nextPosition) throws SQLException {
        requireCheckpointAt(connection, expectedPosition);
        PostgresParkingPlace.Holds holds = parking.holdsFor(connection, events);
        List<RecordedEvent> handled = new ArrayList<>();
        List<RecordedEvent> behind = new ArrayList<>();
        for (RecordedEvent event : events) {
            if (!holds.parkedStreams().contains(event.streamId())) {
                handled.add(event);
            } else if (!holds.skippedPositions().contains(event.position())) {
                // A skipped event behind a parked head is left out: the resume honours the skip in order.
                behind.add(event);
            }
        }
        Fold fold = new Fold(load(connection, handled));
        for (RecordedEvent event : handled) {
            if (holds.skippedPositions().contains(event.position())) {
                fold.skip(event);
            } else {
                fold.apply(event);
            }
        }
        fold.write(connection);
        parking.park(connection, behind, null);
        moveCheckpoint(connection, nextPosition);
        return new ApplyResult(fold.applied, fold.alreadyApplied, behind.size());
    }

    private void moveCheckpoint(Connection connection, long position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MOVE_CHECKPOINT)) {
            statement.setLong(1, position);
            statement.setString(2, name);
            statement.executeUpdate();
        }
    }

    /** The rows of a batch's orders as its events change them, in memory until {@link #write}. */
    private final class Fold {
        private final Map<UUID, OrderRow> loaded;
        private final Map<UUID, OrderRow> current;
        private int applied;
        private int alreadyApplied;

        Fold(Map<UUID, OrderRow> loaded) {
            this.loaded = loaded;
            this.current = new LinkedHashMap<>(loaded);
        }

        /** @throws ProjectionEventFailed when the handler throws on the event */
        void apply(RecordedEvent event) {
            UUID id = orderIdOf(event);
            OrderProjection.Change change;
            try {
                change = projection.apply(Optional.ofNullable(current.get(id)), event);
            } catch (RuntimeException handlerFailure) {
                throw new ProjectionEventFailed(event, handlerFailure);
            }
            switch (change) {
                case OrderProjection.Change.Apply apply -> {
                    current.put(id, apply.row());
                    applied++;
                }
                case OrderProjection.Change.AlreadyApplied ignored -> alreadyApplied++;
            }
        }

        /** An event an operator skipped: the row moves past it unchanged. */
        void skip(RecordedEvent event) {
            UUID id = orderIdOf(event);
            try {
                projection.skip(Optional.ofNullable(current.get(id)), event).ifPresent(row -> current.put(id, row));
            } catch (RuntimeException rowDoesNotFollow) {
                throw new ProjectionEventFailed(event, rowDoesNotFollow);
            }
        }

        void write(Connection connection) throws SQLException {
            PostgresOrderProjectionStore.this.write(connection, loaded, current);
        }
    }

    private void requireCheckpointAt(Connection connection, long expectedPosition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_CHECKPOINT)) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("projection " + name + " has no checkpoint row");
                }
                long actual = row.getLong(1);
                if (actual != expectedPosition) {
                    throw new CheckpointMoved(name, expectedPosition, actual);
                }
            }
        }
    }

    private Map<UUID, OrderRow> load(Connection connection, List<RecordedEvent> events) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (RecordedEvent event : events) {
            ids.add(orderIdOf(event));
        }
        Map<UUID, OrderRow> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        try (PreparedStatement statement = connection.prepareStatement(loadRows)) {
            plannedWithValues(statement);
            statement.setArray(1, connection.createArrayOf("uuid", ids.stream().distinct().toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    OrderRow row = rowOf(result);
                    rows.put(row.order().id().value(), row);
                }
            }
        }
        return rows;
    }

    /** Inserts new rows and updates changed ones, each update guarded by the version the row was loaded at. */
    private void write(Connection connection, Map<UUID, OrderRow> loaded, Map<UUID, OrderRow> current) throws SQLException {
        RowArrays inserts = new RowArrays();
        RowArrays updates = new RowArrays();
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
            try (PreparedStatement insert = connection.prepareStatement(insertRow)) {
                inserts.bind(connection, insert);
                insert.executeUpdate();
            }
        }
        if (updates.size() > 0) {
            try (PreparedStatement update = connection.prepareStatement(updateRow)) {
                updates.bind(connection, update);
                int updated = update.executeUpdate();
                if (updated != updates.size()) {
                    throw new IllegalStateException((updates.size() - updated) + " order(s) in " + table
                            + " changed under projection " + name + " (version guard); the batch was rolled back");
                }
            }
        }
    }

    /*
     * A generic plan made while the table was small (a fresh rebuild table) would scan it whole
     * for ever after; planned with its values and the table's current size, it uses the primary key.
     */
    private static void plannedWithValues(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    /** Rows to write, one list per column, bound as arrays to {@link #ROWS}. */
    private static final class RowArrays {
        private final List<List<Object>> columns = new ArrayList<>();
        private static final String[] TYPES = {"uuid", "text", "text", "text", "text", "numeric", "numeric", "numeric",
                "numeric", "text", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "int8",
                "int8", "int8", "text"};

        RowArrays() {
            for (int i = 0; i < TYPES.length; i++) {
                columns.add(new ArrayList<>());
            }
        }

        int size() {
            return columns.getFirst().size();
        }

        void add(OrderRow row, long loadedVersion) {
            Order order = row.order();
            Object[] values = {order.id().value(), order.orderNumber(), order.customerId().value(),
                    order.status().inWords(), lineItemsJson(order.lineItems()), order.subtotal().amount(),
                    order.shippingCost().amount(), order.total().amount(), order.amountPaid().amount(),
                    addressJson(order.shippingAddress()), timestamp(order.placedAt()),
                    timestamp(order.paidAt().orElse(null)), timestamp(order.shippedAt().orElse(null)),
                    timestamp(order.deliveredAt().orElse(null)), timestamp(order.cancelledAt().orElse(null)),
                    row.version(), row.lastPosition(), loadedVersion, order.currency().getCurrencyCode()};
            for (int i = 0; i < values.length; i++) {
                columns.get(i).add(values[i]);
            }
        }

        void bind(Connection connection, PreparedStatement statement) throws SQLException {
            for (int i = 0; i < TYPES.length; i++) {
                statement.setArray(i + 1, connection.createArrayOf(TYPES[i], columns.get(i).toArray()));
            }
        }

        /** ISO-8601 text, truncated (not rounded, as PostgreSQL would) to the microsecond. */
        private static String timestamp(Instant instant) {
            return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
        }
    }

    @Override
    public void markFailed(long expectedPosition, RecordedEvent event, String error) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(MARK_FAILED)) {
            statement.setLong(1, event.position());
            statement.setString(2, error);
            statement.setString(3, name);
            statement.setLong(4, expectedPosition);
            if (statement.executeUpdate() == 0) {
                throw new CheckpointMoved(name, expectedPosition, state().position());
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("mark projection " + name + " failed", e);
        }
    }

    @Override
    public void park(long expectedPosition, RecordedEvent event, String error) {
        inTransaction("park a stream of projection " + name, connection -> {
            requireCheckpointAt(connection, expectedPosition);
            parking.park(connection, List.of(event), error);
            moveCheckpoint(connection, event.position());
            return null;
        });
    }

    @Override
    public void resume() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RESUME)) {
            statement.setString(1, name);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("resume projection " + name, e);
        }
    }

    @Override
    public long count() {
        return parking.count();
    }

    @Override
    public List<ParkedStream> list(int limit) {
        return parking.list(limit);
    }

    @Override
    public Optional<ParkedStream> find(String streamId) {
        return parking.find(streamId);
    }

    /** Replays one page of a parked stream per transaction, so a long one never holds the checkpoint for long. */
    @Override
    public Resumed resume(String streamId, String resumedBy) {
        int applied = 0;
        for (boolean first = true; ; first = false) {
            boolean firstPage = first;
            ResumedPage page = inTransaction("resume stream " + streamId + " of projection " + name,
                    connection -> resumePage(connection, streamId, resumedBy, firstPage));
            applied += page.applied();
            if (!page.more()) {
                return new Resumed(streamId, applied, parking.find(streamId));
            }
        }
    }

    private record ResumedPage(int applied, boolean more) {
    }

    private ResumedPage resumePage(Connection connection, String streamId, String resumedBy, boolean firstPage)
            throws SQLException {
        lockCheckpoint(connection);
        List<PostgresParkingPlace.Replay> replays = parking.replay(connection, streamId, RESUME_PAGE);
        if (replays.isEmpty()) {
            if (firstPage) {
                throw new NotParked(operatorsProjection, streamId);
            }
            return new ResumedPage(0, false);
        }
        List<RecordedEvent> events = replays.stream().map(PostgresParkingPlace.Replay::event).toList();
        Fold fold;
        try {
            fold = new Fold(load(connection, events));
        } catch (ProjectionEventFailed notAnOrder) {
            parking.recordError(connection, notAnOrder.event().position(), errorOf(notAnOrder));
            return new ResumedPage(0, false);
        }
        List<Long> released = new ArrayList<>();
        boolean failed = false;
        for (PostgresParkingPlace.Replay replay : replays) {
            try {
                if (replay.skipped()) {
                    fold.skip(replay.event());
                } else {
                    fold.apply(replay.event());
                    released.add(replay.event().position());
                }
            } catch (ProjectionEventFailed stillFailing) {
                parking.recordError(connection, replay.event().position(), errorOf(stillFailing));
                failed = true;
                break;
            }
        }
        fold.write(connection);
        parking.applied(connection, released, resumedBy);
        return new ResumedPage(released.size(), !failed && replays.size() == RESUME_PAGE);
    }

    @Override
    public Skipped skip(String streamId, long position, Skip skip) {
        return inTransaction("skip an event of stream " + streamId + " of projection " + name, connection -> {
            lockCheckpoint(connection);
            ParkedStream parked = parking.find(connection, streamId)
                    .orElseThrow(() -> new NotParked(operatorsProjection, streamId));
            if (parked.head().position() != position) {
                throw new HeadMoved(streamId, position, parked.head().position());
            }
            parking.skipped(connection, position, skip);
            moveRowPast(connection, parked.head().streamId(), parked.head().version());
            return new Skipped(parked.head(), skip, parking.find(connection, streamId));
        });
    }

    /** The row of the stream's order at {@code version}, unchanged, if it was right before it. */
    private void moveRowPast(Connection connection, String streamId, long version) throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(streamId.substring(streamId.indexOf('-') + 1));
        } catch (IllegalArgumentException notAnOrderStream) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE " + table + " SET version = ? WHERE id = ? AND version = ?")) {
            statement.setLong(1, version);
            statement.setObject(2, id);
            statement.setLong(3, version - 1);
            statement.executeUpdate();
        }
    }

    private void lockCheckpoint(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_CHECKPOINT)) {
            statement.setString(1, name);
            statement.executeQuery().close();
        }
    }

    private static String errorOf(ProjectionEventFailed failed) {
        Throwable cause = failed.getCause() == null ? failed : failed.getCause();
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @FunctionalInterface
    private interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T inTransaction(String action, TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            ensureCheckpoint(connection);
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

    @Override
    public OrderListPage list(OrderListQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(table).append(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        query.status().ifPresent(status -> {
            sql.append(" AND status = ?");
            parameters.add(status.inWords());
        });
        query.customerId().ifPresent(customer -> {
            sql.append(" AND customer_id = ?");
            parameters.add(customer);
        });
        query.after().ifPresent(cursor -> {
            sql.append(" AND (placed_at, id) < (?, ?)");
            parameters.add(cursor.placedAt().atOffset(ZoneOffset.UTC));
            parameters.add(cursor.id());
        });
        sql.append(" ORDER BY placed_at DESC, id DESC LIMIT ?");
        parameters.add(query.limit() + 1);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<OrderRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(rowOf(result));
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
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?")) {
            statement.setObject(1, orderId.value());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(rowOf(result)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("read order " + orderId + " from the read model", e);
        }
    }

    /** Every row of the read model, for reconciliation. */
    public List<OrderRow> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table)) {
            List<OrderRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(rowOf(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw PostgresFailures.translate("read the read model " + table, e);
        }
    }

    @Override
    public long appliedPosition() {
        return state().position();
    }

    private static OrderRow rowOf(ResultSet row) throws SQLException {
        Order order = new Order(
                new OrderId(row.getObject(1, UUID.class)),
                row.getString(2),
                new CustomerId(row.getString(3)),
                statusOf(row.getString(4)),
                lineItemsOf(row.getString(5)),
                new Money(row.getBigDecimal(6)),
                new Money(row.getBigDecimal(7)),
                new Money(row.getBigDecimal(8)),
                Currency.getInstance(row.getString(18)),
                addressOf(row.getString(10)),
                instant(row, 11),
                Optional.ofNullable(instant(row, 12)),
                Optional.ofNullable(instant(row, 13)),
                Optional.ofNullable(instant(row, 14)),
                Optional.ofNullable(instant(row, 15)),
                new Money(row.getBigDecimal(9)),
                row.getLong(16));
        return new OrderRow(order, row.getLong(17));
    }

    private static Instant instant(ResultSet row, int index) throws SQLException {
        OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OrderStatus statusOf(String words) {
        return OrderStatus.valueOf(words.toUpperCase(java.util.Locale.ROOT).replace(' ', '_'));
    }

    private static String lineItemsJson(List<LineItem> items) {
        ArrayNode array = JSON.createArrayNode();
        for (LineItem item : items) {
            ObjectNode node = array.addObject();
            node.put("productId", item.productId());
            node.put("sku", item.sku());
            node.put("name", item.name());
            node.put("quantity", item.quantity());
            node.put("unitPrice", item.unitPrice().amount());
        }
        return array.toString();
    }

    private static List<LineItem> lineItemsOf(String json) {
        List<LineItem> items = new ArrayList<>();
        for (JsonNode node : parse(json)) {
            items.add(new LineItem(node.get("productId").asText(), node.get("sku").asText(), node.get("name").asText(),
                    node.get("quantity").asInt(), new Money(node.get("unitPrice").decimalValue())));
        }
        return items;
    }

    private static String addressJson(ShippingAddress address) {
        ObjectNode node = JSON.createObjectNode();
        node.put("line1", address.line1());
        node.put("city", address.city());
        node.put("country", address.country());
        node.put("postalCode", address.postalCode());
        return node.toString();
    }

    private static ShippingAddress addressOf(String json) {
        JsonNode node = parse(json);
        return new ShippingAddress(node.get("line1").asText(), node.get("city").asText(), node.get("country").asText(),
                node.get("postalCode").asText());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the read model holds JSON it cannot read: " + e.getOriginalMessage(), e);
        }
    }

    private static UUID orderIdOf(RecordedEvent event) {
        String stream = event.streamId();
        try {
            return UUID.fromString(stream.substring(stream.indexOf('-') + 1));
        } catch (IllegalArgumentException notAnOrderStream) {
            throw new ProjectionEventFailed(event, notAnOrderStream);
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
