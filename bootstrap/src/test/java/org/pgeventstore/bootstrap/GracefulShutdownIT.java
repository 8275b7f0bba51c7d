package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pgeventstore.adapters.http.ApiClient;

/**
 * SIGTERM under a write load, as a rolling deploy sends it: the requests the service has accepted
 * are answered, and answered with their success; only requests it never took (a connection refused,
 * or one it closed before reading a request from it) fail, and those stored nothing, so a client
 * may send them again elsewhere. A request that was stored but whose client saw its connection
 * reset is exactly what a graceful shutdown must not produce: the client cannot tell it from one
 * that was lost. After a restart on the same data every acknowledged event is there and every
 * failed one is not.
 */
class GracefulShutdownIT {

    private static final int CLIENTS = 8;
    /** Appends acknowledged before the SIGTERM, so that the load is well under way when it comes. */
    private static final int ACKNOWLEDGED_BEFORE_SIGTERM = 200;

    @TempDir
    Path workDir;

    /** One append a client sent, with the event id that tells afterwards whether it was stored. */
    record Sent(String stream, String eventId, int status, String failure) {
        boolean acknowledged() {
            return status == 201;
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("SIGTERM under 8 writers: every accepted request is answered with its success, every failed one stored nothing")
    void sigtermUnderLoad() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        Map<String, String> environment = Map.of(
                "EVENTSTORE_DATA_DIR", dataDir.toString(),
                "EVENTSTORE_INITIAL_ADMIN_KEY_FILE", workDir.resolve("data/initial-admin-key").toString());
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        try (ServiceProcess service = ServiceProcess.start(environment, workDir.resolve("first.log"))) {
            service.awaitHealthy();
            CompletableFuture<String> follower = followTheFeed(service.baseUri());
            long terminated = loadAndTerminate(service, service.baseUri(), sent);
            int exit = service.awaitExit(Duration.ofSeconds(60));
            Duration stopping = Duration.ofNanos(System.nanoTime() - terminated);
            assertThat(exit).as("exit status after SIGTERM: " + service.log()).isIn(0, 143);
            assertThat(follower.get(10, TimeUnit.SECONDS)).as("how the event stream open during the shutdown ended")
                    .isEqualTo("ended");
            assertThat(stopping).as("the open event stream did not hold the shutdown for its grace period (20 s)")
                    .isLessThan(Duration.ofSeconds(15));
            assertThat(service.log()).contains("event=embedded_postgres_stopped");
        }

        List<Sent> acknowledged = sent.stream().filter(Sent::acknowledged).toList();
        List<Sent> answeredOtherwise = sent.stream().filter(s -> s.status() != 201 && s.status() != 0).toList();
        List<Sent> failed = sent.stream().filter(s -> s.status() == 0).toList();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_SIGTERM);
        assertThat(answeredOtherwise).as("requests answered with something else than their 201 during the shutdown").isEmpty();

        try (ServiceProcess again = ServiceProcess.start(environment, workDir.resolve("second.log"))) {
            again.awaitHealthy();
            Set<String> stored = storedEventIds(again.api());
            assertThat(acknowledged).as("acknowledged appends missing after the restart")
                    .filteredOn(s -> !stored.contains(s.eventId())).isEmpty();
            assertThat(failed).as("appends that were stored although their client saw the request fail (accepted, then cut off)")
                    .filteredOn(s -> stored.contains(s.eventId())).isEmpty();
        } finally {
            ServiceProcess.stopPostgres(dataDir);
        }
    }

    /**
     * Eight clients append one event per request over keep-alive connections; once enough are
     * acknowledged the service gets SIGTERM, and each client goes on until the service refuses it
     * a connection. Every request is recorded with its answer or, if it got none, why.
     */
    private static long loadAndTerminate(ServiceProcess service, URI base, List<Sent> sent) throws Exception {
        AtomicInteger acknowledged = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String stream = "shutdown-" + c;
                running.add(clients.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    assertThat(start.await(1, TimeUnit.MINUTES)).as("released").isTrue();
                    while (true) {
                        String eventId = UUID.randomUUID().toString();
                        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/streams/" + stream + "/events"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + ApiClient.TEST_ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": [{\"eventId\": \"" + eventId
                                        + "\", \"type\": \"Written\", \"data\": {\"n\": " + sent.size() + "}}]}"))
                                .build();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            sent.add(new Sent(stream, eventId, response.statusCode(), null));
                            if (response.statusCode() == 201) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (ConnectException refused) {
                            // The service no longer takes connections: nothing was sent, this client is done.
                            return null;
                        } catch (IOException noAnswer) {
                            sent.add(new Sent(stream, eventId, 0, noAnswer.toString()));
                        }
                    }
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (acknowledged.get() < ACKNOWLEDGED_BEFORE_SIGTERM) {
                for (Future<?> client : running) {
                    if (client.isDone()) {
                        client.get();
                    }
                }
                assertThat(System.nanoTime()).as("acknowledged before the SIGTERM: " + acknowledged.get()).isLessThan(deadline);
                Thread.sleep(20);
            }
            long terminated = System.nanoTime();
            ProcessHandle.of(service.pid()).orElseThrow().destroy();
            for (Future<?> client : running) {
                client.get(90, TimeUnit.SECONDS);
            }
            return terminated;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Opens the SSE stream of the feed and reads it to its end; completes with "ended" when the
     * service closes it cleanly, or with what went wrong.
     */
    private static CompletableFuture<String> followTheFeed(URI base) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/events/stream?after=0"))
                .header("Authorization", "Bearer " + ApiClient.TEST_ADMIN_KEY)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> { });
                return "ended";
            } catch (RuntimeException e) {
                return "failed: " + e;
            }
        });
    }

    private static Set<String> storedEventIds(ApiClient api) {
        Set<String> ids = new HashSet<>();
        for (int c = 0; c < CLIENTS; c++) {
            long from = 0;
            while (true) {
                ApiClient.Reply page = api.get("/api/streams/shutdown-" + c + "?fromVersion=" + (from + 1) + "&limit=1000");
                if (page.status() == 404) {
                    break;
                }
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                JsonNode events = page.json().get("events");
                for (JsonNode event : events) {
                    ids.add(event.get("eventId").asText());
                    from = event.get("version").asLong();
                }
                if (events.size() < 1000) {
                    break;
                }
            }
        }
        return ids;
    }
}
