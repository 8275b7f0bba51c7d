package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;

@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
class StreamListApiTest {

    @Inject
    EmbeddedServer server;

    ApiClient api;
    String category;

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
        category = "list" + UUID.randomUUID().toString().replace("-", "");
    }

    private JsonNode append(String stream, int events) {
        StringBuilder body = new StringBuilder("{\"events\": [");
        for (int n = 1; n <= events; n++) {
            body.append(n > 1 ? "," : "").append("{\"type\": \"Counted\", \"data\": {\"n\": ").append(n).append("}}");
        }
        var reply = api.postJson("/api/streams/" + stream + "/events", body.append("]}").toString());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    @Test
    @DisplayName("a category's streams, in stream id order with version, last position and time, page by page")
    void pages() {
        List<JsonNode> appended = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            appended.add(append(category + "-" + n, n));
        }
        append(category + "x-1", 1);

        var first = api.get("/api/streams?category=" + category + "&limit=2");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode streams = first.json().get("streams");
        assertThat(streams).extracting(s -> s.get("streamId").asText()).containsExactly(category + "-1", category + "-2");
        JsonNode second = streams.get(1);
        assertThat(second.get("category").asText()).isEqualTo(category);
        assertThat(second.get("version").asLong()).isEqualTo(2);
        assertThat(second.get("lastPosition").asLong()).isEqualTo(appended.get(1).get("lastPosition").asLong());
        assertThat(second.get("updatedAt").asText()).isNotBlank();
        assertThat(first.json().get("next").asText()).isEqualTo(category + "-2");

        JsonNode last = api.get("/api/streams?category=" + category + "&limit=2&after=" + category + "-2").json();
        assertThat(last.get("streams")).extracting(s -> s.get("streamId").asText()).containsExactly(category + "-3");
        assertThat(last.get("next").isNull()).isTrue();

        JsonNode both = api.get("/api/streams?category=" + category + "x&category=" + category).json();
        assertThat(both.get("streams")).extracting(s -> s.get("streamId").asText())
                .containsExactly(category + "-1", category + "-2", category + "-3", category + "x-1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"after=a b, after", "limit=0, limit", "limit=many, limit", "category=no-dash, category"})
    @DisplayName("a bad parameter is a 400 naming it")
    void badParameters(String query, String parameter) {
        var reply = api.get("/api/streams?" + query.replace(" ", "%20"));
        reply.assertProblem(400, "/invalid-parameter");
        assertThat(reply.body()).contains(parameter);
    }
}
