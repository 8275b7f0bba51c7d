package org.pgeventstore.application.order.readmodel;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderStreams;
import org.pgeventstore.application.projection.ParkedStream;
import org.pgeventstore.application.projection.ParkedStreams;
import org.pgeventstore.application.projection.Reconciliation;
import org.pgeventstore.application.projection.ReconciliationReport;
import org.pgeventstore.application.projection.ReconciliationReport.Mismatch;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPlaced;

/**
 * Replays every order from the event store and compares it with its row in the read model.
 *
 * <p>The read model may move on while the check runs, so each order is compared as of what its
 * row claims, bounded below by the checkpoint read at the start ({@code C}): the row must equal
 * the fold of its events up to {@code max(C, row.lastPosition)}. A row missing an event at or
 * below {@code C}, holding an event twice or a wrong value, a missing row and a row without an
 * order stream are all reported. Timestamps are compared to the microsecond, the read model's
 * resolution.
 *
 * <p>The read model's decisions about poison events are taken as given (see {@link ParkedStreams}):
 * a parked order is compared as of the event before its head, and the events an operator skipped
 * are left out of the fold, as the read model has them.
 */
public final class OrderReconciliation implements Reconciliation {

    private static final int PAGE = 1000;
    private static final EventFilter PLACEMENTS = new EventFilter(Optional.of(OrderStreams.CATEGORY), Set.of("OrderPlaced"));

    private final EventStore store;
    private final OrderReadModel readModel;
    private final ParkedStreams parked;
    private final OrderEventRegistry registry;

