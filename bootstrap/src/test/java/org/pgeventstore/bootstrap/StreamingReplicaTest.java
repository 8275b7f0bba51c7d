package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.http.SseClient;
import org.pgeventstore.adapters.postgres.OpenAppend;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStoreContract;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * The service with {@code eventstore.replica.url} on a real hot standby of its primary
 * ({@link PrimaryAndStandby}): the feed and an SSE stream read from the standby keep the feed's
 * guarantee while 8 writers commit out of order on the primary; {@code minPosition} reads your
 * writes while the standby's replay is paused; readiness follows the standby's lag; and with the
 * standby stopped the primary serves the reads. The tests run in order on one pair of servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingReplicaTest {

    private static final String PLACE = """
            {"customerId": "cust-r",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 2, "unitPrice": 12.50}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;

    private PrimaryAndStandby servers;
    private EmbeddedServer service;
    private HikariDataSource primary;
    private HikariDataSource standby;
    private ApiClient api;
    private MeterRegistry meters;

    @BeforeAll
    void start() throws Exception {
        servers = PrimaryAndStandby.start();
        service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", "-1",
                "datasources.default.url", servers.primaryUrl(),
                "datasources.default.username", "postgres",
                "datasources.default.maximum-pool-size", "16",
                "eventstore.admin-key", ApiClient.TEST_ADMIN_KEY,
                "eventstore.replica.url", servers.standbyUrl(),
                "eventstore.replica.user", "postgres",
                "eventstore.replica.probe-interval", "100ms",
                "eventstore.replica.max-lag", "1s",
                "eventstore.sse.poll-interval", "200ms"));
        api = new ApiClient(service.getURI());
        meters = service.getApplicationContext().getBean(MeterRegistry.class);
        primary = pool(servers.primaryUrl(), 12);
        standby = pool(servers.standbyUrl(), 3);
    }

    @AfterAll
    void stop() throws Exception {
        try (PrimaryAndStandby stopped = servers) {
            if (service != null) {
                service.close();
            }
            if (primary != null) {
                primary.close();
            }
            if (standby != null) {
                standby.close();
            }
        }
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    @Test
    @Order(1)
    @DisplayName("8 writers committing out of order on the primary; the standby's feed read directly, through "
            + "GET /api/events and through an SSE stream sees every event once, in order")
    void feedFromTheStandbyIsExactlyOnce() throws Exception {
        String category = "rep" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
        List<RecordedEvent> read = Collections.synchronizedList(new ArrayList<>());
        List<SseClient.Message> streamed = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        // Once the writers are done the consumers read until they have every event, or for 30 s more.
        AtomicLong readUntil = new AtomicLong(Long.MAX_VALUE);
        double fallbacksBefore = fallbacks("unreachable") + fallbacks("behind");
        ExecutorService threads = Executors.newFixedThreadPool(10);
        try (SseClient sse = SseClient.open(service.getURI(), "/api/events/stream?category=" + category,
                ApiClient.TEST_ADMIN_KEY)) {
            assertThat(sse.status()).isEqualTo(200);
            Future<?> pager = threads.submit(() -> {
                long after = 0;
                while (writing.get() || (seen.size() < committed.size() && System.nanoTime() < readUntil.get())) {
                    JsonNode page = api.get("/api/events?limit=17&category=" + category + "&after=" + after).json();
                    for (JsonNode event : page.get("events")) {
                        seen.add(recorded(event));
                    }
                    after = page.get("next").asLong();
                }
                return null;
            });
            Future<?> direct = threads.submit(() -> {
                PostgresEventStore onStandby = new PostgresEventStore(standby);
                long after = 0;
                while (writing.get() || (read.size() < committed.size() && System.nanoTime() < readUntil.get())) {
                    FeedPage page = onStandby.readAll(after, 17, EventFilter.category(category));
                    read.addAll(page.events());
                    after = page.next();
                }
                return null;
            });
            Future<?> streaming = threads.submit(() -> {
                while (writing.get() || (streamed.size() < committed.size() && System.nanoTime() < readUntil.get())) {
                    SseClient.Message message = sse.next(Duration.ofMillis(200));
                    if (message != null && !message.isComment()) {
                        streamed.add(message);
                    }
                }
                return null;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 40; i++) {
                        String stream = category + "-" + (i % 2 == 0 ? "w" + writer : "shared" + (i % 3));
                        try (OpenAppend append = new OpenAppend(primary, stream, 1 + random.nextInt(3))) {
                            Thread.sleep(random.nextInt(12));
                            committed.addAll(append.commit());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            readUntil.set(System.nanoTime() + Duration.ofSeconds(30).toNanos());
            writing.set(false);
            pager.get(1, TimeUnit.MINUTES);
            direct.get(1, TimeUnit.MINUTES);
            streaming.get(1, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }

        List<RecordedEvent> onPrimary = primaryFeed(category);
        assertThat(onPrimary).extracting(RecordedEvent::eventId).containsExactlyInAnyOrderElementsOf(committed);
        EventStoreContract.assertFeedIsExactlyOnce(read, onPrimary);
        EventStoreContract.assertFeedIsExactlyOnce(seen, onPrimary);
        assertThat(streamed).extracting(SseClient.Message::id)
                .as("the SSE stream delivered the primary's feed exactly, in order")
                .containsExactlyElementsOf(onPrimary.stream().map(e -> Long.toString(e.position())).toList());
        assertThat(fallbacks("unreachable") + fallbacks("behind")).as("every read was served by the standby")
                .isEqualTo(fallbacksBefore);
    }

    @Test
    @Order(2)
    @DisplayName("with the standby's replay paused, minPosition reads the write from the primary; once replay "
            + "resumes it waits for the standby; readiness is DOWN while the standby lags")
    void minPositionReadsYourWrites() throws Exception {
        String stream = "ryw" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "-1";
        String order;
        long orderPosition;
        pauseReplay();
        try {
            var appended = api.postJson("/api/streams/" + stream + "/events", "{\"events\": [{\"type\": \"Made\", \"data\": {}}]}");
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);
            long position = appended.json().get("lastPosition").asLong();

            assertThat(api.get("/api/streams/" + stream).status()).as("the standby has not replayed it").isEqualTo(404);
            double behind = fallbacks("behind");
            var read = api.get("/api/streams/" + stream + "?minPosition=" + position);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().get("events").get(0).get("position").asLong()).isEqualTo(position);
            var feed = api.get("/api/events?category=" + stream.substring(0, stream.indexOf('-'))
                    + "&minPosition=" + position).json();
            assertThat(feed.get("events")).extracting(e -> e.get("position").asLong()).containsExactly(position);
            assertThat(fallbacks("behind")).as("both reads went to the primary").isEqualTo(behind + 2);

            var placed = api.postJson("/api/orders", PLACE);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            order = placed.json().get("id").asText();
            orderPosition = placed.json().get("position").asLong();
            var view = api.get("/api/orders/" + order + "?minPosition=" + orderPosition);
            assertThat(view.status()).as(view.body()).isEqualTo(200);
            var list = api.get("/api/orders?customerId=cust-r&minPosition=" + orderPosition);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            assertThat(list.json().get("items")).extracting(item -> item.get("id").asText()).contains(order);

            awaitReadiness(503);
        } finally {
            resumeReplay();
        }
        awaitReadiness(200);

        var appended = api.postJson("/api/streams/" + stream + "/events", "{\"events\": [{\"type\": \"Made\", \"data\": {}}]}");
        long position = appended.json().get("lastPosition").asLong();
        double fellBack = fallbacks("behind") + fallbacks("unreachable");
        var read = api.get("/api/streams/" + stream + "?minPosition=" + position);
        assertThat(read.json().get("version").asLong()).isEqualTo(2);
        assertThat(api.get("/api/orders/" + order + "?minPosition=" + orderPosition).status()).isEqualTo(200);
        var list = api.get("/api/orders?customerId=cust-r&minPosition=" + orderPosition);
        assertThat(list.json().get("items")).extracting(item -> item.get("id").asText()).contains(order);
        assertThat(fallbacks("behind") + fallbacks("unreachable"))
                .as("the standby replayed them in time and answered all three reads").isEqualTo(fellBack);
    }

    @Test
    @Order(3)
    @DisplayName("with the standby stopped the primary serves the reads, and stats, metrics and readiness say so")
    void standbyStoppedReadsGoToThePrimary() throws Exception {
        var appended = api.postJson("/api/streams/down-1/events", "{\"events\": [{\"type\": \"Made\", \"data\": {}}]}");
        long position = appended.json().get("lastPosition").asLong();
        servers.stopStandby();
        double unreachable = fallbacks("unreachable");

        var feed = api.get("/api/events?category=down&minPosition=" + position);
        assertThat(feed.status()).as(feed.body()).isEqualTo(200);
        assertThat(feed.json().get("events")).extracting(e -> e.get("position").asLong()).containsExactly(position);
        assertThat(api.get("/api/streams/down-1").status()).isEqualTo(200);
        assertThat(fallbacks("unreachable")).isGreaterThanOrEqualTo(unreachable + 2);

        JsonNode replica = api.get("/api/admin/stats").json().get("replica");
        assertThat(replica.get("reachable").asBoolean()).isFalse();
        assertThat(replica.get("reads").asText()).isEqualTo("primary");
        assertThat(meters.get("eventstore.replica.reachable").gauge().value()).isZero();
        var ready = api.get("/health/readiness");
        assertThat(ready.status()).as("the primary serves the reads, so the instance stays ready").isEqualTo(200);
        assertThat(ready.json().at("/details/replica/details/reads").asText()).isEqualTo("primary");
    }

    private void awaitReadiness(int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = api.get("/health/readiness").status();
            if (last == status) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("readiness stayed " + last + ", expected " + status);
    }

    private void pauseReplay() throws Exception {
        try (Connection connection = standby.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_wal_replay_pause()");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try (ResultSet state = statement.executeQuery("SELECT pg_get_wal_replay_pause_state()")) {
                    state.next();
                    if (state.getString(1).equals("paused")) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the standby's replay did not pause");
        }
    }

    private void resumeReplay() throws Exception {
        try (Connection connection = standby.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_wal_replay_resume()");
        }
    }

    private double fallbacks(String reason) {
        Counter counter = meters.find("eventstore.replica.fallbacks").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<RecordedEvent> primaryFeed(String category) {
        PostgresEventStore store = new PostgresEventStore(primary);
        List<RecordedEvent> events = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readAll(after, 500, EventFilter.category(category));
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
            after = page.next();
        }
    }

    private static RecordedEvent recorded(JsonNode event) {
        return new RecordedEvent(UUID.fromString(event.get("eventId").asText()), event.get("streamId").asText(),
                event.get("type").asText(), event.path("schemaVersion").asInt(1), event.get("version").asLong(),
                event.get("position").asLong(), event.get("data").toString(), event.get("metadata").toString(),
                Instant.parse(event.get("occurredAt").asText()));
    }
}
