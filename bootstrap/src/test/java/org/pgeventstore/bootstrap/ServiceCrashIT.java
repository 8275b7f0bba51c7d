package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The packaged service, run as a separate process, is killed with SIGKILL in the middle of a
 * write load and started again on the same database: every acknowledged append is there, and
 * every append is all or nothing.
 */
class ServiceCrashIT {

    private static final int CLIENTS = 8;
    private static final int STREAMS = 20;

    @TempDir
    Path workDir;

    /** One append a client sent: acknowledged (201), or its outcome unknown because the service died. */
    record Sent(String stream, List<String> eventIds, boolean acknowledged) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process startService(String jdbcUrl, int port, String logName) throws IOException {
        Path jar = Path.of("target", "pg-eventstore.jar").toAbsolutePath();
        assertThat(jar).as("the packaged service").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(logName).toFile());
        Map<String, String> env = builder.environment();
        env.put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        env.put("DATASOURCES_DEFAULT_USERNAME", PostgresTestDatabase.shared().username());
        env.put("DATASOURCES_DEFAULT_PASSWORD", PostgresTestDatabase.shared().password());
        env.put("PORT", String.valueOf(port));
        env.put("EVENTSTORE_ADMIN_KEY", ApiClient.TEST_ADMIN_KEY);
        return builder.start();
    }

    private void awaitHealthy(ApiClient api, Process process, String logName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service process died: " + Files.readString(workDir.resolve(logName)))
                    .isTrue();
            try {
                if (api.get("/health").status() == 200) {
                    return;
                }
            } catch (AssertionError notYetListening) {
                // connection refused while it starts
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not become healthy: " + Files.readString(workDir.resolve(logName)));
    }

    private static final String ORDER = """
            {"customerId": "crash-customer",
             "lineItems": [{"productId": "p", "sku": "s", "name": "n", "quantity": 1, "unitPrice": 9.99}],
             "shippingAddress": {"line1": "l", "city": "c", "country": "US", "postalCode": "1"}}""";

    /** Orders placed during the load, so that the projection has work in flight when the service dies. */
    private static void placeOrder(ApiClient api, AtomicBoolean killing) {
        try {
            var placed = api.postJson("/api/orders", ORDER);
            if (placed.status() == 201) {
                api.postJson("/api/orders/" + placed.json().get("id").asText() + "/items",
                        "{\"productId\": \"q\", \"sku\": \"t\", \"name\": \"m\", \"quantity\": 2, \"unitPrice\": 1.50}");
            }
        } catch (AssertionError connectionLost) {
            if (!killing.get()) {
                throw connectionLost;
            }
        }
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

    @Test
    @DisplayName("kill -9 under load, restart: acknowledged appends kept, appends all or nothing, feed exactly once")
    void crashAndRestart() throws Exception {
        PostgresTestDatabase server = PostgresTestDatabase.shared();
        String database = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = server.dataSource().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String jdbcUrl = server.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        int port = freePort();
        ApiClient api = new ApiClient(URI.create("http://localhost:" + port));
        Process first = startService(jdbcUrl, port, "first.log");
        Process service = first;
        try {
            awaitHealthy(api, first, "first.log");
            List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean killing = new AtomicBoolean(false);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                load.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (running.get()) {
                        if (random.nextInt(4) == 0) {
                            placeOrder(api, killing);
                            continue;
                        }
                        String stream = "crash-" + random.nextInt(STREAMS);
                        List<String> ids = new ArrayList<>();
                        StringBuilder events = new StringBuilder();
                        for (int i = 0; i < 1 + random.nextInt(5); i++) {
                            String id = UUID.randomUUID().toString();
                            ids.add(id);
                            events.append(i == 0 ? "" : ",").append("{\"eventId\": \"").append(id)
                                    .append("\", \"type\": \"Crashed\", \"data\": {\"i\": ").append(i).append("}}");
                        }
                        try {
                            var reply = api.postJson("/api/streams/" + stream + "/events", "{\"events\": [" + events + "]}");
                            assertThat(reply.status()).as(reply.body()).isIn(201, 503);
                            sent.add(new Sent(stream, ids, reply.status() == 201));
                        } catch (AssertionError connectionLost) {
                            if (!killing.get()) {
                                throw connectionLost;
                            }
                            sent.add(new Sent(stream, ids, false));
                            return null;
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(3_000);
            killing.set(true);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            running.set(false);
            for (Future<?> client : load) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();

            service = startService(jdbcUrl, port, "second.log");
            awaitHealthy(api, service, "second.log");

            Map<String, Long> versionOf = new HashMap<>();
            Set<String> stored = new HashSet<>();
            for (int s = 0; s < STREAMS; s++) {
                String stream = "crash-" + s;
                long expected = 1;
                var reply = api.get("/api/streams/" + stream + "?limit=1000");
                while (reply.status() == 200 && !reply.json().get("events").isEmpty()) {
                    for (JsonNode event : reply.json().get("events")) {
                        assertThat(event.get("version").asLong()).as("contiguous versions in %s", stream).isEqualTo(expected++);
                        stored.add(event.get("eventId").asText());
                    }
                    reply = api.get("/api/streams/" + stream + "?limit=1000&fromVersion=" + expected);
                }
                versionOf.put(stream, expected - 1);
            }
            long acknowledged = 0;
            for (Sent append : sent) {
                long present = append.eventIds().stream().filter(stored::contains).count();
                assertThat(present).as("an append is all or nothing").isIn(0L, (long) append.eventIds().size());
                if (append.acknowledged()) {
                    assertThat(present).as("an acknowledged append survives the crash").isEqualTo(append.eventIds().size());
                    acknowledged++;
                }
            }
            assertThat(acknowledged).as("the load did work before the crash").isPositive();

            List<String> fed = new ArrayList<>();
            long after = 0;
            while (true) {
                JsonNode page = api.get("/api/events?after=" + after + "&limit=1000&category=crash").json();
                if (page.get("events").isEmpty()) {
                    break;
                }
                page.get("events").forEach(event -> fed.add(event.get("eventId").asText()));
                after = page.get("next").asLong();
            }
            assertThat(fed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stored);
            awaitProjectionCaughtUp(api);
            var reconciliation = api.postJson("/api/projections/orders/reconciliation", "");
            assertThat(reconciliation.status()).as(reconciliation.body()).isEqualTo(200);
            assertThat(reconciliation.json().get("consistent").asBoolean())
                    .as("the read model matches a full replay: " + reconciliation.body()).isTrue();
            assertThat(reconciliation.json().get("ordersChecked").asLong()).isPositive();

            var appended = api.postJson("/api/streams/crash-0/events", "{\"events\": [{\"type\": \"After\", \"data\": {}}]}");
            assertThat(appended.status()).isEqualTo(201);
            System.out.printf("event=crash_done sent=%d acknowledged=%d stored=%d%n", sent.size(), acknowledged, stored.size());
        } finally {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            try (Connection admin = server.dataSource().getConnection(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
