package org.pgeventstore.adapters.postgres;

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
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderListPage;
import org.pgeventstore.application.order.readmodel.OrderListQuery;
import org.pgeventstore.application.order.readmodel.OrderProjection;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionEventFailed;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ProjectionStore;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.postgresql.PGStatement;

/**
 * The order read model in the two tables of {@link OrderReadModelTables}, with its checkpoint in
 * {@code projection_positions}, whose row also names the live table. {@link #apply} is one JDBC
 * transaction: lock the checkpoint row, check it is where the batch was read from, load the
 * batch's orders from the live table, fold the events with {@link OrderProjection}, write each
 * changed row guarded by the version it was loaded at, move the checkpoint, commit. Two runners
 * serialise on the checkpoint row and the second one's batch is refused whole
 * ({@link CheckpointMoved}); a rebuild's swap takes the same row lock, so a batch writes to the
 * table that is live when it commits.
 *
 * <p>Its parking place ({@link ParkedStreams}) is {@code projection_parked_events}: a batch parks
 * the events of parked streams in the same transaction, and resumes and skips lock the checkpoint
 * row first too, so all of them are serialised with the batches.
 *
 * <p>Reads pick the live table in the same statement as the rows. Timestamps are kept to the
 * microsecond, PostgreSQL's resolution, truncated.
 */
public final class PostgresOrderProjectionStore implements ProjectionStore, OrderReadModel, ParkedStreams {

    /** The live order read model: its tables are {@code order_projections_blue} and {@code _green}. */
    public static final String TABLE = "order_projections";

    /** Waiting events replayed per transaction of a resume. */
    private static final int RESUME_PAGE = 500;

