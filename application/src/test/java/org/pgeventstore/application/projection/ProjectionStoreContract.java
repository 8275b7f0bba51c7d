package org.pgeventstore.application.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderCommandResult;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.readmodel.OrderReadModel;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPaid;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/**
 * The {@link ProjectionStore} contract, with the {@link ParkedStreams parking place} and the
 * {@link OrderReadModel} the same store is: the checkpoint and its guard, failures, parking,
 * resuming and skipping. Every adapter runs this suite by extending it. Each test uses a projection
 * of its own, fed with events it appended to {@link #eventStore()} (so a store may read parked
 * events back from it); the feed's category {@code order} must be the suite's alone, because it
 * appends events no handler can apply.
 */
public abstract class ProjectionStoreContract<S extends ProjectionStore & ParkedStreams & OrderReadModel> {

    private static final CommandContext CONTEXT = new CommandContext("corr", null, "contract", OptionalLong.empty());
    private static final LineItem MUG = new LineItem("p-mug", "MUG", "Mug", 1, Money.of("10.00"));
    /** An event type no reader knows: the handler throws on it, every time. */
    private static final String POISON = "OrderItemAddedLegacy";

    /** The event store whose events the stores are given. */
    protected abstract EventStore eventStore();

    /** A new, empty projection named {@code name}: checkpoint at 0, no rows, nothing parked. */
    protected abstract S newStore(String name);

    private final OrderEventRegistry registry = new OrderEventRegistry();
    private OrderCommandHandler commands;
    private S store;
    private long feedHead;

    private S store() {
        if (store == null) {
            store = newStore("contract-" + UUID.randomUUID().toString().substring(0, 8));
            commands = new OrderCommandHandler(eventStore(), registry, ShippingPolicy.standard(), Clock.systemUTC());
            feedHead = lastPositionOfFeed();
        }
        return store;
    }

    private long lastPositionOfFeed() {
        long after = 0;
        for (FeedPage page = eventStore().readAll(after, 1000, EventFilter.ALL); !page.events().isEmpty();
             page = eventStore().readAll(after, 1000, EventFilter.ALL)) {
            after = page.next();
        }
        return after;
    }

    /** The order events appended since the test began, in feed order. */
    private List<RecordedEvent> newEvents() {
        store();
        return eventStore().readAll(feedHead, 1000, EventFilter.category("order")).events();
    }

    private RecordedEvent eventAt(long position) {
        return newEvents().stream().filter(event -> event.position() == position).findFirst().orElseThrow();
    }

