package org.pgeventstore.adapters.postgres.order;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.projection.PostgresProjection;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.projection.ReadModelTables;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.application.order.readmodel.OrderListPage;
import org.pgeventstore.application.order.readmodel.OrderListQuery;
import org.pgeventstore.application.order.readmodel.OrderProjection;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStore;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order projection assembled: the generic checkpoint and parking place
 * ({@link PostgresProjectionCheckpoints}) writing the order rows ({@link PostgresOrderReadModel}),
 * seen as the one object the runner, the operator and the reads each take a side of.
 */
public final class PostgresOrderProjectionStore implements ProjectionStore, OrderReadModel, ParkedStreams {

    /** The live order read model: its tables are {@code order_projections_blue} and {@code _green}. */
    public static final String TABLE = "order_projections";

    private final PostgresProjectionCheckpoints checkpoints;
    private final PostgresOrderReadModel rows;

    /** The live order read model: projection {@value OrderProjection#NAME} in {@value #TABLE}. */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry) {
        this(dataSource, registry, OrderProjection.NAME, TABLE, PostgresProjectionCheckpoints.BeforeCommit.NOTHING);
    }

    /**
     * @param name the checkpoint's name in {@code projection_positions} ({@code [a-z0-9_-]})
     * @param readModel the read model's name: its tables are {@code <readModel>_blue} and {@code _green}
     */
    public PostgresOrderProjectionStore(DataSource dataSource, OrderEventRegistry registry, String name,
                                        String readModel, PostgresProjectionCheckpoints.BeforeCommit beforeCommit) {
        PostgresProjection projection = projection(dataSource, registry, name, readModel);
        this.rows = (PostgresOrderReadModel) projection.writer();
        this.checkpoints = new PostgresProjectionCheckpoints(dataSource, name, name, projection.tables(), rows,
                beforeCommit);
    }

    /** The live order projection as the generic machinery runs it. */
    public static PostgresProjection projection(DataSource dataSource, OrderEventRegistry registry) {
        return projection(dataSource, registry, OrderProjection.NAME, TABLE);
    }

    /** The order projection of checkpoint {@code name}, over the order events, in read model {@code readModel}. */
    public static PostgresProjection projection(DataSource dataSource, OrderEventRegistry registry, String name,
                                                String readModel) {
        ReadModelTables tables = new ReadModelTables(readModel, name);
        return new PostgresProjection(name, OrderStreams.CATEGORY, tables,
                new PostgresOrderReadModel(dataSource, registry, tables));
    }

    /**
     * A read model in new, empty tables (dropped first if they exist) with its checkpoint at
     * position 0: for benchmarks and tests that project the feed from the start without touching
     * the live read model. {@link #tablesOf} names the tables to drop afterwards.
     */
    public static PostgresOrderProjectionStore fresh(DataSource dataSource, OrderEventRegistry registry, String name,
                                                     String readModel) {
        PostgresOrderProjectionStore store = new PostgresOrderProjectionStore(dataSource, registry, name, readModel,
                PostgresProjectionCheckpoints.BeforeCommit.NOTHING);
        OrderReadModelTables.create(dataSource, readModel);
        PostgresProjectionCheckpoints.reset(dataSource, name);
        return store;
    }

    /** The tables of the read model {@code readModel}. */
    public static List<String> tablesOf(String readModel) {
        return ReadModelTables.of(readModel);
    }

    @Override
    public String name() {
        return checkpoints.name();
    }

    @Override
    public ProjectionState state() {
        return checkpoints.state();
    }

    @Override
    public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
        return checkpoints.apply(expectedPosition, events, nextPosition);
    }

    @Override
    public void markFailed(long expectedPosition, RecordedEvent event, String error) {
        checkpoints.markFailed(expectedPosition, event, error);
    }

    @Override
    public void park(long expectedPosition, RecordedEvent event, String error) {
        checkpoints.park(expectedPosition, event, error);
    }

    @Override
    public void resume() {
        checkpoints.resume();
    }

    @Override
    public long count() {
        return checkpoints.count();
    }

    @Override
    public List<ParkedStream> list(int limit) {
        return checkpoints.list(limit);
    }

    @Override
    public Optional<ParkedStream> find(String streamId) {
        return checkpoints.find(streamId);
    }

    @Override
    public List<Long> skipped(String streamId) {
        return checkpoints.skipped(streamId);
    }

    @Override
    public Resumed resume(String streamId, String resumedBy) {
        return checkpoints.resume(streamId, resumedBy);
    }

    @Override
    public Skipped skip(String streamId, long position, Skip skip) {
        return checkpoints.skip(streamId, position, skip);
    }

    @Override
    public OrderListPage list(OrderListQuery query) {
        return rows.list(query);
    }

    @Override
    public Optional<OrderRow> find(OrderId orderId) {
        return rows.find(orderId);
    }

    @Override
    public long appliedPosition() {
        return checkpoints.state().position();
    }
}
