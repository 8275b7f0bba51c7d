package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.order.PostgresOrderProjectionStore;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.FailurePolicy;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.projection.ProjectionRunner;
import org.pgeventstore.application.projection.ProjectionSettings;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPlaced;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShippingAddress;

/**
 * Events the order handler cannot apply, on real PostgreSQL: a placement stored in a stream that is
 * not its order's. They live in a category of their own, so the other tests' projections never
 * read them.
 */
class ProjectionFailureTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final EventStore store = new PostgresEventStore(database.dataSource());
    private final String category = "broken" + UUID.randomUUID().toString().replace("-", "");
    private HikariDataSource pool;
    private ProjectionTables tables;

    @BeforeEach
    void setUp() {
        pool = database.newPool(3);
        tables = new ProjectionTables(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        tables.execute("DELETE FROM projection_parked_events WHERE projection = '" + tables.name + "'");
        tables.close();
        pool.close();
    }

    private List<AppendResult> appendMisplacedOrders(int count) {
        List<AppendResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrderId id = new OrderId(UUID.randomUUID());
            OrderPlaced placed = new OrderPlaced(id, "ORD-" + i, new CustomerId("c"),
                    List.of(new LineItem("p", "SKU", "Mug", 1, Money.of("10.00"))),
                    new ShippingAddress("1 Main St", "Springfield", "US", "12345"),
                    Money.of("10.00"), Money.of("5.00"), Money.of("15.00"), PlaceOrder.DEFAULT_CURRENCY, Instant.now());
            results.add(store.append(StreamId.of(category + "-" + id), ExpectedVersion.NO_STREAM,
                    List.of(registry.toNewEvent(placed, UUID.randomUUID(), "{}"))));
        }
        return results;
    }

    private ProjectionRunner runner(PostgresOrderProjectionStore projection, FailurePolicy policy) {
        return new ProjectionRunner(projection, new PostgresEventStore(pool), EventFilter.category(category),
                ProjectionSettings.DEFAULT.withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5), policy),
                ProjectionLeases.UNCONTENDED, new AppendSignal());
    }

    @Test
    @DisplayName("after N tries the projection stops at the event, failed, naming it; resume clears it and it is tried again")
    void stopsAndResumes() {
        long first = appendMisplacedOrders(2).getFirst().firstPosition();
        PostgresOrderProjectionStore projection = tables.store(pool);
        ProjectionRunner runner = runner(projection, FailurePolicy.STOP);

        assertThat(runner.catchUp()).isZero();

        ProjectionState failed = projection.state();
        assertThat(failed.status()).isEqualTo(ProjectionStatus.FAILED);
        assertThat(failed.position()).as("nothing skipped").isZero();
        assertThat(failed.failedPosition()).hasValue(first);
        assertThat(failed.lastError()).contains("CorruptEvent", "another order's stream");
        assertThat(runner.failures()).isEqualTo(1);

        projection.resume();
        assertThat(projection.state().status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(projection.state().failedPosition()).isEmpty();
        runner.catchUp();
        assertThat(projection.state().status()).as("still broken, so failed again").isEqualTo(ProjectionStatus.FAILED);
        assertThat(runner.failures()).isEqualTo(2);
    }

    @Test
    @DisplayName("with the park policy each such event parks its own stream, kept in projection_parked_events, and the checkpoint moves past it")
    void parks() throws Exception {
        List<AppendResult> appended = appendMisplacedOrders(2);
        PostgresOrderProjectionStore projection = tables.store(pool);
        ProjectionRunner runner = runner(projection, FailurePolicy.PARK);

        runner.catchUp();

        assertThat(projection.state().status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(projection.state().position()).isEqualTo(appended.getLast().lastPosition());
        List<Long> parked = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT position, error FROM projection_parked_events
                      WHERE projection = ? AND outcome IS NULL ORDER BY position""")) {
            statement.setString(1, tables.name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parked.add(rows.getLong(1));
                    assertThat(rows.getString(2)).contains("another order's stream");
                }
            }
        }
        assertThat(parked).containsExactly(appended.get(0).firstPosition(), appended.get(1).firstPosition());
        assertThat(projection.count()).isEqualTo(2);
        assertThat(runner.failures()).isEqualTo(2);
    }
}
