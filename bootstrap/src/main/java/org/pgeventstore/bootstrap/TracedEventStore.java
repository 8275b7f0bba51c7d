package org.pgeventstore.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamListPage;
import org.pgeventstore.application.eventstore.StreamListQuery;
import org.pgeventstore.application.eventstore.StreamSlice;

/**
 * The event store with each append as an {@code eventstore.append} span (stream, event count, the
 * positions it wrote), the JDBC statements beneath it. When the append runs inside a trace, such as
 * an HTTP request's, the trace id goes into each event's metadata as {@code traceId}, a request key
 * like {@code correlationId}: a re-send from another trace is still the same append. Reads pass
 * through untraced but for their JDBC spans.
 */
final class TracedEventStore implements EventStore {

    /** The metadata key of the trace an event was appended in. */
    static final String TRACE_ID = "traceId";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventStore store;
    private final Tracer tracer;

    TracedEventStore(EventStore store, Tracer tracer) {
        this.store = store;
        this.tracer = tracer;
    }

    /** The store whose appends this traces. */
    EventStore traced() {
        return store;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        SpanContext enclosing = Span.current().getSpanContext();
        List<NewEvent> stored = enclosing.isValid() ? withTraceId(events, enclosing.getTraceId()) : events;
        Span span = tracer.spanBuilder("eventstore.append")
                .setAttribute("eventstore.stream_id", stream.value())
                .setAttribute("eventstore.event_count", events == null ? 0 : events.size())
                .startSpan();
        return Spans.within(span, () -> store.append(stream, expected, stored), (appended, result) -> appended
                .setAttribute("eventstore.first_position", result.firstPosition())
                .setAttribute("eventstore.last_position", result.lastPosition())
                .setAttribute("eventstore.last_version", result.lastVersion())
                .setAttribute("eventstore.replayed", result.replayed()));
    }

    private static List<NewEvent> withTraceId(List<NewEvent> events, String traceId) {
        if (events == null) {
            return null;
        }
        return events.stream().map(event -> new NewEvent(event.eventId(), event.type(), event.schemaVersion(),
                event.data(), withTraceId(event.metadata(), traceId))).toList();
    }

    private static String withTraceId(String metadata, String traceId) {
        try {
            if (!(JSON.readTree(metadata) instanceof ObjectNode object)) {
                return metadata; // not an object: the store rejects it as it is
            }
            return JSON.writeValueAsString(object.put(TRACE_ID, traceId));
        } catch (JsonProcessingException unreadable) {
            return metadata;
        }
    }

    @Override
    public StreamSlice read(StreamId stream, long fromVersion, int limit) {
        return store.read(stream, fromVersion, limit);
    }

    @Override
    public FeedPage readAll(long after, int limit, EventFilter filter) {
        return store.readAll(after, limit, filter);
    }

    @Override
    public Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
        return store.findEvent(stream, eventId);
    }

    @Override
    public StreamListPage listStreams(StreamListQuery query) {
        return store.listStreams(query);
    }

    @Override
    public long currentVersion(StreamId stream) {
        return store.currentVersion(stream);
    }

    @Override
    public EventStore reflecting(long position) {
        EventStore reflecting = store.reflecting(position);
        return reflecting == store ? this : reflecting;
    }
}
