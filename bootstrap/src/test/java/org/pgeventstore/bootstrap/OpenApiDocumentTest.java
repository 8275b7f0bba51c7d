package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... keys) {
        Map<String, Object> here = node;
        for (String key : keys) {
            assertThat(here).as("the document has " + String.join(" > ", keys)).containsKey(key);
            here = (Map<String, Object>) here.get(key);
        }
        return here;
    }

    @Test
    @DisplayName("the document is served as application/yaml and says what the service answers")
    @SuppressWarnings("unchecked")
    void documentIsTrue() {
        var reply = new ApiClient(server.getURI()).get("/swagger/pg-eventstore-0.1.yml");
        assertThat(reply.contentType()).startsWith("application/yaml");
        Map<String, Object> document = new org.yaml.snakeyaml.Yaml().load(reply.body());
        Map<String, Object> schemas = at(document, "components", "schemas");
        for (String time : List.of("paidAt", "shippedAt", "deliveredAt", "cancelledAt")) {
            assertThat(at(schemas, "OrderView", "properties", time)).as(time + " is null until it happens")
                    .containsEntry("nullable", true);
        }
        for (String member : List.of("data", "metadata")) {
            assertThat(at(schemas, "Event", "properties", member)).as("an event's " + member + " is any JSON object")
                    .containsEntry("type", "object").containsEntry("additionalProperties", true);
        }
        Map<String, Object> paths = at(document, "paths");
        paths.forEach((path, operations) -> ((Map<String, Object>) operations).forEach((method, operation) -> {
            Map<String, Object> responses = at((Map<String, Object>) operation, "responses");
            assertThat(responses).as(method + " " + path + " declares the problems of every route")
                    .containsKeys("400", "401", "403", "429", "500", "503");
            responses.forEach((status, response) -> {
                Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) response).get("content");
                if (content != null && content.containsKey("application/json")) {
                    assertThat(at(content, "application/json", "schema")).as(method + " " + path + " " + status
                            + " has a real body schema, not a string").doesNotContainEntry("type", "string");
                }
            });
        }));
        List<Map<String, Object>> feedParameters = (List<Map<String, Object>>) at(paths, "/api/events", "get")
                .get("parameters");
        assertThat(feedParameters).anySatisfy(parameter -> assertThat(parameter).containsEntry("name", "after")
                .extractingByKey("schema").asString().contains("integer"));
        assertThat(feedParameters).anySatisfy(parameter -> assertThat(parameter).containsEntry("name", "type"));
    }

    private static final java.util.regex.Pattern CONTRACT_ROUTE =
            java.util.regex.Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/api[^`?\\s]*)");

    /** A route with its path variables unnamed, so {@code {id}} in one matches {@code {orderId}} in the other. */
    private static String route(String method, String path) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    @DisplayName("docs/api.md and the OpenAPI document name the same routes")
    @SuppressWarnings("unchecked")
    void contractAndDocumentAgree() throws Exception {
        String contract = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "api.md"));
        java.util.Set<String> written = new java.util.TreeSet<>();
        java.util.regex.Matcher matcher = CONTRACT_ROUTE.matcher(contract);
        while (matcher.find()) {
            written.add(route(matcher.group(1), matcher.group(2)));
        }
        var reply = new ApiClient(server.getURI()).get("/swagger/pg-eventstore-0.1.yml");
        Map<String, Object> paths = at(new org.yaml.snakeyaml.Yaml().load(reply.body()), "paths");
        java.util.Set<String> served = new java.util.TreeSet<>();
        paths.forEach((path, operations) -> ((Map<String, Object>) operations).keySet()
                .forEach(method -> served.add(route(method, path))));
        assertThat(written).as("routes in docs/api.md").isNotEmpty();
        assertThat(served).as("every route of the OpenAPI document is in docs/api.md").isSubsetOf(written);
        assertThat(written).as("every route of docs/api.md is in the OpenAPI document").isSubsetOf(served);
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
