package org.pgeventstore.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Gives every API request a correlation id (the client's, or a new one) and echoes it on the response. */
@ServerFilter("/api/**")
public class CorrelationFilter {

    @RequestFilter
    public void remember(HttpRequest<?> request) {
        try {
            request.setAttribute(RequestMetadata.ATTRIBUTE, RequestMetadata.from(request));
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