    /** @param parked the parking place of the projection that keeps {@code readModel} */
    public OrderReconciliation(EventStore store, OrderReadModel readModel, ParkedStreams parked,
                               OrderEventRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.readModel = Objects.requireNonNull(readModel, "readModel");
        this.parked = Objects.requireNonNull(parked, "parked");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** What the check found: {@link ReconciliationReport#checked()} counts orders, each mismatch is keyed by order id. */
    @Override
    public ReconciliationReport run() {
        long checkpoint = readModel.appliedPosition();
        List<Mismatch> mismatches = new ArrayList<>();
        Set<OrderId> placed = new HashSet<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readAll(after, PAGE, PLACEMENTS);
            for (RecordedEvent event : page.events()) {
                if (event.position() <= checkpoint) {
                    Optional<OrderId> id = idOf(event);
                    if (id.isEmpty()) {
                        mismatches.add(new Mismatch(event.streamId(), "its placement names no order: "
                                + "neither its data nor its stream id can be read"));
                        continue;
                    }
                    placed.add(id.get());
                    check(id.get(), checkpoint).ifPresent(mismatches::add);
                }
            }
            if (page.events().isEmpty() || page.next() > checkpoint) {
                break;
            }
            after = page.next();
        }
        findRowsWithoutOrder(placed, checkpoint, mismatches);
        return new ReconciliationReport(checkpoint, placed.size(), mismatches);
    }

    /** The order a placement places; from its stream's id when its data cannot be read (a parked placement). */
    private Optional<OrderId> idOf(RecordedEvent placement) {
        try {
            return Optional.of(((OrderPlaced) registry.fromRecorded(placement)).orderId());
        } catch (RuntimeException unreadable) {
            try {
                return Optional.of(OrderId.of(placement.streamId().substring(placement.streamId().indexOf('-') + 1)));
            } catch (RuntimeException notAnOrderStream) {
                return Optional.empty();
            }
        }
    }

    private Optional<Mismatch> check(OrderId id, long checkpoint) {
        String stream = OrderStreams.streamOf(id).value();
        Optional<ParkedStream> parkedAt = parked.find(stream);
        Set<Long> skipped = Set.copyOf(parked.skipped(stream));
        Optional<OrderRow> row = readModel.find(id);
        long bound = parkedAt.map(p -> p.head().position() - 1)
                .orElse(Math.max(checkpoint, row.map(OrderRow::lastPosition).orElse(0L)));
        Order expected = Order.initial();
        long lastPosition = 0;
        for (RecordedEvent event : streamOf(id)) {
            if (event.position() > bound) {
                break;
            }
            if (skipped.contains(event.position())) {
                expected = OrderProjection.atVersion(expected, event.version());
                continue;
            }
            OrderEvent decoded = registry.fromRecorded(event);
            expected = Order.evolve(expected, decoded);
            lastPosition = event.position();
        }
        if (row.isEmpty()) {
            return expected.exists()
                    ? Optional.of(new Mismatch(id.toString(), "no row in the read model, though the order was placed at "
                            + "or before the checkpoint " + checkpoint))
                    : Optional.empty();
        }
        List<String> differences = differences(expected, row.get().order());
        if (row.get().lastPosition() != lastPosition) {
            differences.add("lastPosition: events say " + lastPosition + ", row says " + row.get().lastPosition());
        }
        return differences.isEmpty() ? Optional.empty()
                : Optional.of(new Mismatch(id.toString(), String.join("; ", differences)));
    }

    private List<RecordedEvent> streamOf(OrderId id) {
        List<RecordedEvent> events = new ArrayList<>();
        long from = 1;
        while (true) {
            StreamSlice slice = store.read(OrderStreams.streamOf(id), from, PAGE);
            events.addAll(slice.events());
            if (slice.events().isEmpty() || events.size() >= slice.version()) {
                return events;
            }
            from = events.size() + 1L;
        }
    }

    private void findRowsWithoutOrder(Set<OrderId> placed, long checkpoint, List<Mismatch> mismatches) {
        Optional<OrderListQuery.Cursor> cursor = Optional.empty();
        do {
            OrderListPage page = readModel.list(new OrderListQuery(Optional.empty(), Optional.empty(), PAGE, cursor));
            for (OrderRow row : page.items()) {
                if (!placed.contains(row.order().id()) && row.lastPosition() <= checkpoint) {
                    mismatches.add(new Mismatch(row.order().id().toString(),
                            "a row in the read model for an order the event store never placed"));
                }
            }
            cursor = page.next();
        } while (cursor.isPresent());
    }

    /**
     * The fields in which {@code actual} differs from {@code expected}, timestamps compared to the
     * microsecond; empty when they agree.
     */
    public static List<String> differences(Order expected, Order actual) {
        List<String> differences = new ArrayList<>();
        compare(differences, "id", expected.id(), actual.id());
        compare(differences, "orderNumber", expected.orderNumber(), actual.orderNumber());
        compare(differences, "customerId", expected.customerId(), actual.customerId());
        compare(differences, "status", expected.status(), actual.status());
        compare(differences, "lineItems", expected.lineItems(), actual.lineItems());
        compare(differences, "subtotal", expected.subtotal(), actual.subtotal());
        compare(differences, "shippingCost", expected.shippingCost(), actual.shippingCost());
        compare(differences, "total", expected.total(), actual.total());
        compare(differences, "amountPaid", expected.amountPaid(), actual.amountPaid());
        compare(differences, "shippingAddress", expected.shippingAddress(), actual.shippingAddress());
        compare(differences, "placedAt", micros(expected.placedAt()), micros(actual.placedAt()));
        compare(differences, "paidAt", expected.paidAt().map(OrderReconciliation::micros),
                actual.paidAt().map(OrderReconciliation::micros));
        compare(differences, "shippedAt", expected.shippedAt().map(OrderReconciliation::micros),
                actual.shippedAt().map(OrderReconciliation::micros));
        compare(differences, "deliveredAt", expected.deliveredAt().map(OrderReconciliation::micros),
                actual.deliveredAt().map(OrderReconciliation::micros));
        compare(differences, "cancelledAt", expected.cancelledAt().map(OrderReconciliation::micros),
                actual.cancelledAt().map(OrderReconciliation::micros));
        compare(differences, "version", expected.version(), actual.version());
        return differences;
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static void compare(List<String> differences, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(field + ": events say " + expected + ", row says " + actual);
        }
    }
}
