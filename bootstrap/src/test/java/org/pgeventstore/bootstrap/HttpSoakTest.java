package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * Concurrency soak over HTTP: 16 clients append to 100 streams, with expected versions and
 * without, re-sending some appends, for a bounded time ({@code EVENTSTORE_SOAK_SECONDS}, 5 by
 * default; 60 for the long form). Afterwards the store must hold exactly what was acknowledged.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpSoakTest implements TestPropertyProvider {

    private static final int CLIENTS = 16;
    private static final int STREAMS = 100;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    private static Duration soakTime() {
        String seconds = System.getProperty("EVENTSTORE_SOAK_SECONDS", System.getenv("EVENTSTORE_SOAK_SECONDS"));
        return Duration.ofSeconds(seconds == null ? 5 : Long.parseLong(seconds));
    }

    record Acknowledged(String stream, List<String> eventIds, long firstVersion, long lastVersion, long lastPosition) {
    }

    @Test
    @DisplayName("16 clients, 100 streams: contiguous versions, unique positions, every 201 stored, no 409 left a trace")
    void soak() throws Exception {
        ApiClient api = new ApiClient(server.getURI());
        String category = "soak" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Long> knownVersions = new ConcurrentHashMap<>();
        List<Acknowledged> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger resends = new AtomicInteger();
        long deadline = System.nanoTime() + soakTime().toNanos();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    String stream = category + "-" + random.nextInt(STREAMS);
                    int count = 1 + random.nextInt(3);
                    List<String> ids = new ArrayList<>();
                    StringBuilder events = new StringBuilder();
                    for (int i = 0; i < count; i++) {
                        String id = UUID.randomUUID().toString();
                        ids.add(id);
                        events.append(i == 0 ? "" : ",").append("{\"eventId\": \"").append(id)
                                .append("\", \"type\": \"Soaked\", \"data\": {\"i\": ").append(i).append("}}");
                    }
                    boolean withExpectation = random.nextBoolean();
                    String expected = withExpectation ? String.valueOf(knownVersions.getOrDefault(stream, 0L)) : "\"any\"";
                    String body = "{\"expectedVersion\": " + expected + ", \"events\": [" + events + "]}";
                    var reply = api.postJson("/api/streams/" + stream + "/events", body);
                    switch (reply.status()) {
                        case 201 -> {
                            JsonNode result = reply.json();
                            acknowledged.add(new Acknowledged(stream, ids, result.get("firstVersion").asLong(),
                                    result.get("lastVersion").asLong(), result.get("lastPosition").asLong()));
                            knownVersions.merge(stream, result.get("lastVersion").asLong(), Math::max);
                            if (random.nextInt(10) == 0) {
                                var again = api.postJson("/api/streams/" + stream + "/events", body);
                                assertThat(again.status()).as("a re-send is answered with the original result").isEqualTo(200);
                                assertThat(again.json()).isEqualTo(result);
                                resends.incrementAndGet();
                            }
                        }
                        case 409 -> {
                            assertThat(withExpectation).as("only appends with an expected version may conflict").isTrue();
                            assertThat(reply.json().get("type").asText()).endsWith("/concurrency-conflict");
                            knownVersions.merge(stream, reply.json().get("actualVersion").asLong(), Math::max);
                            rejected.addAll(ids);
                            conflicts.incrementAndGet();
                        }
                        default -> throw new AssertionError("unexpected " + reply.status() + ": " + reply.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(soakTime().toSeconds() + 120, TimeUnit.SECONDS);
        }
        clients.shutdown();

        Map<String, Integer> storedIds = new HashMap<>();
        Set<Long> positions = new HashSet<>();
        int storedEvents = 0;
        for (int s = 0; s < STREAMS; s++) {
            String stream = category + "-" + s;
            long from = 1;
            while (true) {
                var reply = api.get("/api/streams/" + stream + "?fromVersion=" + from + "&limit=1000");
                if (reply.status() == 404) {
                    break;
                }
                JsonNode events = reply.json().get("events");
                if (events.isEmpty()) {
                    break;
                }
                for (JsonNode event : events) {
                    assertThat(event.get("version").asLong()).as("versions of %s are contiguous", stream).isEqualTo(from);
                    assertThat(positions.add(event.get("position").asLong())).as("positions are unique").isTrue();
                    storedIds.merge(event.get("eventId").asText(), 1, Integer::sum);
                    storedEvents++;
                    from++;
                }
            }
        }
        List<String> acknowledgedIds = acknowledged.stream().flatMap(a -> a.eventIds().stream()).toList();
        assertThat(storedIds.keySet()).as("every acknowledged event is stored").containsAll(acknowledgedIds);
        assertThat(storedEvents).as("and nothing else").isEqualTo(acknowledgedIds.size());
        assertThat(storedIds.values()).allMatch(times -> times == 1);
        assertThat(storedIds.keySet()).as("a 409 leaves nothing behind").doesNotContainAnyElementsOf(rejected);

        List<String> fed = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = api.get("/api/events?after=" + after + "&limit=1000&category=" + category).json();
            if (page.get("events").isEmpty()) {
                break;
            }
            page.get("events").forEach(event -> fed.add(event.get("eventId").asText()));
            after = page.get("next").asLong();
        }
        assertThat(fed).as("the global feed returns each event exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(acknowledgedIds);
        assertThat(acknowledged).as("the soak did work").isNotEmpty();
        System.out.printf("event=soak_done seconds=%d appends=%d events=%d conflicts=%d resends=%d%n",
                soakTime().toSeconds(), acknowledged.size(), acknowledgedIds.size(), conflicts.get(), resends.get());
    }
}
