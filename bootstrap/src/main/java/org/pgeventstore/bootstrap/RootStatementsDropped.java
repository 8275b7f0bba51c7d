package org.pgeventstore.bootstrap;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The configured sampler, but for client spans that start a trace: the service's only client spans
 * are JDBC statements, and those outside a request, an append or a projection batch are the polls of
 * its background loops (leases, feed monitor, idle projections), a trace of one statement each, many
 * a second.
 */
final class RootStatementsDropped implements Sampler {

    private final Sampler configured;

    RootStatementsDropped(Sampler configured) {
        this.configured = configured;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()) {
            return SamplingResult.drop();
        }
        return configured.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "RootStatementsDropped{" + configured.getDescription() + "}";
    }
}
