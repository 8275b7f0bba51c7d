package org.pgeventstore.adapters.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives every API request a correlation id (the client's, or a new one), echoes it on the response,
 * and puts it in the logging MDC as {@code correlationId} for whatever the request logs, on
 * whichever thread (Micronaut propagates the context to the executors it hands the request to).
 * When the request is traced, its server span's {@code traceId} and {@code spanId} go into the MDC
 * too: the filter runs after the tracing filter that starts that span.
 */
@ServerFilter("/api/**")
public class CorrelationFilter implements Ordered {

    /** The MDC key of the request's correlation id, in every log line the request causes. */
    public static final String MDC_KEY = "correlationId";
    /** The MDC keys of the request's trace and server span, when it has them. */
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after();
    }

    @RequestFilter
    public void remember(HttpRequest<?> request, MutablePropagatedContext context) {
        try {
            RequestMetadata metadata = RequestMetadata.from(request);
            request.setAttribute(RequestMetadata.ATTRIBUTE, metadata);
            Map<String, String> mdc = new HashMap<>();
            mdc.put(MDC_KEY, metadata.correlationId());
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                mdc.put(TRACE_ID, span.getTraceId());
                mdc.put(SPAN_ID, span.getSpanId());
            }
            context.add(new MdcPropagationContext(mdc));
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
