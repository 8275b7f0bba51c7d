package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/** What one batch of the order projection does on real PostgreSQL: its transaction and the rows it writes. */
class ProjectionBatchTransactionTest {

    private static final CommandContext CONTEXT = new CommandContext("corr", null, "test", OptionalLong.empty());

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private final OrderCommandHandler commands = new OrderCommandHandler(store, registry, ShippingPolicy.standard(),
            Clock.systemUTC());
    private final OrderQueries queries = new OrderQueries(store, registry);
    private HikariDataSource onePool;
    private ProjectionTables tables;

    @BeforeEach
    void setUp() {
        onePool = database.newPool(1);
        tables = new ProjectionTables(database.dataSource());
        // Only this test's orders: the checkpoint starts at the feed's head.
        tables.execute("INSERT INTO projection_positions (name, position) SELECT '" + tables.name
                + "', coalesce(max(position), 0) FROM events");
    }

    @AfterEach
    void tearDown() {
        tables.close();
        onePool.close();
    }

    private OrderId place(LineItem item, ShippingAddress address) {
        return commands.place(new NewOrder(new CustomerId("batch-tx"), List.of(item), address), CONTEXT,
                Optional.empty()).order().id();
    }

    private long catchUp(PostgresOrderProjectionStore projection) {
        ProjectionRunner runner = new ProjectionRunner(projection, new PostgresEventStore(database.dataSource()),
                EventFilter.category("order"), ProjectionSettings.DEFAULT.withBatchSize(2), ProjectionLeases.UNCONTENDED,
                new AppendSignal());
        return runner.catchUp();
    }

    private static String setting(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('synchronous_commit')")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    @DisplayName("a batch commits without waiting for its WAL flush, and the connection goes back to the pool synchronous")
    void batchCommitsAsynchronously() throws Exception {
        place(new LineItem("p-1", "SKU-1", "Mug", 1, Money.of("10.00")),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345"));
        try (Connection same = onePool.getConnection(); Statement statement = same.createStatement()) {
            // As the service's database runs; a test server may run with it off for speed.
            statement.execute("SET synchronous_commit = on");
        }
        List<String> inBatch = new ArrayList<>();
        PostgresOrderProjectionStore projection = tables.store(onePool, connection -> inBatch.add(setting(connection)));

        assertThat(catchUp(projection)).isEqualTo(1);

        assertThat(inBatch).as("synchronous_commit inside each batch's transaction").containsExactly("off");
        try (Connection same = onePool.getConnection()) {
            assertThat(setting(same)).as("after the batch, on the pool's only connection").isEqualTo("on");
        }
    }

    @Test
    @DisplayName("line items and addresses whose text needs quoting in an array literal are stored as they were written")
    void textThatNeedsQuotingRoundTrips() {
        String awkward = "Mug \"large\", 0.5\\l {blue} \u00e9\u00e8 \u2603 NULL";
        OrderId order = place(new LineItem("p-\"1\"", "SKU-{1,2}", awkward, 2, Money.of("12.50")),
                new ShippingAddress("1 \"Main\" St, \\ back", "Spring{field}", "US", "NULL"));
        commands.addItem(new AddItem(order, new LineItem("p-2", "SKU-2", "Tea \\\"towel\\\"", 1, Money.of("3.00"))),
                CONTEXT);
        PostgresOrderProjectionStore projection = tables.store(onePool);

        assertThat(catchUp(projection)).isEqualTo(2);

        assertThat(projection.find(order)).isPresent();
        assertThat(projection.find(order).get().order().lineItems().getFirst().name()).isEqualTo(awkward);
        assertThat(OrderReconciliation.differences(queries.current(order).order(), projection.find(order).get().order()))
                .isEmpty();
    }
}
