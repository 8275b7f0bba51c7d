package org.pgeventstore.bootstrap;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStore;

/**
 * A projection's store with each batch it applies as a {@code projection.batch} span (projection,
 * from and to position, event count), the read model's JDBC statements beneath it. The runner stays
 * unaware of tracing; a retried event applied alone is a batch of one.
 */
final class TracedProjectionStore implements ProjectionStore {

    private final ProjectionStore store;
    private final Tracer tracer;

    TracedProjectionStore(ProjectionStore store, Tracer tracer) {
        this.store = store;
        this.tracer = tracer;
    }

    @Override
    public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
        Span span = tracer.spanBuilder("projection.batch")
                .setAttribute("projection.name", store.name())
                .setAttribute("projection.from_position", expectedPosition)
                .setAttribute("projection.to_position", nextPosition)
                .setAttribute("projection.event_count", events.size())
                .startSpan();
        return Spans.within(span, () -> store.apply(expectedPosition, events, nextPosition), (batch, result) -> batch
                .setAttribute("projection.applied", result.applied())
                .setAttribute("projection.parked", result.parked()));
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public String projection() {
        return store.projection();
    }

    @Override
    public ProjectionState state() {
        return store.state();
    }

    @Override
    public void markFailed(long expectedPosition, RecordedEvent event, String error) {
        store.markFailed(expectedPosition, event, error);
    }

    @Override
    public void park(long expectedPosition, RecordedEvent event, String error) {
        store.park(expectedPosition, event, error);
    }

    @Override
    public void resume() {
        store.resume();
    }
}
