package org.pgeventstore.application.order.readmodel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.CorruptEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.CheckpointMoved;
import org.pgeventstore.application.projection.ParkedEvent;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.ProjectionEventFailed;
import org.pgeventstore.application.projection.ProjectionState;
import org.pgeventstore.application.projection.ProjectionStatus;
import org.pgeventstore.application.projection.ProjectionStore;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order read model, its checkpoint and its parking place in memory, for tests of the runner
 * and the handler. One lock makes each operation atomic: the rows, the parked events and the
 * checkpoint change together or not at all.
 */
public final class InMemoryOrderProjectionStore implements ProjectionStore, OrderReadModel, ParkedStreams {

    private static final Comparator<OrderRow> NEWEST_FIRST = Comparator
            .comparing((OrderRow row) -> row.order().placedAt())
            .thenComparing(row -> row.order().id().value())
            .reversed();

    private final String name;
    private final OrderProjection projection;
    private final Clock clock;
    private final Map<OrderId, OrderRow> rows = new HashMap<>();
    /** Waiting events by stream, each list in feed order. */
    private final Map<String, List<Waiting>> parked = new LinkedHashMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private ProjectionState state;

    private record Waiting(RecordedEvent event, String error, Instant parkedAt) {
        ParkedEvent parkedEvent() {
            return new ParkedEvent(event.position(), event.streamId(), event.version(), event.type(), event.eventId(),
                    error, parkedAt);
        }
    }

    public InMemoryOrderProjectionStore(String name, OrderEventRegistry registry) {
        this(name, registry, Clock.systemUTC());
    }

