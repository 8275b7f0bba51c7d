package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

class InsecureModeTest {

    @Test
    @DisplayName("with security disabled no token is asked for, and events record the caller as anonymous")
    void anonymousCaller() {
        Map<String, Object> properties = new HashMap<>(TestDatabaseProperties.of(PostgresTestDatabase.shared()));
        properties.put("micronaut.security.enabled", "false");
        properties.put("micronaut.server.port", "-1");
        try (EmbeddedServer service = ApplicationContext.run(EmbeddedServer.class, properties)) {
            ApiClient api = new ApiClient(service.getURI()).anonymous();
            String stream = "/api/streams/insecure-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(api.postJson(stream + "/events", "{\"events\": [{\"type\": \"T\", \"data\": {}}]}").status())
                    .isEqualTo(201);
            assertThat(api.get(stream).json().get("events").get(0).get("metadata").get("userId").asText())
                    .isEqualTo("anonymous");
            assertThat(api.get("/api/admin/stats").status()).isEqualTo(200);
        }
    }
}
