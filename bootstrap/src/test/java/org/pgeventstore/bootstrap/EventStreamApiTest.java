package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.http.EventStreamController;
import org.pgeventstore.adapters.http.SseClient;
import org.pgeventstore.adapters.http.SseClient.Message;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * {@code GET /api/events/stream} on PostgreSQL with a real SSE client: exactly once and in feed order
 * across reconnects while 8 writers append, filters and category-limited keys, the bound on open
 * streams, a stalled consumer, heartbeats. Each test writes to categories of its own.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamApiTest implements TestPropertyProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_STREAMS = 4;

    @Inject
    EmbeddedServer server;

    @Inject
    EventStreamController streams;

    ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.sse.heartbeat", "1s");
        properties.put("eventstore.sse.max-streams", Integer.toString(MAX_STREAMS));
        properties.put("eventstore.sse.page-size", "10");
        return properties;
    }

    @BeforeEach
    void noStreamOpen() {
        api = new ApiClient(server.getURI());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (streams.openStreams() > 0) {
                Thread.sleep(10);
            }
        }, "the streams of the previous test are closed");
    }

    private static String category() {
        return "sse" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private void append(String stream, String type, int count) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            events.append(i == 0 ? "" : ",").append("{\"type\": \"").append(type).append("\", \"data\": {\"n\": ")
                    .append(i).append(", \"text\": \"line one\\nline two\"}}");
        }
        var reply = api.postJson("/api/streams/" + stream + "/events", "{\"events\": [" + events + "]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    /** The whole feed of {@code query} (category and type parameters), page by page, as JSON events. */
    private List<JsonNode> feed(String query) {
        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = api.get("/api/events?limit=1000&after=" + after + "&" + query).json();
            page.get("events").forEach(events::add);
            if (page.get("events").isEmpty()) {
                return events;
            }
            after = page.get("next").asLong();
        }
    }

    private SseClient open(String path, String... headers) {
        return SseClient.open(server.getURI(), path, ApiClient.TEST_ADMIN_KEY, headers);
    }

    /** The next message that is not a heartbeat, failing when none comes within 10 s. */
    private static Message event(SseClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Message message = client.next(Duration.ofMillis(200));
            if (message != null && !message.isComment()) {
                return message;
            }
        }
        throw new AssertionError("no event within 10 s");
    }

    private static void assertSameEvents(List<Message> received, List<JsonNode> feed) throws Exception {
        assertThat(received).hasSameSizeAs(feed);
        for (int i = 0; i < feed.size(); i++) {
            JsonNode expected = feed.get(i);
            Message message = received.get(i);
            assertThat(message.id()).isEqualTo(expected.get("position").asText());
            assertThat(message.event()).isEqualTo(expected.get("type").asText());
            assertThat(JSON.readTree(message.data())).as("data is the event as the feed shows it").isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("8 writers append while a consumer disconnects and reconnects with Last-Event-ID: it receives every "
            + "event exactly once, in feed order")
    void exactlyOnceAcrossReconnects() throws Exception {
        String category = category();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> writing = new ArrayList<>();
        for (int writer = 0; writer < 8; writer++) {
            int w = writer;
            writing.add(writers.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    append(category + "-" + w + "-" + (i % 3), "Wrote" + (i % 2), 1 + i % 3);
                }
            }));
        }
        int expected = 8 * (14 * 1 + 13 * 2 + 13 * 3);
        List<Message> received = new ArrayList<>();
        int[] connections = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            String last = null;
            while (received.size() < expected) {
                try (SseClient client = last == null ? open("/api/events/stream?after=0&category=" + category)
                        : open("/api/events/stream?after=0&category=" + category, "Last-Event-ID", last)) {
                    connections[0]++;
                    assertThat(client.status()).isEqualTo(200);
                    assertThat(client.header("Content-Type")).startsWith("text/event-stream");
                    int take = ThreadLocalRandom.current().nextInt(20, 120);
                    for (int i = 0; i < take && received.size() < expected; i++) {
                        Message message = event(client);
                        received.add(message);
                        last = message.id();
                    }
                }
            }
        });
        for (Future<?> done : writing) {
            done.get();
        }
        writers.shutdown();
        assertThat(connections[0]).as("the consumer reconnected several times").isGreaterThanOrEqualTo(5);
        assertThat(received.size()).isEqualTo(expected);
        assertSameEvents(received, feed("category=" + category));
    }

    @Test
    @DisplayName("category and type filters give what the feed gives; a key limited to a category sees only it and is "
            + "refused another with 403; no token is a 401")
    void filtersAndLimitedKeys() throws Exception {
        String mine = category();
        String other = category();
        append(mine + "-1", "Kept", 3);
        append(mine + "-2", "Dropped", 2);
        append(other + "-1", "Kept", 2);
        append(mine + "-1", "Kept", 1);
        try (SseClient client = open("/api/events/stream?category=" + mine + "&type=Kept")) {
            List<Message> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                received.add(event(client));
            }
            assertSameEvents(received, feed("category=" + mine + "&type=Kept"));
            assertThat(client.next(Duration.ofMillis(1500))).as("nothing else but heartbeats")
                    .matches(message -> message == null || message.isComment());
        }
        var key = api.postJson("/api/admin/keys", "{\"name\": \"sse-" + mine + "\", \"roles\": [\"read\"], "
                + "\"categories\": [\"" + mine + "\"]}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String limited = key.json().get("key").asText();
        long start = feed("category=" + mine).getFirst().get("position").asLong() - 1;
        try (SseClient client = SseClient.open(server.getURI(), "/api/events/stream?after=" + start, limited)) {
            List<Message> received = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                received.add(event(client));
            }
            assertSameEvents(received, feed("category=" + mine));
        }
        try (SseClient refused = SseClient.open(server.getURI(), "/api/events/stream?category=" + other, limited)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        try (SseClient anonymous = SseClient.open(server.getURI(), "/api/events/stream", null)) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("Last-Event-ID resumes after that position and wins over after; a malformed one or after is a 400 problem")
    void resumeAndBadInput() throws Exception {
        String category = category();
        append(category + "-1", "One", 3);
        List<JsonNode> feed = feed("category=" + category);
        try (SseClient client = open("/api/events/stream?after=0&category=" + category, "Last-Event-ID",
                feed.get(0).get("position").asText())) {
            assertThat(event(client).id()).isEqualTo(feed.get(1).get("position").asText());
            assertThat(event(client).id()).isEqualTo(feed.get(2).get("position").asText());
        }
        for (String[] bad : List.of(new String[] {"/api/events/stream", "Last-Event-ID", "abc"},
                new String[] {"/api/events/stream?after=-1"}, new String[] {"/api/events/stream?type=no%20spaces"})) {
            String[] headers = java.util.Arrays.copyOfRange(bad, 1, bad.length);
            try (SseClient client = open(bad[0], headers)) {
                assertThat(client.status()).as(String.join(" ", bad)).isEqualTo(400);
                assertThat(client.header("Content-Type")).startsWith("application/problem+json");
                assertThat(client.errorBody()).contains("invalid-parameter");
            }
        }
        assertThat(streams.openStreams()).as("refused requests take no slot").isZero();
    }

    @Test
    @DisplayName("one stream more than eventstore.sse.max-streams is a 503 problem with Retry-After; closing a stream "
            + "frees its slot")
    void tooManyStreams() throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                open.add(open("/api/events/stream?category=" + category()));
                assertThat(open.getLast().status()).isEqualTo(200);
            }
            try (SseClient refused = open("/api/events/stream")) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.errorBody()).contains("too-many-streams");
            }
            open.removeFirst().close();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (true) {
                    SseClient again = open("/api/events/stream?category=" + category());
                    if (again.status() == 200) {
                        open.add(again);
                        return;
                    }
                    again.close();
                    Thread.sleep(50);
                }
            }, "the closed stream's slot is free again");
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    @DisplayName("a consumer that reads nothing holds up neither the writers nor another consumer, and gets every event "
            + "once it reads again")
    void stalledConsumer() throws Exception {
        String category = category();
        try (SseClient stalled = SseClient.openPaused(server.getURI(), "/api/events/stream?after=0&category=" + category,
                ApiClient.TEST_ADMIN_KEY);
             SseClient reading = open("/api/events/stream?after=0&category=" + category)) {
            assertThat(stalled.status()).isEqualTo(200);
            String padding = "x".repeat(4000);
            int appends = 400;
            List<Message> received = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < appends; i++) {
                    var reply = api.postJson("/api/streams/" + category + "-" + (i % 7) + "/events",
                            "{\"events\": [{\"type\": \"Big\", \"data\": {\"pad\": \"" + padding + "\"}}]}");
                    assertThat(reply.status()).isEqualTo(201);
                }
                while (received.size() < appends) {
                    received.add(event(reading));
                }
            }, "1.6 MB of events are written and read by the other consumer while one reads nothing");
            List<JsonNode> feed = feed("category=" + category);
            assertSameEvents(received, feed);
            stalled.resume();
            List<Message> late = new ArrayList<>();
            for (int i = 0; i < appends; i++) {
                late.add(event(stalled));
            }
            assertSameEvents(late, feed);
        }
    }

    @Test
    @DisplayName("an idle stream gets a ': keep-alive' comment at once and then every heartbeat, and no message")
    void heartbeat() throws Exception {
        try (SseClient client = open("/api/events/stream?category=" + category())) {
            for (int i = 0; i < 3; i++) {
                Message message = client.next(Duration.ofSeconds(5));
                assertThat(message).as("heartbeat %d within 5 s (heartbeat 1 s)", i).isNotNull();
                assertThat(message.isComment()).isTrue();
                assertThat(message.comments()).containsExactly("keep-alive");
            }
        }
    }
}
