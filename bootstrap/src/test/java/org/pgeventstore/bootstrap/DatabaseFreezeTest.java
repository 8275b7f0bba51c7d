package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;

/**
 * PostgreSQL freezes under load, as on a stalled disk or a black-holed network: SIGSTOP on the
 * postmaster and every backend. For the 8 s of the freeze, no request waits longer than the 3 s
 * bound (plus slack): each gets 503 with Retry-After and a detail that says the outcome is unknown
 * and a re-send is safe. After SIGCONT the service serves again by itself, and every acknowledged
 * append and order is there exactly once, re-sends included. Runs on an embedded PostgreSQL of its
 * own, whatever database the other tests use.
 */
class DatabaseFreezeTest {

    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final Duration FREEZE = Duration.ofSeconds(8);
    /** The bound, a connection wait and a validation: well under the freeze, so the bound is what ended each wait. */
    private static final Duration LONGEST_ANSWER = Duration.ofMillis(6_500);
    private static final int APPENDERS = 3;
    private static final String ORDER = """
            {"customerId": "freeze-customer",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 9.99}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;

    @TempDir
    Path workDir;

    /** One request: when it was sent, when it was answered, and how. */
    record Call(long sentNanos, long answeredNanos, int status) {
        Duration took() {
            return Duration.ofNanos(answeredNanos - sentNanos);
        }

        boolean overlaps(long fromNanos, long toNanos) {
            return sentNanos < toNanos && answeredNanos > fromNanos;
        }
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    private ApiClient.Reply timed(Supplier<ApiClient.Reply> request) {
        long sent = System.nanoTime();
        ApiClient.Reply reply = request.get();
        calls.add(new Call(sent, System.nanoTime(), reply.status()));
        return reply;
    }

    private static void assertUnavailable(ApiClient.Reply reply) {
        reply.assertProblem(503, "/database-unavailable");
        assertThat(reply.header("Retry-After")).isNotBlank();
        assertThat(reply.json().get("detail").asText()).contains("unknown").contains("same eventIds")
                .contains("same Idempotency-Key");
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("PostgreSQL frozen 8 s under load: 503 with Retry-After within the 3 s bound, recovery after SIGCONT, nothing lost")
    void frozenDatabase() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "eventstore.embedded.data-dir", dataDir.toString(),
                "eventstore.database.socket-timeout", BOUND.toSeconds() + "s",
                "micronaut.server.port", "-1"))) {
            ApiClient api = new ApiClient(service.getURI());
            String category = "freeze" + UUID.randomUUID().toString().replace("-", "");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<String, Set<String>> ordersByKey = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(APPENDERS + 1);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < APPENDERS; c++) {
                String stream = category + "-" + c;
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        String id = UUID.randomUUID().toString();
                        String body = "{\"events\": [{\"eventId\": \"" + id + "\", \"type\": \"Tick\", \"data\": {}}]}";
                        while (running.get()) {
                            var reply = timed(() -> api.postJson("/api/streams/" + stream + "/events", body));
                            // 200: a re-send of an append that had committed after all.
                            if (reply.status() == 201 || reply.status() == 200) {
                                acknowledged.add(id);
                                break;
                            }
                            assertUnavailable(reply);
                        }
                    }
                    return null;
                }));
            }
            load.add(clients.submit(() -> {
                while (running.get()) {
                    String key = "freeze-" + UUID.randomUUID();
                    while (running.get()) {
                        var reply = timed(() -> api.postJson("/api/orders", ORDER, "Idempotency-Key", key));
                        // 200: the key's order had been placed after all, and is answered again.
                        if (reply.status() == 201 || reply.status() == 200) {
                            ordersByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                                    .add(reply.json().get("id").asText());
                            break;
                        }
                        assertUnavailable(reply);
                    }
                }
                return null;
            }));
            awaitAtLeast(acknowledged, 20, "appends are acknowledged before the freeze");

            long postmaster = postmasterPid(dataDir);
            List<Long> frozen = new ArrayList<>(List.of(postmaster));
            long frozenAt;
            long thawedAt;
            Call health;
            try {
                // The postmaster first, so that it forks no backend that would escape the freeze.
                signal("STOP", List.of(postmaster));
                ProcessHandle.of(postmaster).orElseThrow().children().forEach(child -> frozen.add(child.pid()));
                signal("STOP", frozen);
                frozenAt = System.nanoTime();
                awaitElapsed(frozenAt, Duration.ofSeconds(1));
                long sent = System.nanoTime();
                int status = api.get("/health").status();
                health = new Call(sent, System.nanoTime(), status);
                awaitElapsed(frozenAt, FREEZE);
            } finally {
                signal("CONT", frozen);
            }
            thawedAt = System.nanoTime();

            int acknowledgedAtThaw = acknowledged.size();
            awaitAtLeast(acknowledged, acknowledgedAtThaw + 20, "appends are acknowledged again after SIGCONT");
            assertThat(api.get("/health").status()).isEqualTo(200);
            running.set(false);
            for (Future<?> client : load) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();

            List<Call> duringFreeze;
            synchronized (calls) {
                duringFreeze = calls.stream().filter(call -> call.overlaps(frozenAt, thawedAt)).toList();
            }
            System.out.printf("event=freeze_calls callsDuringFreeze=%d unavailable=%d longestMs=%d healthMs=%d%n",
                    duringFreeze.size(), duringFreeze.stream().filter(call -> call.status() == 503).count(),
                    duringFreeze.stream().mapToLong(call -> call.took().toMillis()).max().orElse(0),
                    health.took().toMillis());
            assertThat(duringFreeze.stream().filter(call -> call.status() == 503).count())
                    .as("clients were told the database is unavailable while it was frozen").isGreaterThanOrEqualTo(APPENDERS);
            assertThat(duringFreeze).as("no request waited out the %s freeze: each was answered within %s", FREEZE,
                    LONGEST_ANSWER).allSatisfy(call -> assertThat(call.took()).isLessThan(LONGEST_ANSWER));
            assertThat(health.status()).as("/health while frozen").isEqualTo(503);
            assertThat(health.took()).as("/health answers in bounded time while frozen").isLessThan(LONGEST_ANSWER);

            List<String> fed = new ArrayList<>();
            long after = 0;
            while (true) {
                var page = api.get("/api/events?after=" + after + "&limit=1000&category=" + category).json();
                if (page.get("events").isEmpty()) {
                    break;
                }
                page.get("events").forEach(event -> fed.add(event.get("eventId").asText()));
                after = page.get("next").asLong();
            }
            assertThat(fed).as("each event once, re-sends included").doesNotHaveDuplicates();
            assertThat(fed).as("no acknowledged append is lost").containsAll(acknowledged);
            assertThat(ordersByKey).as("orders were placed").isNotEmpty();
            assertThat(ordersByKey.values()).as("one order per Idempotency-Key, re-sends included")
                    .allSatisfy(ids -> assertThat(ids).hasSize(1));
        }
    }

    private static void awaitElapsed(long since, Duration duration) throws InterruptedException {
        while (System.nanoTime() - since < duration.toNanos()) {
            Thread.sleep(50);
        }
    }

    private static void awaitAtLeast(Set<String> acknowledged, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
