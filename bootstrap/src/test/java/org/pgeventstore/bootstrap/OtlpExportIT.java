package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service, tracing switched on the way an operator does: environment variables only. */
class OtlpExportIT {

    @TempDir
    Path workDir;

    @Test
    @DisplayName("OTEL_TRACES_EXPORTER=otlp and OTEL_EXPORTER_OTLP_ENDPOINT: a request's trace reaches the collector")
    void environmentSwitchesExportOn() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        try (var collector = new OtlpCollector();
             ServiceProcess service = ServiceProcess.start(Map.of(
                     "EVENTSTORE_DATA_DIR", workDir.resolve("data/postgres").toString(),
                     "OTEL_TRACES_EXPORTER", "otlp",
                     "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                     "OTEL_BSP_SCHEDULE_DELAY", "100"), workDir.resolve("service.log"))) {
            service.awaitHealthy();
            var appended = service.api().postJson("/api/streams/otlp-it/events",
                    "{\"events\": [{\"type\": \"Exported\", \"data\": {}}]}",
                    "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
            assertThat(appended.status()).as(appended.body()).isEqualTo(201);
            assertThat(collector.awaitTrace(traceId, Duration.ofSeconds(30))).as(service.log())
                    .hasValueSatisfying(export -> assertThat(export.path()).isEqualTo("/v1/traces"));
        }
    }
}