    private OrderCommandResult place() {
        store();
        return commands.place(new NewOrder(new CustomerId("contract"), List.of(MUG),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345")), CONTEXT, Optional.empty());
    }

    private OrderCommandResult addMug(OrderId order) {
        return commands.addItem(new AddItem(order, MUG), CONTEXT);
    }

    private static String streamOf(OrderId order) {
        return "order-" + order.value();
    }

    /** Appends an event past the commands, as an import would: {@code data} must fit {@code type}. */
    private RecordedEvent appendRaw(OrderId order, long expectedVersion, String type, String data) {
        long position = eventStore().append(StreamId.of(streamOf(order)), ExpectedVersion.exactly(expectedVersion),
                List.of(NewEvent.of(type, data))).lastPosition();
        return eventAt(position);
    }

    private RecordedEvent poisonOn(OrderId order, long expectedVersion) {
        return appendRaw(order, expectedVersion, POISON, "{\"lineItem\": {\"sku\": \"OLD\"}}");
    }

    /** A payment of {@code order}'s total, appended at {@code expectedVersion}. */
    private RecordedEvent paid(Order order, long expectedVersion) {
        return appendRaw(order.id(), expectedVersion, "OrderPaid",
                registry.dataOf(new OrderPaid(order.total(), "card", Instant.parse("2026-05-01T10:00:00Z"))));
    }

    private RecordedEvent only(OrderCommandResult result) {
        return eventAt(result.position());
    }

    private Optional<Long> rowVersion(OrderId order) {
        return store().find(order).map(OrderRow::version);
    }

    @Test
    @DisplayName("a new projection is at position 0, running, with nothing failed, applied or parked")
    void initialState() {
        ProjectionState state = store().state();

        assertThat(state.position()).isZero();
        assertThat(state.status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(state.failedPosition()).isEmpty();
        assertThat(state.lastError()).isNull();
        assertThat(store().appliedPosition()).isZero();
        assertThat(store().count()).isZero();
        assertThat(store().list(10)).isEmpty();
    }

    @Test
    @DisplayName("apply folds a batch into its orders' rows and moves the checkpoint to the position given, past the last event")
    void applyMovesTheCheckpoint() {
        OrderCommandResult first = place();
        OrderCommandResult second = place();
        OrderCommandResult firstWithMug = addMug(first.order().id());
        List<RecordedEvent> batch = newEvents();
        long next = batch.getLast().position() + 7;

        var result = store().apply(0, batch, next);

        assertThat(result).isEqualTo(new ProjectionStore.ApplyResult(3, 0, 0));
        assertThat(store().state().position()).isEqualTo(next);
        assertThat(store().appliedPosition()).isEqualTo(next);
        assertThat(OrderReconciliation.differences(firstWithMug.order(), store().find(first.order().id()).orElseThrow()
                .order())).isEmpty();
        assertThat(OrderReconciliation.differences(second.order(), store().find(second.order().id()).orElseThrow()
                .order())).isEmpty();
        assertThat(store().find(first.order().id()).orElseThrow().lastPosition()).isEqualTo(firstWithMug.position());
    }

    @Test
    @DisplayName("a batch read from a checkpoint that has moved since is refused whole with CheckpointMoved")
    void checkpointGuard() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent mug = only(addMug(order));
        OrderId other = place().order().id();
        List<RecordedEvent> later = newEvents().subList(1, 3);

        assertThatThrownBy(() -> store().apply(0, later, later.getLast().position()))
                .as("behind the checkpoint").isInstanceOf(CheckpointMoved.class);
        assertThatThrownBy(() -> store().apply(mug.position(), later, later.getLast().position()))
                .as("ahead of it").isInstanceOf(CheckpointMoved.class);

        assertThat(store().state().position()).isEqualTo(placed.position());
        assertThat(rowVersion(order)).as("the mug was not applied").contains(1L);
        assertThat(store().find(other)).isEmpty();
    }

    @Test
    @DisplayName("a handler failure rolls the whole batch back, checkpoint included, and names the failing event")
    void handlerFailureRollsBack() {
        OrderId order = place().order().id();
        RecordedEvent poison = poisonOn(order, 1);
        OrderId other = place().order().id();
        List<RecordedEvent> batch = newEvents();

        assertThatThrownBy(() -> store().apply(0, batch, batch.getLast().position()))
                .isInstanceOfSatisfying(ProjectionEventFailed.class, failed -> {
                    assertThat(failed.event().position()).isEqualTo(poison.position());
                    assertThat(failed.error()).contains(POISON);
                });

        assertThat(store().state().position()).isZero();
        assertThat(store().find(order)).as("the event before the failing one was rolled back too").isEmpty();
        assertThat(store().find(other)).isEmpty();
    }

    @Test
    @DisplayName("markFailed stops the projection at the event, keeping the checkpoint; resume clears the failure")
    void markFailedAndResume() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order, 1);

        store().markFailed(placed.position(), poison, "UnknownEventType: no reader");

        ProjectionState failed = store().state();
        assertThat(failed.status()).isEqualTo(ProjectionStatus.FAILED);
        assertThat(failed.failedPosition()).hasValue(poison.position());
        assertThat(failed.lastError()).isEqualTo("UnknownEventType: no reader");
        assertThat(failed.position()).isEqualTo(placed.position());

        store().resume();

        assertThat(store().state()).isEqualTo(new ProjectionState(store().name(), placed.position(),
                ProjectionStatus.RUNNING, OptionalLong.empty(), null));
    }

