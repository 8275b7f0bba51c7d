package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.tracing.opentelemetry.OpenTelemetryBuilderCustomizer;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;

/**
 * Tracing with the OpenTelemetry SDK that micronaut-tracing configures from {@code otel.*}
 * (environment variables {@code OTEL_*}). The server spans come from its HTTP filter; {@link Tracing}
 * adds the service's own. Without an OpenTelemetry bean ({@code micronaut.otel.enabled=false}) the
 * decorators run on the no-op API.
 */
@Factory
public class TracingFactory {

    @Singleton
    Tracing tracing(@Nullable OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry == null ? OpenTelemetry.noop() : openTelemetry);
    }

    @Singleton
    OpenTelemetryBuilderCustomizer rootStatementsDropped() {
        return builder -> builder.addSamplerCustomizer((configured, config) -> new RootStatementsDropped(configured));
    }
}
