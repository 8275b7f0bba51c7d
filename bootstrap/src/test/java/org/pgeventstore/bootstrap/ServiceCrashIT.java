package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The packaged service, run as a separate process, is killed with SIGKILL in the middle of a write
 * load and started again: on an external PostgreSQL, and on its embedded default, whose PostgreSQL
 * outlives the service as an orphan that the next start must stop. Before the kill every answer
 * must be the success it should be; only requests cut off by the kill may go unanswered. After the
 * restart every acknowledged append is there at the versions and positions it was given, every
 * append is all or nothing, and the appends and orders whose outcome was unknown are re-sent as
 * they were (same event ids, same Idempotency-Keys): nothing is then missing and nothing twice.
 */
class ServiceCrashIT {

    private static final int CLIENTS = 8;
    private static final int STREAMS = 20;
    /** Requests acknowledged before the kill, so that the load is well under way when it comes. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 100;
    /** The feed withholds events while an older transaction runs anywhere on the server; this long at most. */
    private static final Duration FEED_BOUND = Duration.ofSeconds(30);

    private static final String ORDER = """
            {"customerId": "crash-customer",
             "lineItems": [{"productId": "p", "sku": "s", "name": "n", "quantity": 1, "unitPrice": 9.99}],
             "shippingAddress": {"line1": "l", "city": "c", "country": "US", "postalCode": "1"}}""";
    private static final String ITEM = "{\"productId\": \"q\", \"sku\": \"t\", \"name\": \"m\", \"quantity\": 2, \"unitPrice\": 1.50}";

    @TempDir
    Path workDir;

    /** An append a client sent; {@link #result} is its 201 or, after a re-send, its 200, and null while unknown. */
    static final class SentAppend {
        final String stream;
        final List<String> eventIds;
        final String body;
        JsonNode result;

        SentAppend(String stream, List<String> eventIds, String body) {
            this.stream = stream;
            this.eventIds = eventIds;
            this.body = body;
        }
    }

    /** An order a client placed and added an item to, each under its own Idempotency-Key. */
    static final class SentOrder {
        final String placeKey = "crash-place-" + UUID.randomUUID();
        final String itemKey = "crash-item-" + UUID.randomUUID();
        String id;
        boolean itemAdded;
    }

    /** What the clients sent before and while the service was killed. */
    record Load(List<SentAppend> appends, List<SentOrder> orders) {
    }

