package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The judge every HTTP test's answers go through: it passes what the document describes, and only that. */
class ApiContractTest {

    private static final URI STREAM = URI.create("http://localhost/api/streams/acct-1");
    private static final String SLICE = """
            {"streamId": "acct-1", "version": 1, "events": [{"eventId": "6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b",
              "streamId": "acct-1", "type": "Opened", "schemaVersion": 1, "version": 1, "position": 65536,
              "data": {"n": 1, "nested": {"a": [1, "x"]}}, "metadata": {}, "occurredAt": "2026-12-02T10:00:00Z"}]}
            """;

    private static HttpHeaders headers(String... pairs) {
        var map = new java.util.LinkedHashMap<String, List<String>>();
        map.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Test
    @DisplayName("an answer the document describes passes, free-form data included")
    void described() {
        assertThatCode(() -> ApiContract.check("GET", STREAM, 200, SLICE, headers("ETag", "\"1\"", "X-Correlation-Id", "c-1")))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a status the route does not declare fails")
    void undeclaredStatus() {
        assertThatThrownBy(() -> ApiContract.check("GET", STREAM, 418, "{}", headers()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("418");
    }

    @Test
    @DisplayName("a field the schema does not list fails, though JSON Schema alone would let it through")
    void undeclaredField() {
        String extra = SLICE.replace("\"version\": 1, \"events\"", "\"version\": 1, \"secret\": true, \"events\"");
        assertThatThrownBy(() -> ApiContract.check("GET", STREAM, 200, extra, headers()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("secret");
    }

    @Test
    @DisplayName("null where the schema does not allow it fails, and a required member missing fails")
    void nullAndMissing() {
        assertThatThrownBy(() -> ApiContract.check("GET", STREAM, 200, SLICE.replace("\"streamId\": \"acct-1\", \"version\": 1, \"events\"",
                "\"streamId\": null, \"version\": 1, \"events\""), headers())).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ApiContract.check("GET", STREAM, 200, "{\"streamId\": \"acct-1\", \"events\": []}", headers()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("version");
    }

    @Test
    @DisplayName("one of the service's own headers on an answer that does not declare it fails")
    void undeclaredOwnHeader() {
        assertThatThrownBy(() -> ApiContract.check("GET", URI.create("http://localhost/api/events?after=0"), 200,
                "{\"events\": [], \"next\": 0}", headers("Location", "/api/events")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("location");
    }

    @Test
    @DisplayName("a content type the answer does not declare fails")
    void undeclaredContentType() {
        var text = HttpHeaders.of(Map.of("Content-Type", List.of("text/plain")), (name, value) -> true);
        assertThatThrownBy(() -> ApiContract.check("GET", STREAM, 200, "acct-1", text)).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("outside /api, and for a route the API does not have, there is nothing to judge")
    void outsideTheApi() {
        assertThatCode(() -> ApiContract.check("GET", URI.create("http://localhost/health"), 200, "{}", headers()))
                .doesNotThrowAnyException();
        assertThatCode(() -> ApiContract.check("GET", URI.create("http://localhost/api/nothing-here"), 404, "{}", headers()))
                .doesNotThrowAnyException();
    }
}
