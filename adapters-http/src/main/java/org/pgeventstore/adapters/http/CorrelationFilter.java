package org.pgeventstore.adapters.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;

/**
 * Gives every API request a correlation id (the client's, or a new one), echoes it on the response,
 * and puts it in the logging MDC as {@code correlationId} for whatever the request logs, on
 * whichever thread (Micronaut propagates the context to the executors it hands the request to).
 */
@ServerFilter("/api/**")
public class CorrelationFilter {

    /** The MDC key of the request's correlation id, in every log line the request causes. */
    public static final String MDC_KEY = "correlationId";

    @RequestFilter
    public void remember(HttpRequest<?> request, MutablePropagatedContext context) {
        try {
            RequestMetadata metadata = RequestMetadata.from(request);
            request.setAttribute(RequestMetadata.ATTRIBUTE, metadata);
            context.add(new MdcPropagationContext(Map.of(MDC_KEY, metadata.correlationId())));
        } catch (ApiProblem invalidHeader) {
            // Left unset: the handler will read the header again and answer 400 with this problem.
        }
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(RequestMetadata.ATTRIBUTE, RequestMetadata.class)
                .ifPresent(metadata -> response.header(RequestMetadata.CORRELATION_ID, metadata.correlationId()));
    }
}
