package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.application.subscription.MemberPartition;

/**
 * Consumer groups over HTTP on a real PostgreSQL, each test on a database of its own: checkpoints
 * across a restart, competing members under concurrent writers, long polls, a rescale under
 * continuous writes, the bound on waiting polls.
 */
class ConsumerGroupTest {

    private static EmbeddedServer service(ScratchDatabase database, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("micronaut.server.port", "-1");
        properties.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private static void append(ApiClient api, String stream, String type) {
        var reply = api.postJson("/api/streams/" + stream + "/events", "{\"events\": [{\"type\": \"" + type + "\", \"data\": {}}]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private static void create(ApiClient api, String name, String body, int status) {
        var reply = api.putJson("/api/subscriptions/" + name, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    }

    private static JsonNode poll(ApiClient api, String name, String query) {
        var reply = api.get("/api/subscriptions/" + name + "/events?" + query);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static void ack(ApiClient api, String name, long position, int member, int members) {
        var reply = api.postJson("/api/subscriptions/" + name + "/ack",
                "{\"position\": " + position + ", \"member\": " + member + ", \"members\": " + members + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(204);
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("events").forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    @Test
    @DisplayName("checkpoints survive a restart: after a new service starts on the database, unacknowledged events "
            + "come again and acknowledged ones do not")
    void checkpointsSurviveRestart() {
        try (var database = ScratchDatabase.create("groups_restart")) {
            try (EmbeddedServer first = service(database, Map.of())) {
                ApiClient api = new ApiClient(first.getURI());
                create(api, "billing", "{\"category\": \"invoice\", \"startFrom\": \"beginning\"}", 201);
                for (int i = 1; i <= 5; i++) {
                    append(api, "invoice-" + (i % 2), "Invoiced" + i);
                }
                append(api, "cart-1", "Ignored");
                JsonNode two = poll(api, "billing", "limit=2");
                assertThat(types(two)).containsExactly("Invoiced1", "Invoiced2");
                ack(api, "billing", two.get("next").asLong(), 0, 1);
                assertThat(types(poll(api, "billing", "limit=100"))).containsExactly("Invoiced3", "Invoiced4", "Invoiced5");
            }
            try (EmbeddedServer second = service(database, Map.of())) {
                ApiClient api = new ApiClient(second.getURI());
                JsonNode again = poll(api, "billing", "limit=100");
                assertThat(types(again)).containsExactly("Invoiced3", "Invoiced4", "Invoiced5");
                JsonNode listed = api.get("/api/subscriptions/billing").json();
                assertThat(listed.get("lag").asLong()).isEqualTo(3);
                ack(api, "billing", again.get("next").asLong(), 0, 1);
                assertThat(poll(api, "billing", "limit=100&wait=0").get("events")).isEmpty();
                assertThat(api.get("/api/subscriptions/billing").json().get("lag").asLong()).isZero();
                String metrics = api.anonymous().get("/prometheus").body();
                assertThat(metrics).contains("eventstore_subscription_delivered_events_total{subscription=\"billing\"} 3.0")
                        .contains("eventstore_subscription_acknowledgements_total{subscription=\"billing\"} 1.0");
            }
        }
    }

    /** One consumer's loop: poll, record, ack, until {@code done} and a poll brought nothing new. */
    private static Map<String, List<Long>> consume(ApiClient api, String name, int member, int members, AtomicBoolean done,
                                                   List<Long> positions) {
        Map<String, List<Long>> versions = new HashMap<>();
        while (true) {
            boolean finished = done.get();
            var reply = api.get("/api/subscriptions/" + name + "/events?limit=50&wait=1s&member=" + member + "&members=" + members);
            if (reply.status() == 409) {
                return versions;
            }
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode page = reply.json();
            for (JsonNode event : page.get("events")) {
                positions.add(event.get("position").asLong());
                versions.computeIfAbsent(event.get("streamId").asText(), s -> new ArrayList<>()).add(event.get("version").asLong());
            }
            var acked = api.postJson("/api/subscriptions/" + name + "/ack", "{\"position\": " + page.get("next").asLong()
                    + ", \"member\": " + member + ", \"members\": " + members + "}");
            if (acked.status() == 409) {
                return versions;
            }
            assertThat(acked.status()).as(acked.body()).isEqualTo(204);
            if (finished && page.get("events").isEmpty()) {
                return versions;
            }
        }
    }

    @Test
    @DisplayName("3 members while 8 writers append to 40 streams: every event exactly once across the members, each "
            + "stream at exactly one member (the one its id hashes to), in version order")
    void competingMembers() throws Exception {
        try (var database = ScratchDatabase.create("groups_compete");
             EmbeddedServer service = service(database, Map.of())) {
            ApiClient api = new ApiClient(service.getURI());
            create(api, "share", "{\"startFrom\": \"beginning\", \"members\": 3}", 201);
            ExecutorService threads = Executors.newFixedThreadPool(11);
            AtomicBoolean written = new AtomicBoolean();
            List<Long> positions = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                List<Future<Map<String, List<Long>>>> members = new ArrayList<>();
                for (int m = 0; m < 3; m++) {
                    int member = m;
                    members.add(threads.submit(() -> consume(api, "share", member, 3, written, positions)));
                }
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    int writer = w;
                    writers.add(threads.submit(() -> {
                        for (int i = 0; i < 30; i++) {
                            append(api, "share-" + ((writer * 30 + i) % 40), "Shared");
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get(120, TimeUnit.SECONDS);
                }
                written.set(true);
                Map<String, Integer> memberOf = new HashMap<>();
                for (int m = 0; m < 3; m++) {
                    for (var stream : members.get(m).get(120, TimeUnit.SECONDS).entrySet()) {
                        assertThat(memberOf.put(stream.getKey(), m)).as("%s at one member", stream.getKey()).isNull();
                        assertThat(MemberPartition.memberOf(stream.getKey(), 3)).isEqualTo(m);
                        List<Long> expected = new ArrayList<>();
                        for (long v = 1; v <= stream.getValue().size(); v++) {
                            expected.add(v);
                        }
                        assertThat(stream.getValue()).as("%s in version order, each once", stream.getKey()).isEqualTo(expected);
                    }
                }
                assertThat(positions).hasSize(240).doesNotHaveDuplicates();
                assertThat(memberOf).hasSize(40);
                assertThat(Set.copyOf(memberOf.values())).containsExactlyInAnyOrder(0, 1, 2);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("a long poll returns soon after an event is appended during its wait (the poll interval is an hour), "
            + "and empty after its wait when none is")
    void longPoll() throws Exception {
        try (var database = ScratchDatabase.create("groups_wait");
             EmbeddedServer service = service(database, Map.of("eventstore.subscriptions.poll-interval", "1h"))) {
            ApiClient api = new ApiClient(service.getURI());
            create(api, "waiter", "{\"startFrom\": \"end\"}", 201);
            long started = System.nanoTime();
            assertThat(poll(api, "waiter", "wait=1s").get("events")).isEmpty();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));

            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                Future<JsonNode> waiting = thread.submit(() -> poll(api, "waiter", "wait=25s"));
                Thread.sleep(500);
                long appended = System.nanoTime();
                append(api, "late-1", "Arrived");
                assertThat(types(waiting.get(15, TimeUnit.SECONDS))).containsExactly("Arrived");
                assertThat(System.nanoTime() - appended).as("well before the 25 s wait ends")
                        .isLessThan(TimeUnit.SECONDS.toNanos(15));
            } finally {
                thread.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("beyond eventstore.subscriptions.max-waiting-polls, a poll that would wait is a 503 with Retry-After")
    void tooManyWaitingPolls() throws Exception {
        try (var database = ScratchDatabase.create("groups_busy");
             EmbeddedServer service = service(database, Map.of("eventstore.subscriptions.max-waiting-polls", "2"))) {
            ApiClient api = new ApiClient(service.getURI());
            create(api, "busy", "{\"startFrom\": \"end\"}", 201);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<JsonNode>> waiting = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    waiting.add(threads.submit(() -> poll(api, "busy", "wait=20s")));
                }
                Thread.sleep(1000);
                var refused = api.get("/api/subscriptions/busy/events?wait=5s");
                refused.assertProblem(503, "/too-many-waiting-polls");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(poll(api, "busy", "wait=0").get("events")).isEmpty();
                append(api, "busy-1", "Freed");
                for (Future<JsonNode> poll : waiting) {
                    assertThat(types(poll.get(15, TimeUnit.SECONDS))).containsExactly("Freed");
                }
                assertThat(types(poll(api, "busy", "wait=1s"))).containsExactly("Freed");
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("under continuous writes, a rescale from 2 to 3 members: 409 naming each member's position until the "
            + "old members reached the highest checkpoint, then 3 members; every event exactly once across the change")
    void rescaleUnderWrites() throws Exception {
        try (var database = ScratchDatabase.create("groups_rescale");
             EmbeddedServer service = service(database, Map.of())) {
            ApiClient api = new ApiClient(service.getURI());
            create(api, "grow", "{\"startFrom\": \"beginning\", \"members\": 2}", 201);
            ExecutorService threads = Executors.newFixedThreadPool(6);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean none = new AtomicBoolean();
            List<Long> positions = java.util.Collections.synchronizedList(new ArrayList<>());
            Map<Long, Boolean> appended = new ConcurrentHashMap<>();
            try {
                Future<?> writer = threads.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        var reply = api.postJson("/api/streams/grow-" + (i % 17) + "/events",
                                "{\"events\": [{\"type\": \"Grown\", \"data\": {}}]}");
                        assertThat(reply.status()).isEqualTo(201);
                        appended.put(reply.json().get("firstPosition").asLong(), true);
                    }
                    return null;
                });
                Thread.sleep(500);
                JsonNode first = poll(api, "grow", "limit=20&member=0&members=2");
                assertThat(first.get("events")).isNotEmpty();
                ack(api, "grow", first.get("next").asLong(), 0, 2);
                first.get("events").forEach(event -> positions.add(event.get("position").asLong()));

                var rescaling = api.putJson("/api/subscriptions/grow", "{\"startFrom\": \"beginning\", \"members\": 3}");
                assertThat(rescaling.status()).as(rescaling.body()).isEqualTo(200);
                assertThat(rescaling.json().get("status").asText()).isEqualTo("rescaling");
                long at = rescaling.json().get("rescale").get("at").asLong();
                assertThat(at).isEqualTo(first.get("next").asLong());
                var refused = api.get("/api/subscriptions/grow/events?member=2&members=3");
                refused.assertProblem(409, "/group-size-conflict");
                assertThat(refused.json().get("checkpoints").toString()).contains("\"position\":0");
                assertThat(refused.json().get("detail").asText()).contains("member 1 at 0").contains("members=2");

                List<Future<?>> old = new ArrayList<>();
                for (int m = 0; m < 2; m++) {
                    int member = m;
                    old.add(threads.submit(() -> consume(api, "grow", member, 2, none, positions)));
                }
                for (Future<?> consumer : old) {
                    consumer.get(60, TimeUnit.SECONDS);
                }
                assertThat(positions).allSatisfy(position -> assertThat(position).isLessThanOrEqualTo(at));
                assertThat(api.get("/api/subscriptions/grow").json().get("members").asInt()).isEqualTo(3);

                AtomicBoolean finished = new AtomicBoolean();
                List<Future<?>> grown = new ArrayList<>();
                for (int m = 0; m < 3; m++) {
                    int member = m;
                    grown.add(threads.submit(() -> consume(api, "grow", member, 3, finished, positions)));
                }
                Thread.sleep(1000);
                stop.set(true);
                writer.get(30, TimeUnit.SECONDS);
                finished.set(true);
                for (Future<?> consumer : grown) {
                    consumer.get(60, TimeUnit.SECONDS);
                }
                assertThat(positions).doesNotHaveDuplicates();
                assertThat(Set.copyOf(positions)).isEqualTo(appended.keySet());
            } finally {
                stop.set(true);
                threads.shutdownNow();
            }
        }
    }
}
