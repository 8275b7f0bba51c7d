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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * Concurrency soak over HTTP: 16 clients append to 100 streams, with expected versions and
 * without, re-sending some appends, for a bounded time ({@code EVENTSTORE_SOAK_SECONDS}, 5 by
 * default; 60 for the long form). Afterwards the store must hold exactly what was acknowledged,
 * each append at the versions and positions its 201 named; some appends carry an expected version
 * stale on purpose and must conflict, some conflicted ones are appended anyhow and must be new, and
 * some acknowledged ones are re-sent and must be answered with their first result, adding nothing.
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

    record Acknowledged(String stream, List<String> eventIds, long firstVersion, long lastVersion, long firstPosition,
                        long lastPosition) {
        static Acknowledged of(String stream, List<String> eventIds, JsonNode result) {
            return new Acknowledged(stream, eventIds, result.get("firstVersion").asLong(), result.get("lastVersion").asLong(),
                    result.get("firstPosition").asLong(), result.get("lastPosition").asLong());
        }
    }

    record Stored(String stream, long version, long position) {
    }

    private static String body(String expected, List<String> ids) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            events.append(i == 0 ? "" : ",").append("{\"eventId\": \"").append(ids.get(i))
                    .append("\", \"type\": \"Soaked\", \"data\": {\"i\": ").append(i).append("}}");
        }
        return "{\"expectedVersion\": " + expected + ", \"events\": [" + events + "]}";
    }

    @Test
    @DisplayName("16 clients, 100 streams: every 201 stored at its versions and positions, conflicts and re-sends as promised")
    void soak() throws Exception {
        ApiClient api = new ApiClient(server.getURI());
        String category = "soak" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Long> knownVersions = new ConcurrentHashMap<>();
        List<Acknowledged> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger staleOnPurpose = new AtomicInteger();
        AtomicInteger appendedAfterConflict = new AtomicInteger();
        AtomicInteger resends = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong deadline = new AtomicLong();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                assertThat(start.await(1, TimeUnit.MINUTES)).as("released").isTrue();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline.get()) {
                    String stream = category + "-" + random.nextInt(STREAMS);
                    List<String> ids = new ArrayList<>();
                    for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
                        ids.add(UUID.randomUUID().toString());
                    }
                    boolean withExpectation = random.nextBoolean();
                    long known = knownVersions.getOrDefault(stream, 0L);
                    // Known versions only grow, so one below a known version is stale for certain.
                    boolean stale = withExpectation && known > 0 && random.nextInt(8) == 0;
                    String expected = !withExpectation ? "\"any\"" : String.valueOf(stale ? known - 1 : known);
                    String body = body(expected, ids);
                    var reply = api.postJson("/api/streams/" + stream + "/events", body);
                    switch (reply.status()) {
                        case 201 -> {
                            assertThat(stale).as("a stale expected version is a conflict: " + reply.body()).isFalse();
                            JsonNode result = reply.json();
                            acknowledged.add(Acknowledged.of(stream, ids, result));
                            knownVersions.merge(stream, result.get("lastVersion").asLong(), Math::max);
                            if (random.nextInt(10) == 0) {
                                // A re-send is answered from the store whatever its expected version says now.
                                String resent = random.nextBoolean() ? body : body(String.valueOf(known + 1000), ids);
                                var again = api.postJson("/api/streams/" + stream + "/events", resent);
                                assertThat(again.status()).as("a re-send is answered with the original result: " + again.body())
                                        .isEqualTo(200);
                                assertThat(again.json()).isEqualTo(result);
                                resends.incrementAndGet();
                            }
                        }
                        case 409 -> {
                            assertThat(withExpectation).as("only appends with an expected version may conflict").isTrue();
                            assertThat(reply.json().get("type").asText()).endsWith("/concurrency-conflict");
                            long actual = reply.json().get("actualVersion").asLong();
                            assertThat(actual).as("the conflict names the stream's version").isGreaterThanOrEqualTo(known);
                            knownVersions.merge(stream, actual, Math::max);
                            conflicts.incrementAndGet();
                            if (stale) {
                                staleOnPurpose.incrementAndGet();
                            }
                            if (random.nextInt(3) == 0) {
                                // Nothing of it was stored, so the same events appended anyhow are new: a 201.
                                var anyhow = api.postJson("/api/streams/" + stream + "/events", body("\"any\"", ids));
                                assertThat(anyhow.status()).as("a conflicted append left no trace: " + anyhow.body())
                                        .isEqualTo(201);
                                acknowledged.add(Acknowledged.of(stream, ids, anyhow.json()));
                                knownVersions.merge(stream, anyhow.json().get("lastVersion").asLong(), Math::max);
                                appendedAfterConflict.incrementAndGet();
                            } else {
                                rejected.addAll(ids);
                            }
                        }
                        default -> throw new AssertionError("unexpected " + reply.status() + ": " + reply.body());
                    }
                }
                return null;
            }));
        }
        deadline.set(System.nanoTime() + soakTime().toNanos());
        start.countDown();
        for (Future<?> client : running) {
            client.get(soakTime().toSeconds() + 120, TimeUnit.SECONDS);
        }
        clients.shutdown();

        Map<String, Stored> stored = new HashMap<>();
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
                    assertThat(stored.put(event.get("eventId").asText(), new Stored(stream, from, event.get("position").asLong())))
                            .as("each event stored once").isNull();
                    storedEvents++;
                    from++;
                }
            }
        }
        List<String> acknowledgedIds = acknowledged.stream().flatMap(a -> a.eventIds().stream()).toList();
        assertThat(stored.keySet()).as("every acknowledged event is stored").containsAll(acknowledgedIds);
        assertThat(storedEvents).as("and nothing else: re-sends added nothing").isEqualTo(acknowledgedIds.size());
        assertThat(stored.keySet()).as("a 409 leaves nothing behind").doesNotContainAnyElementsOf(rejected);
        for (Acknowledged append : acknowledged) {
            List<Stored> events = append.eventIds().stream().map(stored::get).toList();
            assertThat(events).as("an append's events are in its stream").allMatch(event -> event.stream().equals(append.stream()));
            assertThat(events).extracting(Stored::version).as("at the versions its 201 named")
                    .containsExactlyElementsOf(LongStream.rangeClosed(append.firstVersion(), append.lastVersion()).boxed().toList());
            assertThat(events.getFirst().position()).as("its first event at the 201's firstPosition").isEqualTo(append.firstPosition());
            assertThat(events.getLast().position()).as("its last event at the 201's lastPosition").isEqualTo(append.lastPosition());
            assertThat(events).extracting(Stored::position).isSorted();
        }
        assertThat(staleOnPurpose.get()).as("stale expected versions were sent, and all conflicted").isPositive();
        assertThat(conflicts.get()).isGreaterThanOrEqualTo(staleOnPurpose.get());
        assertThat(appendedAfterConflict.get()).as("conflicted appends were appended anyhow").isPositive();
        assertThat(resends.get()).as("acknowledged appends were re-sent").isPositive();

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
        System.out.printf("event=soak_done seconds=%d appends=%d events=%d conflicts=%d staleOnPurpose=%d "
                        + "appendedAfterConflict=%d resends=%d%n", soakTime().toSeconds(), acknowledged.size(),
                acknowledgedIds.size(), conflicts.get(), staleOnPurpose.get(), appendedAfterConflict.get(), resends.get());
    }
}
