package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.projection.ProjectionRunner;

/**
 * The append path wakes the feed readers ({@link FeedNotifications}): a successful command wakes
 * this instance's runner. The runner polls only hourly here, so nothing but the wake-up can bring the order into the read model
 * within the read-your-writes wait.
 */
class ProjectionWakeUpTest {

    /** Whether the runner's thread waits for a signal, after a read of the feed that found nothing new. */
    static boolean waitingForSignal(ProjectionRunner runner) {
        return runner.isActive() && Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals("projection-" + runner.name()))
                .anyMatch(thread -> Arrays.stream(thread.getValue()).anyMatch(frame ->
                        frame.getClassName().endsWith(".AppendSignal") && frame.getMethodName().equals("await")));
    }

    @Test
    @DisplayName("with an hourly poll, an order placed over HTTP is in the read model within the read-your-writes "
            + "wait: the command's response woke the runner")
    void commandWakesTheRunner() {
        var server = PostgresTestDatabase.shared();
        try (var database = ScratchDatabase.create("wake_up");
             EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                     "datasources.default.url", database.jdbcUrl(),
                     "datasources.default.username", server.username(),
                     "datasources.default.password", server.password(),
                     "micronaut.server.port", "-1",
                     "eventstore.projections.poll-interval", "1h",
                     "eventstore.projections.read-your-writes-timeout", "5s"))) {
            ProjectionRunner runner = service.getApplicationContext().getBean(ProjectionService.class).orderRunner();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (!waitingForSignal(runner)) {
                    Thread.sleep(10);
                }
            }, "the runner reads the empty feed and waits");
            ApiClient api = new ApiClient(service.getURI());

            var placed = api.postJson("/api/orders", """
                    {"customerId": "woken",
                     "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                     "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                    """);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);

            var page = api.get("/api/orders?customerId=woken&minPosition=" + placed.json().get("position").asLong());
            assertThat(page.status()).as("read within the wait, not after an hour: %s", page.body()).isEqualTo(200);
            assertThat(page.json().get("items")).hasSize(1);
            assertThat(runner.appliedEvents()).isEqualTo(1);
        }
    }
}
