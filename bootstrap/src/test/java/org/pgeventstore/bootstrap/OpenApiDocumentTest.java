package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/** The service serves the OpenAPI document of its whole API, and a page to browse it. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    @Test
    @DisplayName("the document names every route of the API with its problem responses")
    void document() {
        var reply = new ApiClient(server.getURI()).get("/swagger/pg-eventstore-0.1.yml");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("openapi: 3.", "title: pg-eventstore",
                "/api/streams/{streamId}/events:", "/api/streams/{streamId}:", "/api/events:",
                "/api/orders:", "/api/orders/{id}:", "/api/orders/{id}/items:", "/api/orders/{id}/payment:",
                "/api/orders/{id}/shipment:", "/api/orders/{id}/delivery:", "/api/orders/{id}/cancellation:",
                "/api/orders/{id}/events:", "application/problem+json", "OrderView", "AppendRequest");
    }

    @Test
    @DisplayName("the browsable page and its assets are served from the service itself")
    void page() {
        var api = new ApiClient(server.getURI());
        var page = api.get("/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui", "/swagger/pg-eventstore-0.1.yml");
        assertThat(api.get("/swagger-ui/res/swagger-ui-bundle.js").status()).isEqualTo(200);
    }
}
