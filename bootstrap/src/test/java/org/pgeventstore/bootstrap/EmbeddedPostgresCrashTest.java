package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The embedded PostgreSQL dies (SIGKILL on its postmaster) while clients append over HTTP. The
 * service restarts it on the same data directory and port and is healthy again within 30 s; every
 * acknowledged append is there afterwards, exactly once, and re-sending an append whose outcome
 * was unknown is safe. Runs on an embedded PostgreSQL of its own, whatever database the other
 * tests use: this is the embedded default's behaviour.
 */
class EmbeddedPostgresCrashTest {

    private static final int CLIENTS = 4;
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.getFirst().trim())).filter(ProcessHandle::isAlive);
    }

    @Test
    @DisplayName("postmaster killed under load: restarted in place, healthy within 30 s, no acknowledged append lost")
    void postmasterKilledUnderLoad() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "eventstore.embedded.data-dir", dataDir.toString(),
                "micronaut.server.port", "-1"))) {
            ApiClient api = new ApiClient(service.getURI());
            String category = "pgcrash" + UUID.randomUUID().toString().replace("-", "");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String stream = category + "-" + c;
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
                        String body = "{\"events\": [" + String.join(",", ids.stream()
                                .map(id -> "{\"eventId\": \"" + id + "\", \"type\": \"Tick\", \"data\": {}}").toList()) + "]}";
                        // An append whose outcome is unknown (503) is re-sent as it was, until it is acknowledged.
                        while (running.get()) {
                            var reply = api.postJson("/api/streams/" + stream + "/events", body);
                            // 200: a re-send of an append that had committed after all.
                            if (reply.status() == 201 || reply.status() == 200) {
                                acknowledged.addAll(ids);
                                break;
                            }
                            reply.assertProblem(503, "/database-unavailable");
                            assertThat(reply.header("Retry-After")).isNotBlank();
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            awaitAtLeast(acknowledged, 20, Duration.ofSeconds(60), "appends are acknowledged before the crash");

            ProcessHandle killed = postmaster(dataDir).orElseThrow();
            killed.destroyForcibly();
            long killedAt = System.nanoTime();
            int acknowledgedAtKill = acknowledged.size();

            long deadline = killedAt + RECOVERY.toNanos();
            while (!(postmaster(dataDir).filter(p -> p.pid() != killed.pid()).isPresent()
                    && api.get("/health").status() == 200 && acknowledged.size() >= acknowledgedAtKill + 20)) {
                assertThat(System.nanoTime()).as("healthy again, with a new postmaster and appends acknowledged, within "
                        + RECOVERY).isLessThan(deadline);
                Thread.sleep(100);
            }
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(killed.isAlive()).isFalse();

            running.set(false);
            for (Future<?> client : load) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();

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
            assertThat(fed).as("every event at most once, re-sends included").doesNotHaveDuplicates();
            assertThat(fed).as("no acknowledged append is lost").containsAll(acknowledged);
            System.out.printf("event=postmaster_crash_done acknowledged=%d unavailable=%d recoveryMs=%d%n",
                    acknowledged.size(), unavailable.get(), recovery.toMillis());
        }
    }

    private static void awaitAtLeast(Set<String> acknowledged, int count, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
