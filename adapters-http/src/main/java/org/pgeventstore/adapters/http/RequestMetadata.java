package org.pgeventstore.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import java.util.Optional;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.access.Role;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who and what caused a request: {@code X-Correlation-Id} (generated when absent and echoed
 * back), {@code X-Causation-Id}, and the authenticated caller as {@code userId}. With the
 * {@code impersonate} role, {@code X-User-Id} is recorded too, as {@code onBehalfOf}; without it
 * the header is ignored, so a client never decides who it is. They are stored in the metadata of
 * every event the request appends, over the same keys in an event's own metadata.
 */
public record RequestMetadata(String correlationId, String causationId, String userId, String onBehalfOf) {

    public static final String CORRELATION_ID = "X-Correlation-Id";
    /** What every answer's {@value #CORRELATION_ID} header holds, for the OpenAPI document. */
    public static final String CORRELATION_ECHOED = "The request's correlation id: the X-Correlation-Id it carried, or one "
            + "generated for it; stored in the metadata of each event it appended";
    /** For the OpenAPI document: what each request header that goes into the metadata of appended events does. */
    public static final String CORRELATION_IN = "Correlates this request's events with others: stored in the metadata "
            + "of each event it appends (printable ASCII, at most 200 characters); one is generated when absent";
    public static final String CAUSATION_ID = "X-Causation-Id";
    public static final String CAUSATION_IN = "What caused this request, such as the id of an event: stored in the "
            + "metadata of each event it appends (printable ASCII, at most 200 characters)";
    public static final String USER_IN = "Whom the caller acts for: stored as onBehalfOf in the metadata of each "
            + "event it appends, with the impersonate role only; ignored without it";
    public static final String USER_ID = "X-User-Id";
    static final String ATTRIBUTE = RequestMetadata.class.getName();

    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7E]{1,200}");

    /** The request's metadata, its caller included: for handlers, which run after authentication. */
    public static RequestMetadata of(HttpRequest<?> request) {
        RequestMetadata headers = request.getAttribute(ATTRIBUTE, RequestMetadata.class).orElseGet(() -> from(request));
        Optional<Caller> caller = request.getUserPrincipal(Authentication.class).map(Caller::of);
        String onBehalfOf = caller.filter(c -> c.roles().contains(Role.IMPERSONATE.inWords()))
                .map(c -> header(request, USER_ID)).orElse(null);
        return new RequestMetadata(headers.correlationId(), headers.causationId(), caller.map(Caller::principal).orElse(null),
                onBehalfOf);
    }

    /** What the headers say, before anyone is authenticated: correlation and causation. */
    static RequestMetadata from(HttpRequest<?> request) {
        String correlation = header(request, CORRELATION_ID);
        return new RequestMetadata(correlation == null ? UUID.randomUUID().toString() : correlation,
                header(request, CAUSATION_ID), null, null);
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
        if (onBehalfOf != null) {
            metadata.put("onBehalfOf", onBehalfOf);
        }
    }
}