    @Test
    @DisplayName("markFailed from a checkpoint that has moved throws CheckpointMoved and marks nothing")
    void markFailedGuard() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order, 1);

        assertThatThrownBy(() -> store().markFailed(0, poison, "stale")).isInstanceOf(CheckpointMoved.class);

        assertThat(store().state().status()).isEqualTo(ProjectionStatus.RUNNING);
        assertThat(store().state().failedPosition()).isEmpty();
        assertThat(store().state().lastError()).isNull();
    }

    @Test
    @DisplayName("park keeps the event as its stream's head, with the error, and moves the checkpoint to it; "
            + "later events of that stream wait behind it, other streams go on")
    void park() {
        Order order = place().order();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order.id(), 1);

        store().park(placed.position(), poison, "UnknownEventType: no reader");

        assertThat(store().state().position()).isEqualTo(poison.position());
        assertThat(store().state().status()).as("the projection goes on").isEqualTo(ProjectionStatus.RUNNING);
        ParkedStream parked = store().find(streamOf(order.id())).orElseThrow();
        assertThat(parked.waitingEvents()).isEqualTo(1);
        assertThat(parked.head().position()).isEqualTo(poison.position());
        assertThat(parked.head().streamId()).isEqualTo(streamOf(order.id()));
        assertThat(parked.head().version()).isEqualTo(2);
        assertThat(parked.head().type()).isEqualTo(POISON);
        assertThat(parked.head().eventId()).isEqualTo(poison.eventId());
        assertThat(parked.head().error()).isEqualTo("UnknownEventType: no reader");
        assertThat(parked.head().parkedAt()).isNotNull();

        RecordedEvent behind = paid(order, 2);
        OrderId other = place().order().id();
        List<RecordedEvent> batch = newEvents().subList(2, 4);

        var result = store().apply(poison.position(), batch, batch.getLast().position());

        assertThat(result).isEqualTo(new ProjectionStore.ApplyResult(1, 0, 1));
        assertThat(store().state().position()).isEqualTo(batch.getLast().position());
        assertThat(rowVersion(order.id())).as("held at the event before the head").contains(1L);
        assertThat(rowVersion(other)).contains(1L);
        ParkedStream waiting = store().find(streamOf(order.id())).orElseThrow();
        assertThat(waiting.waitingEvents()).isEqualTo(2);
        assertThat(waiting.head().position()).isEqualTo(poison.position());
        assertThat(store().count()).isEqualTo(1);
        assertThat(store().list(10)).extracting(ParkedStream::streamId).containsExactly(streamOf(order.id()));
        assertThat(store().find(streamOf(other))).isEmpty();
        assertThat(behind.version()).isEqualTo(3);
    }

    @Test
    @DisplayName("park from a checkpoint that has moved throws CheckpointMoved and parks nothing")
    void parkGuard() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order, 1);

        assertThatThrownBy(() -> store().park(0, poison, "stale")).isInstanceOf(CheckpointMoved.class);

        assertThat(store().state().position()).isEqualTo(placed.position());
        assertThat(store().find(streamOf(order))).isEmpty();
        assertThat(store().count()).isZero();
    }

    @Test
    @DisplayName("resume applies a parked stream's waiting events in order, once; then the stream flows again")
    void resumeApplies() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        // The head could be applied after all, e.g. the database failed it for a while.
        RecordedEvent head = only(addMug(order));
        store().park(placed.position(), head, "SQLException: the database was away");
        OrderCommandResult third = addMug(order);
        RecordedEvent behind = only(third);
        store().apply(head.position(), List.of(behind), behind.position());
        assertThat(store().find(streamOf(order)).orElseThrow().waitingEvents()).isEqualTo(2);

        ParkedStreams.Resumed resumed = store().resume(streamOf(order), "operator");

        assertThat(resumed.applied()).isEqualTo(2);
        assertThat(resumed.stillParked()).isEmpty();
        assertThat(store().find(streamOf(order))).isEmpty();
        assertThat(store().count()).isZero();
        assertThat(OrderReconciliation.differences(third.order(), store().find(order).orElseThrow().order())).isEmpty();

        OrderCommandResult last = addMug(order);
        RecordedEvent flowing = only(last);
        var result = store().apply(behind.position(), List.of(flowing), flowing.position());
        assertThat(result).as("applied, not parked").isEqualTo(new ProjectionStore.ApplyResult(1, 0, 0));
        assertThat(OrderReconciliation.differences(last.order(), store().find(order).orElseThrow().order())).isEmpty();
    }

    @Test
    @DisplayName("resume of a head that still fails keeps the stream parked there, with the new error")
    void resumeStillFailing() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order, 1);
        store().park(placed.position(), poison, "the first error");

        ParkedStreams.Resumed resumed = store().resume(streamOf(order), "operator");

        assertThat(resumed.applied()).isZero();
        ParkedStream still = resumed.stillParked().orElseThrow();
        assertThat(still.head().position()).isEqualTo(poison.position());
        assertThat(still.head().error()).isNotEqualTo("the first error").contains(POISON);
        assertThat(store().find(streamOf(order)).orElseThrow().head().error()).isEqualTo(still.head().error());
        assertThat(rowVersion(order)).contains(1L);
    }

    @Test
    @DisplayName("skip releases the head for good, unapplied, recorded with who, when and why; the events behind it "
            + "apply on resume")
    void skip() {
        Order order = place().order();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());
        RecordedEvent poison = poisonOn(order.id(), 1);
        store().park(placed.position(), poison, "UnknownEventType: no reader");
        RecordedEvent behind = paid(order, 2);
        store().apply(poison.position(), List.of(behind), behind.position());
        String stream = streamOf(order.id());

        assertThatThrownBy(() -> store().skip(stream, behind.position(), new ParkedStreams.Skip("operator", "wrong one",
                Instant.now()))).isInstanceOfSatisfying(ParkedStreams.HeadMoved.class,
                        moved -> assertThat(moved.head()).isEqualTo(poison.position()));

        Instant at = Instant.parse("2026-05-02T08:00:00Z");
        ParkedStreams.Skipped skipped = store().skip(stream, poison.position(),
                new ParkedStreams.Skip("operator", "legacy import", at));

        assertThat(skipped.skipped().position()).isEqualTo(poison.position());
        assertThat(skipped.skip()).isEqualTo(new ParkedStreams.Skip("operator", "legacy import", at));
        assertThat(skipped.stillParked()).hasValueSatisfying(still -> {
            assertThat(still.head().position()).isEqualTo(behind.position());
            assertThat(still.waitingEvents()).isEqualTo(1);
        });
        assertThat(store().skipped(stream)).containsExactly(poison.position());
        assertThat(rowVersion(order.id())).as("nothing applied by the skip").contains(2L);

        ParkedStreams.Resumed resumed = store().resume(stream, "operator");

        assertThat(resumed.applied()).isEqualTo(1);
        assertThat(resumed.stillParked()).isEmpty();
        OrderRow row = store().find(order.id()).orElseThrow();
        assertThat(row.version()).isEqualTo(3);
        assertThat(row.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(row.order().lineItems()).as("without the skipped event").hasSize(1);
        assertThat(store().skipped(stream)).as("the skip is kept").containsExactly(poison.position());
    }

    @Test
    @DisplayName("resume and skip of a stream that is not parked: NotParked")
    void notParked() {
        OrderId order = place().order().id();
        RecordedEvent placed = newEvents().getFirst();
        store().apply(0, List.of(placed), placed.position());

        assertThatThrownBy(() -> store().resume(streamOf(order), "operator")).isInstanceOf(ParkedStreams.NotParked.class);
        assertThatThrownBy(() -> store().skip(streamOf(order), placed.position(),
                new ParkedStreams.Skip("operator", "nothing", Instant.now()))).isInstanceOf(ParkedStreams.NotParked.class);
        assertThat(store().skipped(streamOf(order))).isEmpty();
        assertThat(rowVersion(order)).contains(1L);
    }

    @Test
    @DisplayName("the parked streams are listed longest parked first, at most limit")
    void listing() {
        OrderId first = place().order().id();
        OrderId second = place().order().id();
        List<RecordedEvent> placements = newEvents();
        store().apply(0, placements, placements.getLast().position());
        RecordedEvent firstPoison = poisonOn(first, 1);
        RecordedEvent secondPoison = poisonOn(second, 1);
        store().park(placements.getLast().position(), firstPoison, "first");
        store().park(firstPoison.position(), secondPoison, "second");

        assertThat(store().count()).isEqualTo(2);
        assertThat(store().list(10)).extracting(ParkedStream::streamId).containsExactly(streamOf(first), streamOf(second));
        assertThat(store().list(1)).extracting(ParkedStream::streamId).containsExactly(streamOf(first));
        assertThat(store().list(10)).extracting(parked -> parked.head().error()).containsExactly("first", "second");
    }
}
