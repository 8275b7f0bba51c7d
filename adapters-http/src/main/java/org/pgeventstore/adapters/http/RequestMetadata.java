package org.pgeventstore.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who and what caused a request, from its headers: {@code X-Correlation-Id} (generated
 * when absent and echoed back), {@code X-Causation-Id} and {@code X-User-Id}. They are
 * stored in the metadata of every event the request appends; a header overrides the
 * same key in an event's own metadata, an absent header leaves it alone.
 */
public record RequestMetadata(String correlationId, String causationId, String userId) {

    public static final String CORRELATION_ID = "X-Correlation-Id";
    public static final String CAUSATION_ID = "X-Causation-Id";
    public static final String USER_ID = "X-User-Id";
    static final String ATTRIBUTE = RequestMetadata.class.getName();

    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7E]{1,200}");

    public static RequestMetadata of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, RequestMetadata.class).orElseGet(() -> from(request));
    }

    static RequestMetadata from(HttpRequest<?> request) {
        String correlation = header(request, CORRELATION_ID);
        return new RequestMetadata(correlation == null ? UUID.randomUUID().toString() : correlation,
                header(request, CAUSATION_ID), header(request, USER_ID));
    }

    private static String header(HttpRequest<?> request, String name) {
        String value = request.getHeaders().get(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!HEADER_VALUE.matcher(value).matches()) {
            throw ApiProblem.badParameter(name, "must be 1..200 visible ASCII characters without spaces");
        }
        return value;
    }

    void applyTo(ObjectNode metadata) {
        metadata.put("correlationId", correlationId);
        if (causationId != null) {
            metadata.put("causationId", causationId);
        }
        if (userId != null) {
            metadata.put("userId", userId);
        }
    }
}
