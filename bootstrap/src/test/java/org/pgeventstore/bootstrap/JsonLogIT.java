package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EVENTSTORE_LOG_FORMAT=json}: the packaged service logs one JSON object a line, and a line a
 * request causes carries that request's correlation id and trace id, whichever thread wrote it.
 */
class JsonLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path workDir;

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON log line: " + line, e);
        }
    }

    @Test
    @DisplayName("json: every log line is a JSON object, and a request's lines carry its correlation id and trace id")
    void jsonLines() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        try (ServiceProcess service = ServiceProcess.start(Map.of("EVENTSTORE_DATA_DIR", dataDir.toString(),
                "EVENTSTORE_LOG_FORMAT", "json"), workDir.resolve("service.log"))) {
            service.awaitHealthy();
            var created = service.api().postJson("/api/admin/keys", "{\"name\": \"json-log\", \"roles\": [\"read\"]}",
                    "X-Correlation-Id", "json-log-1", "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
            assertThat(created.status()).as(created.body()).isEqualTo(201);

            ProcessHandle.of(service.pid()).orElseThrow().destroy();
            service.awaitExit(Duration.ofSeconds(60));
            String log = service.log();

            // The JVM itself may print plain warnings to stderr; no line may be one of the service's in text form.
            assertThat(log.lines().filter(line -> line.contains(" level=")).toList())
                    .as("text log lines in json mode:\n" + log).isEmpty();
            List<JsonNode> lines = log.lines().filter(line -> line.startsWith("{")).map(JsonLogIT::parse).toList();
            assertThat(lines).as(log).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("level").asText()).isNotEmpty();
                assertThat(line.path("loggerName").asText()).isNotEmpty();
                assertThat(line.path("formattedMessage").asText()).isNotEmpty();
            });
            assertThat(lines).as("the key's creation, logged on a request thread, with the request's correlation id:\n" + log)
                    .anySatisfy(line -> {
                        assertThat(line.path("formattedMessage").asText()).contains("event=api_key_created");
                        assertThat(line.path("mdc").path("correlationId").asText()).isEqualTo("json-log-1");
                        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(TRACE_ID);
                        assertThat(line.path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}");
                    });
            assertThat(lines).as("the embedded PostgreSQL's stop, logged outside any request, has no correlation id")
                    .anySatisfy(line -> {
                        assertThat(line.path("formattedMessage").asText()).contains("event=embedded_postgres_stopped");
                        assertThat(line.path("mdc").path("correlationId").isMissingNode()).isTrue();
                    });
        }
    }

    @Test
    @DisplayName("an unknown format is refused at start, with what to set instead, before anything else logs")
    void unknownFormat() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("EVENTSTORE_DATA_DIR", workDir.resolve("data").toString(),
                "EVENTSTORE_LOG_FORMAT", "yaml"), workDir.resolve("service.log"))) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(service.log()).contains("reason=unknown_log_format", "EVENTSTORE_LOG_FORMAT=\"yaml\"", "text (the default) or json");
        }
    }
}