    public InMemoryOrderProjectionStore(String name, OrderEventRegistry registry, Clock clock) {
        this.name = name;
        this.projection = new OrderProjection(registry);
        this.clock = clock;
        this.state = ProjectionState.initial(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized ProjectionState state() {
        return state;
    }

    @Override
    public synchronized ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
        requireAt(expectedPosition);
        Map<OrderId, OrderRow> changed = new HashMap<>();
        List<RecordedEvent> behind = new ArrayList<>();
        int applied = 0;
        int already = 0;
        for (RecordedEvent event : events) {
            if (parked.containsKey(event.streamId())) {
                behind.add(event);
                continue;
            }
            OrderId id = orderIdOf(event);
            Optional<OrderRow> current = Optional.ofNullable(changed.containsKey(id) ? changed.get(id) : rows.get(id));
            OrderProjection.Change change;
            try {
                change = projection.apply(current, event);
            } catch (RuntimeException handlerFailure) {
                throw new ProjectionEventFailed(event, handlerFailure);
            }
            switch (change) {
                case OrderProjection.Change.Apply apply -> {
                    changed.put(id, apply.row());
                    applied++;
                }
                case OrderProjection.Change.AlreadyApplied ignored -> already++;
            }
        }
        rows.putAll(changed);
        behind.forEach(event -> parked.get(event.streamId()).add(new Waiting(event, null, clock.instant())));
        state = new ProjectionState(name, nextPosition, state.status(), state.failedPosition(), state.lastError());
        return new ApplyResult(applied, already, behind.size());
    }

    @Override
    public synchronized void markFailed(long expectedPosition, RecordedEvent event, String error) {
        requireAt(expectedPosition);
        state = new ProjectionState(name, state.position(), ProjectionStatus.FAILED, OptionalLong.of(event.position()), error);
    }

    @Override
    public synchronized void park(long expectedPosition, RecordedEvent event, String error) {
        requireAt(expectedPosition);
        parked.computeIfAbsent(event.streamId(), stream -> new ArrayList<>())
                .add(new Waiting(event, error, clock.instant()));
        state = new ProjectionState(name, event.position(), state.status(), state.failedPosition(), state.lastError());
    }

    @Override
    public synchronized void resume() {
        state = new ProjectionState(name, state.position(), ProjectionStatus.RUNNING, OptionalLong.empty(), null);
    }

    @Override
    public synchronized long count() {
        return parked.size();
    }

    @Override
    public synchronized List<ParkedStream> list(int limit) {
        return parked.keySet().stream().map(this::parkedStream)
                .sorted(Comparator.comparingLong(stream -> stream.head().position()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<ParkedStream> find(String streamId) {
        return parked.containsKey(streamId) ? Optional.of(parkedStream(streamId)) : Optional.empty();
    }

    @Override
    public synchronized List<Long> skipped(String streamId) {
        return skipped.stream().map(Skipped::skipped).filter(event -> event.streamId().equals(streamId))
                .map(ParkedEvent::position).toList();
    }

    private ParkedStream parkedStream(String streamId) {
        List<Waiting> waiting = parked.get(streamId);
        return new ParkedStream(streamId, waiting.getFirst().parkedEvent(), waiting.size());
    }

    @Override
    public synchronized Resumed resume(String streamId, String resumedBy) {
        List<Waiting> waiting = waitingOf(streamId);
        int applied = 0;
        while (!waiting.isEmpty()) {
            RecordedEvent event = waiting.getFirst().event();
            try {
                OrderId id = orderIdOf(event);
                if (projection.apply(Optional.ofNullable(rows.get(id)), event) instanceof OrderProjection.Change.Apply apply) {
                    rows.put(id, apply.row());
                }
            } catch (ProjectionEventFailed stillFailing) {
                waiting.set(0, new Waiting(event, stillFailing.error(), waiting.getFirst().parkedAt()));
                return new Resumed(streamId, applied, Optional.of(parkedStream(streamId)));
            } catch (RuntimeException stillFailing) {
                waiting.set(0, new Waiting(event, new ProjectionEventFailed(event, stillFailing).error(),
                        waiting.getFirst().parkedAt()));
                return new Resumed(streamId, applied, Optional.of(parkedStream(streamId)));
            }
            waiting.removeFirst();
            applied++;
        }
        parked.remove(streamId);
        return new Resumed(streamId, applied, Optional.empty());
    }

    @Override
    public synchronized Skipped skip(String streamId, long position, Skip skip) {
        List<Waiting> waiting = waitingOf(streamId);
        RecordedEvent head = waiting.getFirst().event();
        if (head.position() != position) {
            throw new HeadMoved(streamId, position, head.position());
        }
        try {
            OrderId id = orderIdOf(head);
            projection.skip(Optional.ofNullable(rows.get(id)), head).ifPresent(row -> rows.put(id, row));
        } catch (ProjectionEventFailed | CorruptEvent rowDoesNotFollow) {
            // No row to move past it: the stream's later events say so when they are applied.
        }
        ParkedEvent released = waiting.removeFirst().parkedEvent();
        if (waiting.isEmpty()) {
            parked.remove(streamId);
        }
        Skipped result = new Skipped(released, skip, find(streamId));
        skipped.add(result);
        return result;
    }

    private List<Waiting> waitingOf(String streamId) {
        List<Waiting> waiting = parked.get(streamId);
        if (waiting == null) {
            throw new NotParked(name, streamId);
        }
        return waiting;
    }

    /** Every event skipped so far, oldest first. */
    public synchronized List<Skipped> skippedEvents() {
        return List.copyOf(skipped);
    }

    @Override
    public synchronized OrderListPage list(OrderListQuery query) {
        List<OrderRow> matching = rows.values().stream()
                .filter(row -> query.status().map(status -> row.order().status() == status).orElse(true))
                .filter(row -> query.customerId().map(customer -> row.order().customerId().value().equals(customer))
                        .orElse(true))
                .filter(row -> query.after().map(cursor -> isAfter(row, cursor)).orElse(true))
                .sorted(NEWEST_FIRST)
                .limit(query.limit() + 1L)
                .toList();
        if (matching.size() <= query.limit()) {
            return new OrderListPage(matching, Optional.empty());
        }
        List<OrderRow> page = matching.subList(0, query.limit());
        OrderRow last = page.getLast();
        return new OrderListPage(page, Optional.of(new OrderListQuery.Cursor(last.order().placedAt(), last.order().id().value())));
    }

    private static boolean isAfter(OrderRow row, OrderListQuery.Cursor cursor) {
        int byTime = row.order().placedAt().compareTo(cursor.placedAt());
        return byTime < 0 || (byTime == 0 && row.order().id().value().compareTo(cursor.id()) < 0);
    }

    @Override
    public synchronized Optional<OrderRow> find(OrderId orderId) {
        return Optional.ofNullable(rows.get(orderId));
    }

    @Override
    public synchronized long appliedPosition() {
        return state.position();
    }

    private void requireAt(long expectedPosition) {
        if (state.position() != expectedPosition) {
            throw new CheckpointMoved(name, expectedPosition, state.position());
        }
    }

    static OrderId orderIdOf(RecordedEvent event) {
        String stream = event.streamId();
        int dash = stream.indexOf('-');
        try {
            return OrderId.of(stream.substring(dash + 1));
        } catch (RuntimeException notAnOrderStream) {
            throw new ProjectionEventFailed(event, notAnOrderStream);
        }
    }
}