    private static final String ENSURE_CHECKPOINT = """
            INSERT INTO projection_positions (name, read_model) VALUES (?, ?) ON CONFLICT (name) DO NOTHING
            """;
    private static final String READ_CHECKPOINT = """
            SELECT position, status, failed_position, last_error FROM projection_positions WHERE name = ?
            """;
    private static final String LOCK_CHECKPOINT = """
            SELECT position, read_model FROM projection_positions WHERE name = ? FOR UPDATE
            """;
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
    private final OrderReadModelTables tables;
    private final OrderProjection projection;
    private final PostgresParkingPlace parking;
    private final BeforeCommit beforeCommit;
    private final String findRow;
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
     * @param name the checkpoint's name in {@code projection_positions} ({@code [a-z0-9_-]})
     * @param readModel the read model's name: its tables are {@code <readModel>_blue} and {@code _green}
     */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry, String name,
                                        String readModel, BeforeCommit beforeCommit) {
        this(dataSource, registry, name, name, readModel, beforeCommit);
    }

    /**
     * @param name the checkpoint's name in {@code projection_positions} ({@code [a-z0-9_-]})
     * @param projection the projection operators know it by (see {@link ProjectionStore#projection()})
     * @param readModel the read model's name: its tables are {@code <readModel>_blue} and {@code _green}
     */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry, String name,
                                        String projection, String readModel, BeforeCommit beforeCommit) {
        this.dataSource = dataSource;
        this.name = name;
        this.operatorsProjection = projection;
        this.tables = new OrderReadModelTables(readModel, name);
        this.projection = new OrderProjection(registry);
        this.parking = new PostgresParkingPlace(dataSource, name, projection);
        this.beforeCommit = beforeCommit;
        this.findRow = tables.overLive("SELECT " + OrderReadModelTables.COLUMNS + " FROM %1$s WHERE %2$s AND id = ?");
    }

    /**
     * A read model in new, empty tables (dropped first if they exist) with its checkpoint at
     * position 0: for benchmarks and tests that project the feed from the start without touching
     * the live read model. {@link #tablesOf} names the tables to drop afterwards.
     */
    public static PostgresOrderProjectionStore fresh(DataSource dataSource, OrderEventRegistry registry, String name,
                                                     String readModel) {
        PostgresOrderProjectionStore store = new PostgresOrderProjectionStore(dataSource, registry, name, readModel,
                connection -> { });
        OrderReadModelTables.create(dataSource, readModel);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement reset = connection.prepareStatement("DELETE FROM projection_positions WHERE name = ?")) {
            reset.setString(1, name);
            reset.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("reset the checkpoint of " + name, e);
        }
        return store;
    }

    /** The tables of the read model {@code readModel}. */
    public static List<String> tablesOf(String readModel) {
        return OrderReadModelTables.of(readModel);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String projection() {
        return operatorsProjection;
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
            statement.setString(2, tables.live(null));
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
        String table = lockCheckpoint(connection, OptionalLong.of(expectedPosition));
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
        Fold fold = new Fold(table, load(connection, table, handled));
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

    /**
     * Locks the checkpoint row, so that batches, resumes, skips and a rebuild's swap of this
     * projection never overlap, and answers the live table.
     *
     * @throws CheckpointMoved when {@code expectedPosition} is given and the checkpoint is elsewhere
     */
    private String lockCheckpoint(Connection connection, OptionalLong expectedPosition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_CHECKPOINT)) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("projection " + name + " has no checkpoint row");
                }
                long actual = row.getLong(1);
                if (expectedPosition.isPresent() && actual != expectedPosition.getAsLong()) {
                    throw new CheckpointMoved(name, expectedPosition.getAsLong(), actual);
                }
                return tables.live(row.getString(2));
            }
        }
    }

    private void moveCheckpoint(Connection connection, long position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MOVE_CHECKPOINT)) {
            statement.setLong(1, position);
            statement.setString(2, name);
            statement.executeUpdate();
        }
    }

    /** The rows of some orders as events change them, in memory until {@link #write}. */
    private final class Fold {
        private final String table;
        private final Map<UUID, OrderRow> loaded;
        private final Map<UUID, OrderRow> current;
        private int applied;
        private int alreadyApplied;

        Fold(String table, Map<UUID, OrderRow> loaded) {
            this.table = table;
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

        /** Inserts new rows and updates changed ones, each update guarded by the version the row was loaded at. */
        void write(Connection connection) throws SQLException {
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
                                + " changed under projection " + name + " (version guard); the batch was rolled back");
                    }
                }
            }
        }
    }

    private Map<UUID, OrderRow> load(Connection connection, String table, List<RecordedEvent> events)
            throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (RecordedEvent event : events) {
            ids.add(orderIdOf(event));
        }
        Map<UUID, OrderRow> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
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
        return rows;
    }

    /*
     * A generic plan made while the table was small (a freshly emptied rebuild table) would scan it
     * whole for ever after; planned with its values and the table's current size, it uses the primary key.
     */
    private static void plannedWithValues(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
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
            lockCheckpoint(connection, OptionalLong.of(expectedPosition));
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

    @Override
    public List<Long> skipped(String streamId) {
        return parking.skipped(streamId);
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
        String table = lockCheckpoint(connection, OptionalLong.empty());
        List<PostgresParkingPlace.Replay> replays = parking.replay(connection, streamId, RESUME_PAGE);
        if (replays.isEmpty()) {
            if (firstPage) {
                throw new NotParked(operatorsProjection, streamId);
            }
            return new ResumedPage(0, false);
        }
        Fold fold;
        try {
            fold = new Fold(table, load(connection, table, replays.stream().map(PostgresParkingPlace.Replay::event).toList()));
        } catch (ProjectionEventFailed notAnOrder) {
            parking.recordError(connection, notAnOrder.event().position(), notAnOrder.error());
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
                parking.recordError(connection, replay.event().position(), stillFailing.error());
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
            String table = lockCheckpoint(connection, OptionalLong.empty());
            ParkedStream parked = parking.find(connection, streamId)
                    .orElseThrow(() -> new NotParked(operatorsProjection, streamId));
            if (parked.head().position() != position) {
                throw new HeadMoved(streamId, position, parked.head().position());
            }
            parking.skipped(connection, position, skip);
            moveRowPast(connection, table, streamId, parked.head().version());
            return new Skipped(parked.head(), skip, parking.find(connection, streamId));
        });
    }

    /** The row of the stream's order at {@code version}, unchanged, if it was right before it. */
    private static void moveRowPast(Connection connection, String table, String streamId, long version)
            throws SQLException {
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
        return state().position();
    }

    private static UUID orderIdOf(RecordedEvent event) {
        String stream = event.streamId();
        try {
            return UUID.fromString(stream.substring(stream.indexOf('-') + 1));
        } catch (IllegalArgumentException notAnOrderStream) {
            throw new ProjectionEventFailed(event, notAnOrderStream);
        }
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
