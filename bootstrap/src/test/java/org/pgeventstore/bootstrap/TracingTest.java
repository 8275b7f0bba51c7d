package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.http.admin.KeysController;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.slf4j.LoggerFactory;

/** Tracing: server spans continue the caller's trace, appends and projection batches are spans with their statements. */
class TracingTest {

    /** What the SDK exported, with {@code test.tracing.in-memory} set in place of an OTLP collector. */
    static final InMemorySpanExporter EXPORTED = InMemorySpanExporter.create();

    @Factory
    @Requires(property = "test.tracing.in-memory")
    static class InMemorySpans {
        @Singleton
        SpanProcessor inMemory() {
            return SimpleSpanProcessor.create(EXPORTED);
        }
    }

    private static final String APPEND = "{\"events\": [{\"eventId\": \"%s\", \"type\": \"Traced\", \"data\": {\"n\": 1}}]}";

    private static Map<String, Object> properties(ScratchDatabase database, boolean inMemory) {
        var server = PostgresTestDatabase.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", server.username());
        properties.put("datasources.default.password", server.password());
        properties.put("micronaut.server.port", "-1");
        if (inMemory) {
            properties.put("test.tracing.in-memory", "true");
        }
        return properties;
    }

    private static String hex(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }

    private static SpanData awaitSpan(Predicate<SpanData> wanted, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            for (SpanData span : EXPORTED.getFinishedSpanItems()) {
                if (wanted.test(span)) {
                    return span;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
        throw new AssertionError("no span " + what + " among " + EXPORTED.getFinishedSpanItems().stream()
                .map(SpanData::getName).toList());
    }

    private static List<SpanData> childrenOf(SpanData parent) {
        return EXPORTED.getFinishedSpanItems().stream()
                .filter(span -> span.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    private static JsonNode storedMetadata(ApiClient api, String stream) {
        var read = api.get("/api/streams/" + stream);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json().get("events").get(0).get("metadata");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("with spans exported (in memory here, OTLP in production)")
    class Exported {

        private ScratchDatabase database;
        private EmbeddedServer server;
        private ApiClient api;

        @BeforeAll
        void start() {
            database = ScratchDatabase.create("tracing");
            server = ApplicationContext.run(EmbeddedServer.class, properties(database, true));
            api = new ApiClient(server.getURI());
        }

        @AfterAll
        void stop() {
            server.close();
            database.close();
        }

        @BeforeEach
        void forget() {
            EXPORTED.reset();
        }

        @Test
        @DisplayName("a request with a traceparent is a server span in that trace, its append a child span with the "
                + "stream and positions, the append's SQL statements beneath it, and the events keep the trace id")
        void appendInCallersTrace() {
            String traceId = hex(32);
            String callerSpan = hex(16);
            String stream = "traced-" + hex(8);
            var appended = api.postJson("/api/streams/" + stream + "/events", APPEND.formatted(UUID.randomUUID()),
                    "traceparent", "00-" + traceId + "-" + callerSpan + "-01");
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);
            long position = appended.json().get("lastPosition").asLong();

            SpanData request = awaitSpan(span -> span.getKind() == SpanKind.SERVER
                    && span.getTraceId().equals(traceId), "for the request");
            assertThat(request.getParentSpanId()).as("the caller's span is the parent").isEqualTo(callerSpan);
            SpanData append = awaitSpan(span -> span.getName().equals("eventstore.append")
                    && span.getTraceId().equals(traceId), "for the append");
            assertThat(append.getParentSpanId()).as("a child of the request").isEqualTo(request.getSpanId());
            assertThat(append.getAttributes().get(AttributeKey.stringKey("eventstore.stream_id"))).isEqualTo(stream);
            assertThat(append.getAttributes().get(AttributeKey.longKey("eventstore.event_count"))).isEqualTo(1L);
            assertThat(append.getAttributes().get(AttributeKey.longKey("eventstore.first_position"))).isEqualTo(position);
            assertThat(append.getAttributes().get(AttributeKey.longKey("eventstore.last_position"))).isEqualTo(position);
            List<SpanData> statements = childrenOf(append);
            assertThat(statements).as("the append's JDBC statements").isNotEmpty()
                    .allSatisfy(statement -> {
                        assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT);
                        assertThat(statement.getTraceId()).isEqualTo(traceId);
                    });

            assertThat(storedMetadata(api, stream).get("traceId").asText()).isEqualTo(traceId);
            assertThat(storedMetadata(api, stream).get("correlationId").asText()).isNotBlank();
        }

        @Test
        @DisplayName("a re-send from another trace is the same append: answered 200, the first trace id kept")
        void resendFromAnotherTrace() {
            String stream = "resent-" + hex(8);
            String body = APPEND.formatted(UUID.randomUUID());
            String first = hex(32);
            var appended = api.postJson("/api/streams/" + stream + "/events", body,
                    "traceparent", "00-" + first + "-" + hex(16) + "-01");
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);
            var resent = api.postJson("/api/streams/" + stream + "/events", body,
                    "traceparent", "00-" + hex(32) + "-" + hex(16) + "-01");
            assertThat(resent.status()).as(resent.body()).isEqualTo(200);
            assertThat(resent.json().get("lastPosition")).isEqualTo(appended.json().get("lastPosition"));
            assertThat(storedMetadata(api, stream).get("traceId").asText()).isEqualTo(first);
        }

        @Test
        @DisplayName("each projection batch is a span with the projection, its positions and event count, and the "
                + "read model's statements beneath it")
        void projectionBatch() {
            var placed = api.postJson("/api/orders", """
                    {"customerId": "traced-1",
                     "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 1, "unitPrice": 10.00}],
                     "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                    """);
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            long position = placed.json().get("position").asLong();

            SpanData batch = awaitSpan(span -> span.getName().equals("projection.batch")
                    && span.getAttributes().get(AttributeKey.longKey("projection.to_position")) >= position,
                    "for the batch that applied the order");
            assertThat(batch.getAttributes().get(AttributeKey.stringKey("projection.name"))).isEqualTo("orders");
            assertThat(batch.getAttributes().get(AttributeKey.longKey("projection.from_position"))).isLessThan(position);
            assertThat(batch.getAttributes().get(AttributeKey.longKey("projection.event_count"))).isPositive();
            assertThat(childrenOf(batch)).as("the read model's JDBC statements").isNotEmpty()
                    .allSatisfy(statement -> assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT));
        }

        @Test
        @DisplayName("what a request logs carries its trace id and server span id in the MDC, beside its correlation id")
        void traceInLogs() {
            String traceId = hex(32);
            Logger keys = (Logger) LoggerFactory.getLogger(KeysController.class);
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            logged.start();
            keys.addAppender(logged);
            try {
                var created = api.postJson("/api/admin/keys", "{\"name\": \"traced\", \"roles\": [\"read\"]}",
                        "traceparent", "00-" + traceId + "-" + hex(16) + "-01", "X-Correlation-Id", "traced-key");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            } finally {
                keys.detachAppender(logged);
            }
            SpanData request = awaitSpan(span -> span.getKind() == SpanKind.SERVER
                    && span.getTraceId().equals(traceId), "for the request");
            assertThat(logged.list).as("the key's creation").anySatisfy(line -> {
                assertThat(line.getFormattedMessage()).contains("event=api_key_created");
                assertThat(line.getMDCPropertyMap()).containsEntry("traceId", traceId)
                        .containsEntry("spanId", request.getSpanId()).containsEntry("correlationId", "traced-key");
            });
        }

        @Test
        @DisplayName("the background loops' statements outside any span are not traces of their own")
        void noRootStatements() throws InterruptedException {
            Thread.sleep(1_500); // projection polls, leases and the feed monitor run meanwhile
            assertThat(EXPORTED.getFinishedSpanItems())
                    .filteredOn(span -> span.getKind() == SpanKind.CLIENT)
                    .allSatisfy(statement -> assertThat(statement.getParentSpanContext().isValid())
                            .as(statement.getName()).isTrue());
        }
    }

    @Test
    @DisplayName("by default nothing is exported, yet appends keep the trace id of the request (the caller's with a "
            + "traceparent) to tie the events to the request's log lines")
    void offByDefault() {
        try (var database = ScratchDatabase.create("tracing_off");
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(database, false))) {
            OpenTelemetry openTelemetry = server.getApplicationContext().getBean(OpenTelemetry.class);
            String provider = ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().toString();
            assertThat(provider).as("no exporter, no processor").contains("spanProcessor=NoopSpanProcessor");
            assertThat(provider).contains("RootStatementsDropped");

            ApiClient api = new ApiClient(server.getURI());
            String traceId = hex(32);
            String withParent = "off-" + hex(8);
            assertThat(api.postJson("/api/streams/" + withParent + "/events", APPEND.formatted(UUID.randomUUID()),
                    "traceparent", "00-" + traceId + "-" + hex(16) + "-01").status()).isEqualTo(201);
            assertThat(storedMetadata(api, withParent).get("traceId").asText()).isEqualTo(traceId);

            String without = "off-" + hex(8);
            assertThat(api.postJson("/api/streams/" + without + "/events", APPEND.formatted(UUID.randomUUID()))
                    .status()).isEqualTo(201);
            assertThat(storedMetadata(api, without).get("traceId").asText())
                    .matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(traceId);
        }
    }
}
