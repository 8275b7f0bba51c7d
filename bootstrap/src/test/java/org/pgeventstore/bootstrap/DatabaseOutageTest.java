package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;

/**
 * PostgreSQL stops under load and comes back. While it is down the API answers 503 with
 * Retry-After quickly and /health is DOWN; afterwards the service recovers by itself and every
 * acknowledged append is there.
 */
class DatabaseOutageTest {

    @TempDir
    Path workDir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    @DisplayName("database down under load: 503 with Retry-After, /health DOWN, then recovery with nothing lost")
    void outage() throws Exception {
        Path dataDir = workDir.resolve("pg");
        int port = freePort();
        EmbeddedPostgres postgres = startPostgres(dataDir, port);
        Map<String, Object> properties = Map.of(
                "datasources.default.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "datasources.default.username", "postgres",
                "datasources.default.password", "",
                "datasources.default.maximum-pool-size", "8",
                "micronaut.server.port", "-1");
        try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
            ApiClient api = new ApiClient(service.getURI());
            String category = "outage" + UUID.randomUUID().toString().replace("-", "");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        String id = UUID.randomUUID().toString();
                        long started = System.nanoTime();
                        var reply = api.postJson("/api/streams/" + category + "-" + client + "/events",
                                "{\"events\": [{\"eventId\": \"" + id + "\", \"type\": \"Tick\", \"data\": {}}]}");
                        long tookMillis = (System.nanoTime() - started) / 1_000_000;
                        if (reply.status() == 201) {
                            acknowledged.add(id);
                        } else {
                            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                            assertThat(reply.header("Retry-After")).isNotBlank();
                            assertThat(reply.contentType()).startsWith("application/problem+json");
                            assertThat(tookMillis).as("a 503 comes in bounded time").isLessThan(10_000);
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            awaitAcknowledged(acknowledged, 20);

            postgres.close();
            awaitCount(unavailable, 4);
            long healthStarted = System.nanoTime();
            var health = api.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");
            assertThat(Duration.ofNanos(System.nanoTime() - healthStarted)).as("/health answers in bounded time")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(api.get("/health/readiness").status()).as("not ready without its database").isEqualTo(503);
            assertThat(api.get("/health/liveness").status()).as("alive: restarting it would not bring the database back")
                    .isEqualTo(200);
            // Down for longer than a request may wait for a connection: every request must still
            // be answered, with 503s, in bounded time.
            int unavailableBefore = unavailable.get();
            Thread.sleep(8_000);
            assertThat(unavailable.get()).as("503s keep coming while the database is down")
                    .isGreaterThanOrEqualTo(unavailableBefore + 4);

            postgres = startPostgres(dataDir, port);
            int before = acknowledged.size();
            awaitAcknowledged(acknowledged, before + 20);
            running.set(false);
            for (Future<?> client : load) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertThat(api.get("/health").status()).isEqualTo(200);
            assertThat(api.get("/health/readiness").status()).as("ready again").isEqualTo(200);

            Set<String> stored = ConcurrentHashMap.newKeySet();
            long after = 0;
            while (true) {
                var page = api.get("/api/events?after=" + after + "&limit=1000&category=" + category).json();
                if (page.get("events").isEmpty()) {
                    break;
                }
                page.get("events").forEach(event -> stored.add(event.get("eventId").asText()));
                after = page.get("next").asLong();
            }
            assertThat(stored).as("no acknowledged append is lost").containsAll(acknowledged);
            System.out.printf("event=outage_done acknowledged=%d unavailable=%d stored=%d%n",
                    acknowledged.size(), unavailable.get(), stored.size());
        } finally {
            postgres.close();
        }
    }

    private static void awaitAcknowledged(Set<String> acknowledged, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < atLeast) {
            assertThat(System.nanoTime()).as("appends resume after the database returns").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count.get() < atLeast) {
            assertThat(System.nanoTime()).as("clients see 503s while the database is down").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
