package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.eventstore.EventStore;

/** The assembled service on a real PostgreSQL (external, Testcontainers or embedded, see PostgresTestDatabase). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceOnPostgresTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    private ApiClient api() {
        return new ApiClient(server.getURI());
    }

    @Test
    @DisplayName("the service wires the PostgreSQL event store, its appends traced")
    void wiresPostgres() {
        assertThat(store).isInstanceOfSatisfying(TracedEventStore.class,
                traced -> assertThat(traced.traced()).isInstanceOf(PostgresEventStore.class));
    }

    @Test
    @DisplayName("append, read back, page the feed, and conflict over HTTP on PostgreSQL")
    void streamRoundTrip() {
        var api = api();
        String category = "svc" + UUID.randomUUID().toString().replace("-", "");
        String stream = category + "-1";
        var created = api.postJson("/api/streams/" + stream + "/events",
                "{\"expectedVersion\": 0, \"events\": [{\"type\": \"Opened\", \"data\": {\"n\": 1}}, {\"type\": \"Noted\", \"data\": {\"n\": 2}}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("lastVersion").asLong()).isEqualTo(2);

        var read = api.get("/api/streams/" + stream).json();
        assertThat(read.get("version").asLong()).isEqualTo(2);
        assertThat(read.get("events").get(1).get("data").get("n").asInt()).isEqualTo(2);

        var feed = api.get("/api/events?after=0&category=" + category).json();
        assertThat(feed.get("events")).hasSize(2);
        assertThat(feed.get("next").asLong()).isEqualTo(created.json().get("lastPosition").asLong());

        var conflict = api.postJson("/api/streams/" + stream + "/events",
                "{\"expectedVersion\": 1, \"events\": [{\"type\": \"Late\", \"data\": {}}]}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("actualVersion").asLong()).isEqualTo(2);
    }

    @Test
    @DisplayName("bad input stores nothing in PostgreSQL")
    void badInputStoresNothing() {
        var api = api();
        String stream = "svcbad-" + UUID.randomUUID();
        var reply = api.postJson("/api/streams/" + stream + "/events",
                "{\"events\": [{\"type\": \"Ok\", \"data\": {}}, {\"type\": \"Bad\", \"data\": [1]}]}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(api.get("/api/streams/" + stream).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("16 clients appending with the same If-Match: exactly one wins, the others get 412 and append nothing")
    void concurrentIfMatch() throws Exception {
        var api = api();
        String stream = "svcifmatch-" + UUID.randomUUID();
        String body = "{\"events\": [{\"type\": \"Tick\", \"data\": {}}]}";
        assertThat(api.postJson("/api/streams/" + stream + "/events", body).status()).isEqualTo(201);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Integer>> replies = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            String ifMatch = c % 2 == 0 ? "\"1\"" : "\"1\", \"7\"";
            replies.add(clients.submit(() -> api.postJson("/api/streams/" + stream + "/events", body,
                    "If-Match", ifMatch).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> reply : replies) {
            statuses.add(reply.get(2, TimeUnit.MINUTES));
        }
        clients.shutdown();
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 412).hasSize(15);
        assertThat(store.currentVersion(org.pgeventstore.application.eventstore.StreamId.of(stream))).isEqualTo(2);
    }

    @Test
    @DisplayName("16 clients appending over HTTP to one stream with \"any\": all succeed with contiguous versions")
    void concurrentHttpAppends() throws Exception {
        var api = api();
        String stream = "svcrace-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        Map<Long, Boolean> versions = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            futures.add(clients.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    var reply = api.postJson("/api/streams/" + stream + "/events",
                            "{\"events\": [{\"type\": \"Tick\", \"data\": {}}]}");
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    assertThat(versions.put(reply.json().get("firstVersion").asLong(), true)).isNull();
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 160).boxed().toList());
    }

    @Test
    @DisplayName("/prometheus serves metrics in the Prometheus text format, HTTP and connection pool included")
    void prometheus() {
        api().get("/api/events?limit=1");
        var reply = api().get("/prometheus");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("# TYPE http_server_requests_seconds", "hikaricp_connections");
    }

    @Test
    @DisplayName("the pool waits at most eventstore.database.connection-timeout (3 s) for a connection")
    void connectionTimeout(DataSource dataSource) {
        assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource).getHikariConfigMXBean().getConnectionTimeout())
                .isEqualTo(3000);
    }

    @Test
    @DisplayName("/health reports UP with the database checked")
    void health() {
        var reply = api().get("/health");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("UP");
        assertThat(reply.body()).contains("jdbc");
    }
}
