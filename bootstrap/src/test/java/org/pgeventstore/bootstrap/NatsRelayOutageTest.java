package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.nats.JetStreamSettings;
import org.pgeventstore.adapters.nats.NatsTestServer;
import org.pgeventstore.adapters.nats.OwnNatsServer;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.relay.EventRelay;

/**
 * The service with the relay on, a NATS server of the test's own killed and started again while
 * clients append over HTTP: every append is accepted throughout, the lag rises while NATS is
 * away and returns to 0 after, and the stream holds every event once, in feed order.
 */
class NatsRelayOutageTest {

    private static final int WRITERS = 4;

    private static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).tag("relay", RelayService.NAME).gauge().value();
    }

    private static void waitFor(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        assertTimeoutPreemptively(timeout, () -> {
            while (!condition.getAsBoolean()) {
                Thread.sleep(20);
            }
        }, what);
    }

    @Test
    @DisplayName("NATS killed and started again under load: appends go on, the lag rises then returns to 0, "
            + "nothing is lost or doubled")
    void natsOutageUnderLoad() throws Exception {
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (OwnNatsServer nats = new OwnNatsServer(); ScratchDatabase database = ScratchDatabase.create("relay_outage")) {
            JetStreamSettings stream = NatsTestServer.uniqueStream(nats.url(), "outage");
            Map<String, Object> properties = new HashMap<>(TestDatabaseProperties.of(server));
            properties.put("datasources.default.url", database.jdbcUrl());
            properties.put("micronaut.server.port", "-1");
            properties.put("eventstore.nats.url", nats.url());
            properties.put("eventstore.nats.subject-prefix", stream.subjectPrefix());
            properties.put("eventstore.nats.stream-name", stream.streamName());
            properties.put("eventstore.nats.ack-timeout", "1s");
            properties.put("eventstore.nats.retry-max-delay", "500ms");
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
                MeterRegistry meters = service.getApplicationContext().getBean(MeterRegistry.class);
                EventRelay relay = service.getApplicationContext().getBean(RelayService.class).relay();
                ApiClient api = new ApiClient(service.getURI());
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicInteger accepted = new AtomicInteger();
                ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    running.add(writers.submit(() -> {
                        for (int i = 0; writing.get() && i < 5_000; i++) {
                            var reply = api.postJson("/api/streams/load-w" + writer + "/events",
                                    "{\"events\": [{\"type\": \"Noted\", \"data\": {\"i\": " + i + "}}]}");
                            if (reply.status() == 201) {
                                accepted.incrementAndGet();
                            } else {
                                refused.add(reply.status() + " " + reply.body());
                            }
                        }
                    }));
                }
                waitFor(Duration.ofSeconds(30), "the relay publishes", () -> relay.publishedEvents() > 50);

                nats.kill();
                int acceptedAtKill = accepted.get();
                waitFor(Duration.ofSeconds(30), "the lag rises while NATS is away",
                        () -> gauge(meters, "relay.lag.events") > 20 && gauge(meters, "relay.broker.reachable") == 0);
                waitFor(Duration.ofSeconds(30), "appends go on while NATS is away",
                        () -> accepted.get() > acceptedAtKill + 100);
                var stats = api.get("/api/admin/stats");
                assertThat(stats.status()).isEqualTo(200);
                assertThat(stats.json().get("relay").get("brokerReachable").asBoolean()).isFalse();
                assertThat(stats.json().get("relay").get("lagEvents").asLong()).isPositive();

                nats.start();
                Thread.sleep(500);
                writing.set(false);
                for (Future<?> writer : running) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                waitFor(Duration.ofSeconds(60), "the relay catches up when NATS is back",
                        () -> gauge(meters, "relay.lag.events") == 0);

                assertThat(refused).as("appends refused").isEmpty();
                assertThat(gauge(meters, "relay.broker.reachable")).isEqualTo(1);
                assertThat(relay.failedBatches()).isPositive();
                PostgresEventStore feed = new PostgresEventStore(database.dataSource());
                List<String> feedIds = new ArrayList<>();
                for (FeedPage page = feed.readAll(0, 1000, EventFilter.ALL); !page.events().isEmpty();
                     page = feed.readAll(page.next(), 1000, EventFilter.ALL)) {
                    page.events().forEach(event -> feedIds.add(event.eventId().toString()));
                }
                assertThat(feedIds).hasSize(accepted.get());
                assertThat(NatsTestServer.messages(nats.url(), stream.streamName()).stream()
                        .map(message -> message.getHeaders().getFirst("Nats-Msg-Id")).toList())
                        .as("each event once, in feed order").isEqualTo(feedIds);
            } finally {
                writers.shutdownNow();
                NatsTestServer.deleteStream(nats.url(), stream.streamName());
            }
        }
    }
}
