package org.pgeventstore.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import javax.sql.DataSource;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.projection.ProjectionStore;

/**
 * What the service traces beyond the HTTP server spans: appends, projection batches, and the JDBC
 * statements of the pools they use. The application's ports stay unaware of it; these decorators are
 * put around the adapters where they are wired. With tracing off the spans cost next to nothing: none
 * is exported (otel.traces.exporter=none).
 */
public final class Tracing {

    /** The instrumentation scope of the service's own spans. */
    public static final String SCOPE = "org.pgeventstore";

    private final Tracer tracer;
    private final JdbcTelemetry jdbc;

    Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.jdbc = JdbcTelemetry.builder(openTelemetry).setDataSourceInstrumenterEnabled(false).build();
    }

    /** A pool whose statements are spans, children of the span current when they run. */
    DataSource statements(DataSource pool) {
        return jdbc.wrap(pool);
    }

    EventStore appends(EventStore store) {
        return new TracedEventStore(store, tracer);
    }

    ProjectionStore batches(ProjectionStore store) {
        return new TracedProjectionStore(store, tracer);
    }
}