    /** An event as the stream reads show it. */
    record Stored(String stream, long version, long position) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("external PostgreSQL: kill -9 under load, restart, re-send the unknown: nothing lost, nothing twice")
    void onAnExternalDatabase() throws Exception {
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        String database = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(server, "CREATE DATABASE " + database);
        Map<String, String> environment = Map.of(
                "DATASOURCES_DEFAULT_URL", server.urlOf(database),
                "DATASOURCES_DEFAULT_USERNAME", server.username(),
                "DATASOURCES_DEFAULT_PASSWORD", server.password());
        ServiceProcess first = ServiceProcess.start(environment, workDir.resolve("first.log"));
        ServiceProcess second = null;
        try {
            first.awaitHealthy();
            Load load = loadAndKill(first);
            second = ServiceProcess.start(environment, workDir.resolve("second.log"));
            second.awaitHealthy();
            verifyAndResend(second.api(), load);
        } finally {
            first.kill();
            if (second != null) {
                second.close();
            }
            execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("embedded PostgreSQL: kill -9 under load leaves it orphaned, the restart stops it and recovers: nothing lost, nothing twice")
    void onTheEmbeddedDefault() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        Map<String, String> environment = Map.of(
                "EVENTSTORE_DATA_DIR", dataDir.toString(),
                "EVENTSTORE_INITIAL_ADMIN_KEY_FILE", workDir.resolve("data/initial-admin-key").toString());
        ServiceProcess first = ServiceProcess.start(environment, workDir.resolve("first.log"));
        ServiceProcess second = null;
        try {
            first.awaitHealthy();
            ProcessHandle postgres = ServiceProcess.postmaster(dataDir).orElseThrow();
            Load load = loadAndKill(first);
            assertThat(postgres.isAlive()).as("killed with SIGKILL, the service left its PostgreSQL running").isTrue();

            second = ServiceProcess.start(environment, workDir.resolve("second.log"));
            second.awaitHealthy();
            assertThat(postgres.isAlive()).as("the restart stopped the orphaned PostgreSQL").isFalse();
            assertThat(second.log()).contains("event=embedded_postgres_orphan");
            assertThat(ServiceProcess.postmaster(dataDir)).as("and runs its own on the same directory").isPresent();
            verifyAndResend(second.api(), load);
        } finally {
            first.kill();
            if (second != null) {
                second.close();
            }
            ServiceProcess.stopPostgres(dataDir);
        }
    }

    private static void execute(PostgresTestDatabase server, String sql) throws Exception {
        try (Connection admin = server.dataSource().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Eight clients append and place orders until enough is acknowledged, then the service is killed.
     * Every answer before the kill must be a success; a request the kill cuts off ends its client.
     */
    private static Load loadAndKill(ServiceProcess service) throws Exception {
        ApiClient api = service.api();
        Load load = new Load(Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean killing = new AtomicBoolean(false);
        AtomicInteger acknowledged = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running8 = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running8.add(clients.submit(() -> {
                    assertThat(start.await(1, TimeUnit.MINUTES)).as("released").isTrue();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try {
                        while (running.get()) {
                            if (random.nextInt(4) == 0) {
                                SentOrder order = new SentOrder();
                                load.orders().add(order);
                                placeOrder(api, order, false);
                            } else {
                                SentAppend append = newAppend(random);
                                load.appends().add(append);
                                append(api, append);
                            }
                            acknowledged.incrementAndGet();
                        }
                    } catch (ApiClient.NoResponse cutOff) {
                        if (!killing.get()) {
                            throw cutOff;
                        }
                        // The service died under this request: its outcome is unknown until the re-send.
                    }
                    return null;
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (acknowledged.get() < ACKNOWLEDGED_BEFORE_KILL) {
                for (Future<?> client : running8) {
                    if (client.isDone()) {
                        client.get();
                        throw new AssertionError("a client stopped before the kill");
                    }
                }
                assertThat(System.nanoTime()).as("%d requests acknowledged before the kill", ACKNOWLEDGED_BEFORE_KILL)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            killing.set(true);
            service.kill();
            running.set(false);
            for (Future<?> client : running8) {
                client.get(1, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        return load;
    }

    private static SentAppend newAppend(ThreadLocalRandom random) {
        String stream = "crash-" + random.nextInt(STREAMS);
        List<String> ids = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        for (int i = 0, count = 1 + random.nextInt(5); i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            events.append(i == 0 ? "" : ",").append("{\"eventId\": \"").append(id)
                    .append("\", \"type\": \"Crashed\", \"data\": {\"i\": ").append(i).append("}}");
        }
        return new SentAppend(stream, List.copyOf(ids), "{\"events\": [" + events + "]}");
    }

    private static void append(ApiClient api, SentAppend append) {
        var reply = api.postJson("/api/streams/" + append.stream + "/events", append.body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        append.result = reply.json();
    }

    /**
     * Places the order and adds an item, or what of it is not yet acknowledged. Sent for the first
     * time the placement is a 201; re-sent, a 200 if it had been placed after all.
     */
    private static void placeOrder(ApiClient api, SentOrder order, boolean resent) {
        if (order.id == null) {
            var placed = api.postJson("/api/orders", ORDER, "Idempotency-Key", order.placeKey);
            assertThat(placed.status()).as(placed.body()).isIn(resent ? List.of(200, 201) : List.of(201));
            order.id = placed.json().get("id").asText();
        }
        if (!order.itemAdded) {
            var added = api.postJson("/api/orders/" + order.id + "/items", ITEM, "Idempotency-Key", order.itemKey);
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            order.itemAdded = true;
        }
    }

    /** Every event of the crash streams by id, each stream read whole with contiguous versions. */
    private static Map<String, Stored> storedEvents(ApiClient api) {
        Map<String, Stored> stored = new HashMap<>();
        for (int s = 0; s < STREAMS; s++) {
            String stream = "crash-" + s;
            long version = 1;
            var reply = api.get("/api/streams/" + stream + "?limit=1000");
            while (reply.status() == 200 && !reply.json().get("events").isEmpty()) {
                for (JsonNode event : reply.json().get("events")) {
                    assertThat(event.get("version").asLong()).as("contiguous versions in %s", stream).isEqualTo(version);
                    assertThat(stored.put(event.get("eventId").asText(), new Stored(stream, version, event.get("position").asLong())))
                            .as("an event stored once").isNull();
                    version++;
                }
                reply = api.get("/api/streams/" + stream + "?limit=1000&fromVersion=" + version);
            }
            assertThat(reply.status()).as(reply.body()).isIn(200, 404);
        }
        return stored;
    }

    /** The append's events are stored at the versions and positions of its result. */
    private static void assertStoredAsAcknowledged(SentAppend append, Map<String, Stored> stored) {
        List<Stored> events = append.eventIds.stream().map(stored::get).toList();
        assertThat(events).as("an acknowledged append survives the crash").doesNotContainNull();
        assertThat(events).allMatch(event -> event.stream().equals(append.stream));
        assertThat(events).extracting(Stored::version).containsExactlyElementsOf(LongStream.rangeClosed(
                append.result.get("firstVersion").asLong(), append.result.get("lastVersion").asLong()).boxed().toList());
        assertThat(events.getFirst().position()).isEqualTo(append.result.get("firstPosition").asLong());
        assertThat(events.getLast().position()).isEqualTo(append.result.get("lastPosition").asLong());
    }

    private static void verifyAndResend(ApiClient api, Load load) throws InterruptedException {
        Map<String, Stored> before = storedEvents(api);
        int unknownAppends = 0;
        int committedAfterAll = 0;
        for (SentAppend append : load.appends()) {
            long present = append.eventIds.stream().filter(before::containsKey).count();
            assertThat(present).as("an append is all or nothing").isIn(0L, (long) append.eventIds.size());
            if (append.result != null) {
                assertStoredAsAcknowledged(append, before);
            } else {
                unknownAppends++;
                var reply = api.postJson("/api/streams/" + append.stream + "/events", append.body);
                assertThat(reply.status()).as("a re-send is new (201) if nothing of it was stored, else answered (200): "
                        + reply.body()).isEqualTo(present == 0 ? 201 : 200);
                append.result = reply.json();
                committedAfterAll += present == 0 ? 0 : 1;
            }
        }
        int unknownOrders = 0;
        for (SentOrder order : load.orders()) {
            if (order.id == null || !order.itemAdded) {
                unknownOrders++;
                placeOrder(api, order, true);
            }
        }
        assertThat(unknownAppends + unknownOrders).as("the kill cut requests off").isPositive();

        Map<String, Stored> after = storedEvents(api);
        List<String> sentIds = load.appends().stream().flatMap(append -> append.eventIds.stream()).toList();
        assertThat(after.keySet()).as("every append stored once, re-sends included, and nothing else")
                .containsExactlyInAnyOrderElementsOf(sentIds);
        load.appends().forEach(append -> assertStoredAsAcknowledged(append, after));

        for (SentOrder order : load.orders()) {
            var history = api.get("/api/orders/" + order.id + "/events");
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            List<String> types = new ArrayList<>();
            history.json().get("events").forEach(event -> types.add(event.get("type").asText()));
            assertThat(types).as("order %s placed once, its item added once", order.id)
                    .containsExactly("OrderPlaced", "OrderItemAdded");
        }
        assertThat(load.orders()).extracting(order -> order.id).doesNotHaveDuplicates();

        List<String> inPositionOrder = after.entrySet().stream()
                .sorted(Comparator.comparingLong(entry -> entry.getValue().position())).map(Map.Entry::getKey).toList();
        assertThat(feed(api, after.values().stream().mapToLong(Stored::position).max().orElse(0)))
                .as("the feed hands out each event once, in position order").containsExactlyElementsOf(inPositionOrder);

        awaitProjectionCaughtUp(api);
        var reconciliation = api.postJson("/api/projections/orders/reconciliation", "");
        assertThat(reconciliation.status()).as(reconciliation.body()).isEqualTo(200);
        assertThat(reconciliation.json().get("consistent").asBoolean())
                .as("the read model matches a full replay: " + reconciliation.body()).isTrue();
        assertThat(reconciliation.json().get("ordersChecked").asLong()).isEqualTo(load.orders().size());

        var appended = api.postJson("/api/streams/crash-0/events", "{\"events\": [{\"type\": \"After\", \"data\": {}}]}");
        assertThat(appended.status()).as(appended.body()).isEqualTo(201);
        System.out.printf("event=crash_done appends=%d orders=%d unknownAppends=%d committedAfterAll=%d unknownOrders=%d "
                + "events=%d%n", load.appends().size(), load.orders().size(), unknownAppends, committedAfterAll, unknownOrders,
                after.size());
    }

    /** The ids the feed of category crash hands out, paged until it has reached {@code last}. */
    private static List<String> feed(ApiClient api, long last) throws InterruptedException {
        List<String> fed = new ArrayList<>();
        long after = 0;
        long deadline = System.nanoTime() + FEED_BOUND.toNanos();
        while (after < last) {
            JsonNode page = api.get("/api/events?after=" + after + "&limit=1000&category=crash").json();
            page.get("events").forEach(event -> fed.add(event.get("eventId").asText()));
            after = page.get("next").asLong();
            if (page.get("events").isEmpty()) {
                assertThat(System.nanoTime()).as("the feed reaches position %d, at %d", last, after).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        return fed;
    }

    private static void awaitProjectionCaughtUp(ApiClient api) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode projections = api.get("/api/projections").json();
            boolean caughtUp = true;
            for (JsonNode projection : projections) {
                assertThat(projection.get("status").asText()).as(projection.toString()).isNotEqualTo("failed");
                caughtUp &= projection.get("lag").asLong() == 0;
            }
            if (caughtUp) {
                return;
            }
            assertThat(System.nanoTime()).as("the projection resumes and catches up: " + projections).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
