package org.pgeventstore.application.projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order read model and its checkpoint in memory, for tests of the runner and the handler. One
 * lock makes each {@link #apply} atomic: the rows and the checkpoint change together or not at all.
 */
public final class InMemoryOrderProjectionStore implements ProjectionStore, OrderReadModel {

    private static final Comparator<OrderRow> NEWEST_FIRST = Comparator
            .comparing((OrderRow row) -> row.order().placedAt())
            .thenComparing(row -> row.order().id().value())
            .reversed();

    private final String name;
    private final OrderProjection projection;
    private final Map<OrderId, OrderRow> rows = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private ProjectionState state;

    /** An event skipped to the dead-letter list. */
    public record DeadLetter(RecordedEvent event, String error) {
    }

    public InMemoryOrderProjectionStore(String name, OrderEventRegistry registry) {
        this.name = name;
        this.projection = new OrderProjection(registry);
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
        int applied = 0;
        int already = 0;
        for (RecordedEvent event : events) {
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
        state = new ProjectionState(name, nextPosition, state.status(), state.failedPosition(), state.lastError());
        return new ApplyResult(applied, already);
    }

    @Override
    public synchronized void markFailed(long expectedPosition, RecordedEvent event, String error) {
        state = new ProjectionState(name, state.position(), ProjectionStatus.FAILED, OptionalLong.of(event.position()), error);
    }

    @Override
    public synchronized void deadLetter(long expectedPosition, RecordedEvent event, String error) {
        requireAt(expectedPosition);
        deadLetters.add(new DeadLetter(event, error));
        state = new ProjectionState(name, event.position(), state.status(), state.failedPosition(), state.lastError());
    }

    @Override
    public synchronized void resume() {
        state = new ProjectionState(name, state.position(), ProjectionStatus.RUNNING, OptionalLong.empty(), null);
    }

    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
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
