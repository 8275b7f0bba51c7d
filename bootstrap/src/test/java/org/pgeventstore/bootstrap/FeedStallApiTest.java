package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.slf4j.LoggerFactory;

/**
 * A transaction left open on the database server withholds the feed: the service says so in
 * {@code GET /api/projections}, {@code GET /api/admin/stats}, the metrics and, past the threshold,
 * a log line that names the holder and what to do, and readiness past its own threshold.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedStallApiTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    ApiClient api;
    ListAppender<ILoggingEvent> logs;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("eventstore.feed.monitor-interval", "100ms");
        properties.put("eventstore.feed.stall-warning-after", "1s");
        properties.put("eventstore.readiness.max-feed-withheld", "1s");
        return properties;
    }

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(FeedMonitor.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(FeedMonitor.class)).detachAppender(logs);
    }

    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        T last = probe.get();
        while (!done.test(last)) {
            assertThat(Instant.now()).as("waiting for %s, last seen %s", what, last).isBefore(deadline);
            Thread.sleep(50);
            last = probe.get();
        }
        return last;
    }

    private boolean logged(String event, long pid) {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("event=" + event) && (pid < 0 || line.contains("holderPid=" + pid + " ")));
    }

    @Test
    @Timeout(60)
    @DisplayName("a forgotten BEGIN is reported with the events it withholds, its pid and what to do; then the stall ends")
    void forgottenTransaction() throws Exception {
        try (var pool = PostgresTestDatabase.shared().newPool(1); Connection forgotten = pool.getConnection()) {
            forgotten.setAutoCommit(false);
            long pid;
            try (Statement statement = forgotten.createStatement();
                 ResultSet row = statement.executeQuery("SELECT pg_backend_pid(), pg_current_xact_id()")) {
                row.next();
                pid = row.getLong(1);
            }
            var appended = api.postJson("/api/streams/stalled-1/events", "{\"events\": [{\"type\": \"Held\", \"data\": {}}]}");
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);

            JsonNode projection = await("the projection to report the withheld event",
                    () -> api.get("/api/projections/orders").json(),
                    view -> view.get("feed").get("withheldEvents").asLong() >= 1 && !view.get("feed").get("heldBy").isNull());
            JsonNode heldBy = projection.get("feed").get("heldBy");
            assertThat(heldBy.get("pid").asLong()).isEqualTo(pid);
            assertThat(heldBy.get("kind").asText()).isEqualTo("session");
            assertThat(heldBy.get("remedy").asText()).contains("pg_terminate_backend(" + pid + ")");

            JsonNode stats = api.get("/api/admin/stats").json();
            assertThat(stats.get("feed").get("withheldEvents").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(stats.get("feed").get("heldBy").get("pid").asLong()).isEqualTo(pid);
            // The metrics show the monitor's latest look, taken every 100 ms here.
            await("the withheld-events metric", () -> api.get("/prometheus").body(),
                    metrics -> metrics.matches("(?s).*\\neventstore_feed_withheld_events(\\{[^}]*\\})? [1-9].*"));

            await("the stall warning", () -> logged("feed_stalled", pid), Boolean::booleanValue);
            String warning = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("event=feed_stalled")).findFirst().orElseThrow();
            assertThat(warning).contains("holderKind=session").contains("action=\"end that transaction");
            var unready = await("readiness to go DOWN past eventstore.readiness.max-feed-withheld",
                    () -> api.get("/health/readiness"), reply -> reply.status() == 503);
            assertThat(unready.body()).contains("the feed has withheld an event for", "feed.heldBy");
            assertThat(api.get("/health/liveness").status()).as("a held feed is no reason to restart").isEqualTo(200);
            forgotten.rollback();
        }
        await("the stall to end", () -> logged("feed_stall_ended", -1), Boolean::booleanValue);
        await("readiness to come back", () -> api.get("/health/readiness").status(), status -> status == 200);
        JsonNode after = api.get("/api/projections/orders").json();
        assertThat(after.get("feed").get("withheldEvents").asLong()).isZero();
        assertThat(after.get("feed").get("heldBy").isNull()).isTrue();
    }
}
