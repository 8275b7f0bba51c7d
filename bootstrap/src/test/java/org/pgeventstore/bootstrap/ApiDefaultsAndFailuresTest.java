package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.order.ForwardingEventStore;

/**
 * The assembled service with its shipped configuration (application.yml) on a real PostgreSQL:
 * the API's default limits, and the failures a client must be able to tell apart.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDefaultsAndFailuresTest implements TestPropertyProvider {

    private static final String PLACE = """
            {"customerId": "cust-edge",
             "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
             "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
            """;
    private static final String ITEM = """
            {"productId": "p-2", "sku": "SKU-2", "name": "Gadget", "quantity": 1, "unitPrice": 4.00}""";
    private static final int RETRY_ATTEMPTS = 3;

    /** Streams on which another writer appends just before each of the service's appends. */
    static final Set<String> CONTENDED = ConcurrentHashMap.newKeySet();
    static final AtomicInteger COMPETING_APPENDS = new AtomicInteger();

    /** Wraps the service's PostgreSQL event store: a competing writer wins every race on a contended stream. */
    @Singleton
    @Requires(property = "test.contended-streams")
    static class CompetingWriter implements BeanCreatedEventListener<EventStore> {
        @Override
        public EventStore onCreated(BeanCreatedEvent<EventStore> event) {
            return new ForwardingEventStore(event.getBean()) {
                @Override
                public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
                    if (CONTENDED.contains(stream.value()) && expected instanceof ExpectedVersion.Exact) {
                        NewEvent theirs = events.getFirst();
                        delegate.append(stream, ExpectedVersion.ANY, List.of(new NewEvent(UUID.randomUUID(), theirs.type(),
                                theirs.schemaVersion(), theirs.data(), "{\"competitor\": true}")));
                        COMPETING_APPENDS.incrementAndGet();
                    }
                    return delegate.append(stream, expected, events);
                }
            };
        }
    }

    @Inject
    EmbeddedServer server;

    ApiClient api;

    /** A database of its own: the unreadable event would hold up the order projection of other tests. */
    private ScratchDatabase database;

    @Override
    public Map<String, String> getProperties() {
        database = ScratchDatabase.create("api_edges");
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("test.contended-streams", "true");
        properties.put("eventstore.orders.retry.max-attempts", String.valueOf(RETRY_ATTEMPTS));
        return properties;
    }

    @AfterAll
    void dropDatabase() {
        server.getApplicationContext().stop();
        database.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(server.getURI());
    }

    private static String stream() {
        return "edge" + UUID.randomUUID().toString().replace("-", "") + "-1";
    }

    private static String append(int events, String event) {
        return "{\"events\": [" + String.join(",", Collections.nCopies(events, event)) + "]}";
    }

    private long version(String stream) {
        var reply = api.get("/api/streams/" + stream + "?fromVersion=1&limit=1");
        return reply.status() == 404 ? 0 : reply.json().get("version").asLong();
    }

    private String place() {
        var placed = api.postJson("/api/orders", PLACE);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return placed.json().get("id").asText();
    }

    @Test
    @DisplayName("by default an append carries at most 1,000 events (422 past it, nothing stored)")
    void eventsPerAppend() {
        String stream = stream();
        var tooMany = api.postJson("/api/streams/" + stream + "/events", append(1001, "{\"type\": \"T\", \"data\": {}}"));
        tooMany.assertProblem(422, "/validation-failed");
        assertThat(tooMany.body()).contains("at most 1000");
        assertThat(version(stream)).isZero();

        var most = api.postJson("/api/streams/" + stream + "/events", append(1000, "{\"type\": \"T\", \"data\": {}}"));
        assertThat(most.status()).as(most.body()).isEqualTo(201);
        assertThat(version(stream)).isEqualTo(1000);
    }

    @Test
    @DisplayName("by default an event's data is at most 1 MiB and its metadata at most 64 KiB (413, nothing stored)")
    void eventSizes() {
        String stream = stream();
        var data = api.postJson("/api/streams/" + stream + "/events",
                "{\"events\": [{\"type\": \"T\", \"data\": {\"big\": \"" + "x".repeat(1024 * 1024) + "\"}}]}");
        data.assertProblem(413, "/event-too-large");
        assertThat(data.json().get("maxEventDataBytes").asInt()).isEqualTo(1024 * 1024);
        var metadata = api.postJson("/api/streams/" + stream + "/events",
                "{\"events\": [{\"type\": \"T\", \"data\": {}, \"metadata\": {\"note\": \"" + "x".repeat(64 * 1024) + "\"}}]}");
        metadata.assertProblem(413, "/event-too-large");
        assertThat(metadata.json().get("maxEventMetadataBytes").asInt()).isEqualTo(64 * 1024);
        assertThat(version(stream)).isZero();

        var justUnder = api.postJson("/api/streams/" + stream + "/events",
                "{\"events\": [{\"type\": \"T\", \"data\": {\"big\": \"" + "x".repeat(1024 * 1024 - 20) + "\"}}]}");
        assertThat(justUnder.status()).as(justUnder.body()).isEqualTo(201);
    }

    @Test
    @DisplayName("by default a body is at most 16 MB (413 problem, nothing stored)")
    void requestSize() {
        String stream = stream();
        String event = "{\"type\": \"T\", \"data\": {\"big\": \"" + "x".repeat(1000 * 1000) + "\"}}";
        var reply = api.postJson("/api/streams/" + stream + "/events", append(17, event));
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(version(stream)).isZero();
    }

    @Test
    @DisplayName("by default a page holds 100 events, and at most 1,000 whatever the limit asked")
    void pageSizes() {
        String stream = stream();
        String event = "{\"type\": \"T\", \"data\": {}}";
        assertThat(api.postJson("/api/streams/" + stream + "/events", append(1000, event)).status()).isEqualTo(201);
        assertThat(api.postJson("/api/streams/" + stream + "/events", append(5, event)).status()).isEqualTo(201);

        assertThat(api.get("/api/streams/" + stream).json().get("events")).hasSize(100);
        assertThat(api.get("/api/streams/" + stream + "?limit=100000").json().get("events")).hasSize(1000);
        String category = stream.substring(0, stream.indexOf('-'));
        assertThat(api.get("/api/events?category=" + category).json().get("events")).hasSize(100);
        assertThat(api.get("/api/events?limit=5000&category=" + category).json().get("events")).hasSize(1000);
    }

    @Test
    @DisplayName("version and asOf together are a 400 naming the parameter")
    void versionWithAsOf() {
        String id = place();
        var reply = api.get("/api/orders/" + id + "?version=1&asOf=2026-01-01T00:00:00Z");
        reply.assertProblem(400, "/invalid-parameter");
        assertThat(reply.body()).contains("either version or asOf");
    }

    @Test
    @DisplayName("an order whose stream holds an event the service cannot read is a 500 /unreadable-event naming it")
    void unreadableEvent() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement append = connection.prepareStatement("SELECT * FROM append_events(?, 0, ?, ?, ?, ?, ?)")) {
            append.setString(1, "order-" + id);
            append.setArray(2, connection.createArrayOf("uuid", new Object[] {UUID.randomUUID()}));
            append.setArray(3, connection.createArrayOf("text", new Object[] {"OrderPlaced"}));
            append.setArray(4, connection.createArrayOf("text", new Object[] {"{\"customerId\": 42}"}));
            append.setArray(5, connection.createArrayOf("text", new Object[] {"{}"}));
            append.setArray(6, connection.createArrayOf("int4", new Object[] {3}));
            append.executeQuery().close();
        }
        var reply = api.get("/api/orders/" + id);
        reply.assertProblem(500, "/unreadable-event");
        JsonNode problem = reply.json();
        assertThat(problem.get("streamId").asText()).isEqualTo("order-" + id);
        assertThat(problem.get("version").asLong()).isEqualTo(1);
        assertThat(problem.get("eventType").asText()).isEqualTo("OrderPlaced");
    }

    @Test
    @DisplayName("a command that loses every race until its retries run out is a 409 /concurrency-conflict, "
            + "and none of its events is stored")
    void retriesRunOut() {
        String id = place();
        String stream = "order-" + id;
        CONTENDED.add(stream);
        int competingBefore = COMPETING_APPENDS.get();
        try {
            var reply = api.postJson("/api/orders/" + id + "/items", ITEM);
            reply.assertProblem(409, "/concurrency-conflict");
        } finally {
            CONTENDED.remove(stream);
        }
        assertThat(COMPETING_APPENDS.get() - competingBefore).as("one lost race per attempt").isEqualTo(RETRY_ATTEMPTS);
        JsonNode events = api.get("/api/streams/" + stream).json().get("events");
        assertThat(events).hasSize(1 + RETRY_ATTEMPTS);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("metadata").get("competitor").asBoolean())
                    .as("event %d is the competitor's", i + 1).isTrue();
        }
    }
}
