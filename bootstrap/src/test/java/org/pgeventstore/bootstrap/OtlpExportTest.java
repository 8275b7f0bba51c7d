package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.ScratchDatabase;

/** {@code otel.traces.exporter=otlp}: the spans go to the collector at the configured endpoint over HTTP. */
class OtlpExportTest {

    @Test
    @DisplayName("with OTLP configured, a request's spans are posted as protobuf to <endpoint>/v1/traces, in the "
            + "caller's trace, its append among them")
    void exportsToCollector() throws Exception {
        var server = PostgresTestDatabase.shared();
        try (var collector = new OtlpCollector(); var database = ScratchDatabase.create("otlp")) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("datasources.default.url", database.jdbcUrl());
            properties.put("datasources.default.username", server.username());
            properties.put("datasources.default.password", server.password());
            properties.put("otel.traces.exporter", "otlp");
            properties.put("otel.exporter.otlp.endpoint", collector.endpoint());
            properties.put("otel.bsp.schedule.delay", "100");
            String traceId = UUID.randomUUID().toString().replace("-", "");
            try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
                var appended = new ApiClient(service.getURI()).postJson("/api/streams/otlp-1/events",
                        "{\"events\": [{\"type\": \"Exported\", \"data\": {}}]}",
                        "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
                assertThat(appended.status()).as(appended.body()).isEqualTo(201);
                var export = collector.awaitTrace(traceId, Duration.ofSeconds(20));
                assertThat(export).as("an export carrying the request's trace").hasValueSatisfying(post -> {
                    assertThat(post.path()).isEqualTo("/v1/traces");
                    assertThat(post.contentType()).isEqualTo("application/x-protobuf");
                    assertThat(post.mentions("eventstore.append")).as("the append span").isTrue();
                });
            }
        }
    }
}
