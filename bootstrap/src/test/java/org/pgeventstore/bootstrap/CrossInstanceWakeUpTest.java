package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.projection.ProjectionRunner;

/**
 * Two service instances on one database, polling only every minute: what an append through one
 * does in the other can only be the notification's doing, and arrives within 2 s.
 */
class CrossInstanceWakeUpTest {

    private static final String PLACE = """
            {"customerId": "%s",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;

    static EmbeddedServer instance(ScratchDatabase database, Map<String, String> extra) {
        var server = PostgresTestDatabase.shared();
        Map<String, Object> properties = new HashMap<>(Map.of(
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", server.username(),
                "datasources.default.password", server.password(),
                "micronaut.server.port", "-1",
                "eventstore.admin-key", ApiClient.TEST_ADMIN_KEY,
                "eventstore.projections.poll-interval", "60s",
                "eventstore.projections.read-your-writes-timeout", "5s"));
        properties.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    static void awaitListening(EmbeddedServer instance) {
        FeedNotifications notifications = instance.getApplicationContext().getBean(FeedNotifications.class);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!notifications.listener().orElseThrow().connected()) {
                Thread.sleep(10);
            }
        }, "the instance listens for notifications");
    }

    private static void append(EmbeddedServer instance, String stream) {
        var reply = new ApiClient(instance.getURI()).postJson("/api/streams/" + stream + "/events",
                "{\"events\": [{\"type\": \"Woke\", \"data\": {}}]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    @DisplayName("an append through instance A raises instance B's signal within 2 s, and B's projection runner, woken by "
            + "it, applies an order placed through A within the read-your-writes wait")
    void appendInOneInstanceWakesTheOther() throws Exception {
        try (var database = ScratchDatabase.create("cross_wake");
             EmbeddedServer b = instance(database, Map.of())) {
            ProjectionRunner runnerOfB = b.getApplicationContext().getBean(ProjectionService.class).orderRunner();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (!ProjectionWakeUpTest.waitingForSignal(runnerOfB)) {
                    Thread.sleep(10);
                }
            }, "B holds the order projection's lease and waits for a signal");
            try (EmbeddedServer a = instance(database, Map.of())) {
                awaitListening(b);
                AppendSignal signalOfB = b.getApplicationContext().getBean(AppendSignal.class);
                for (int round = 0; round < 5; round++) {
                    long seen = signalOfB.generation();
                    append(a, "cross-wake-" + round);
                    assertThat(signalOfB.await(seen, Duration.ofSeconds(2))).as("round %d: B woken within 2 s", round)
                            .isTrue();
                }

                var placed = new ApiClient(a.getURI()).postJson("/api/orders", PLACE.formatted("cross-woken"));
                assertThat(placed.status()).as(placed.body()).isEqualTo(201);
                long position = placed.json().get("position").asLong();
                var page = new ApiClient(a.getURI()).get("/api/orders?customerId=cross-woken&minPosition=" + position);
                assertThat(page.status()).as("B's runner applied it within the wait, not after a minute: %s", page.body())
                        .isEqualTo(200);
                assertThat(page.json().get("items")).hasSize(1);
                assertThat(runnerOfB.appliedEvents()).isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("with notifications disabled in B, an append through A does not wake B: B finds it only by polling")
    void withoutNotificationsOnlyPolling() throws Exception {
        try (var database = ScratchDatabase.create("cross_nowake");
             EmbeddedServer a = instance(database, Map.of());
             EmbeddedServer b = instance(database, Map.of("eventstore.feed.notifications.enabled", "false"))) {
            awaitListening(a);
            AppendSignal signalOfB = b.getApplicationContext().getBean(AppendSignal.class);
            AppendSignal signalOfA = a.getApplicationContext().getBean(AppendSignal.class);
            long seenByB = signalOfB.generation();
            long seenByA = signalOfA.generation();
            append(a, "cross-nowake");
            assertThat(signalOfA.await(seenByA, Duration.ofSeconds(2))).as("A's own readers are woken").isTrue();
            assertThat(signalOfB.await(seenByB, Duration.ofSeconds(2))).as("nothing tells B").isFalse();
        }
    }
}
