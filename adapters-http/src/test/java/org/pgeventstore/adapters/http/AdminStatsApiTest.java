package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.InMemorySnapshotStore;
import org.pgeventstore.application.snapshot.Snapshot;

@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
class AdminStatsApiTest {

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    @Inject
    InMemorySnapshotStore snapshots;

    private JsonNode categoryOf(JsonNode stats, String category) {
        for (JsonNode entry : stats.get("categories")) {
            if (entry.get("category").asText().equals(category)) {
                return entry;
            }
        }
        throw new AssertionError("no category " + category + " in " + stats);
    }

    private void append(String stream, String type, int events) {
        store.append(StreamId.of(stream), ExpectedVersion.ANY,
                IntStream.range(0, events).mapToObj(i -> NewEvent.of(type, "{}")).toList());
    }

    @Test
    @DisplayName("counts events and streams by category and type, lists the largest streams and the snapshot coverage")
    void stats() {
        String category = "stat" + UUID.randomUUID().toString().replace("-", "");
        append(category + "-1", "Opened", 1);
        append(category + "-2", "Opened", 1);
        append(category + "-2", "Noted", 2);
        append(category + "-3", "Opened", 1);
        append(category + "-big", "Noted", 60);
        Instant takenAt = Instant.parse("2026-02-01T12:00:00Z");
        snapshots.save(new Snapshot(StreamId.of(category + "-big"), 50, 50, takenAt, takenAt, 1, new byte[] {1}));
        snapshots.save(new Snapshot(StreamId.of(category + "-big"), 60, 60, takenAt, takenAt.plusSeconds(5), 1, new byte[] {1}));

        var reply = new ApiClient(server.getURI()).get("/api/admin/stats");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode stats = reply.json();
        assertThat(stats.has("relay")).as("no relay configured: relay is null").isTrue();
        assertThat(stats.get("relay").isNull()).isTrue();
        JsonNode own = categoryOf(stats, category);
        assertThat(own.get("streams").asLong()).isEqualTo(4);
        assertThat(own.get("events").asLong()).isEqualTo(65);
        assertThat(own.get("streamsWithSnapshot").asLong()).isEqualTo(1);
        assertThat(own.get("snapshots").asLong()).isEqualTo(2);
        assertThat(own.get("snapshotCoverage").asDouble()).isEqualTo(0.25);
        assertThat(own.get("latestSnapshot").get("version").asLong()).isEqualTo(60);
        assertThat(own.get("latestSnapshot").get("takenAt").asText()).isEqualTo("2026-02-01T12:00:05Z");
        assertThat(stats.get("largestStreams").get(0).get("streamId").asText()).isEqualTo(category + "-big");
        assertThat(stats.get("largestStreams").get(0).get("version").asLong()).isEqualTo(60);
        assertThat(stats.get("largestStreams").size()).isLessThanOrEqualTo(10);

        long byCategory = 0;
        for (JsonNode entry : stats.get("categories")) {
            byCategory += entry.get("events").asLong();
        }
        long byType = 0;
        for (JsonNode count : (Iterable<JsonNode>) stats.get("eventsByType")::elements) {
            byType += count.asLong();
        }
        assertThat(stats.get("events").asLong()).isEqualTo(byCategory).isEqualTo(byType);
        assertThat(stats.get("eventsByType").get("Noted").asLong()).isGreaterThanOrEqualTo(62);
        assertThat(stats.get("snapshots").get("streamsWithSnapshot").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("a category without snapshots has a null latest snapshot and zero coverage")
    void noSnapshots() {
        String category = "bare" + UUID.randomUUID().toString().replace("-", "");
        append(category + "-1", "Opened", 3);

        JsonNode own = categoryOf(new ApiClient(server.getURI()).get("/api/admin/stats").json(), category);

        assertThat(own.get("latestSnapshot").isNull()).isTrue();
        assertThat(own.get("snapshotCoverage").asDouble()).isZero();
        assertThat(own.get("events").asLong()).isEqualTo(3);
    }
}
