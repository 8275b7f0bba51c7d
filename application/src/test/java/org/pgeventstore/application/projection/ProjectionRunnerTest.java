package org.pgeventstore.application.projection;

import org.pgeventstore.application.feed.AppendSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.order.ForwardingEventStore;
import org.pgeventstore.application.order.NewOrder;
import org.pgeventstore.application.order.OrderCommandHandler;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.order.OrderQueries;
import org.pgeventstore.application.order.readmodel.InMemoryOrderProjectionStore;
import org.pgeventstore.application.order.readmodel.OrderReconciliation;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

class ProjectionRunnerTest {

    private static final CommandContext CONTEXT = new CommandContext("corr", null, null, OptionalLong.empty());
    private static final LineItem MUG = new LineItem("p-mug", "MUG", "Mug", 2, Money.of("12.50"));

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final OrderEventRegistry registry = new OrderEventRegistry();
    private final OrderCommandHandler commands = new OrderCommandHandler(store, registry, ShippingPolicy.standard(),
            Clock.systemUTC());
    private final OrderQueries queries = new OrderQueries(store, registry);
    private final InMemoryOrderProjectionStore readModel = new InMemoryOrderProjectionStore("orders", registry);

    private OrderId place(String customer) {
        return commands.place(new NewOrder(new CustomerId(customer), List.of(MUG),
                new ShippingAddress("1 Main St", "Springfield", "US", "12345")), CONTEXT, Optional.empty()).order().id();
    }

    private ProjectionRunner runner(ProjectionStore projection, ProjectionSettings settings) {
        return new ProjectionRunner(projection, store, EventFilter.category("order"), settings,
                ProjectionLeases.UNCONTENDED, new AppendSignal());
    }

    private static ProjectionSettings quickRetries(int attempts, FailurePolicy policy) {
        return ProjectionSettings.DEFAULT.withBatchSize(3)
                .withRetries(attempts, Duration.ofMillis(1), Duration.ofMillis(2), policy);
    }

    private void assertRowMatchesEvents(OrderId id) {
        assertThat(readModel.find(id)).isPresent();
        assertThat(OrderReconciliation.differences(queries.current(id).order(), readModel.find(id).get().order()))
                .as("order %s", id).isEmpty();
    }

    /** A projection store that hands every call to another; tests override what they want to disturb. */
    private static class Forwarding implements ProjectionStore {
        final ProjectionStore delegate;

        Forwarding(ProjectionStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public ProjectionState state() {
            return delegate.state();
        }

        @Override
        public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
            return delegate.apply(expectedPosition, events, nextPosition);
        }

        @Override
        public void markFailed(long expectedPosition, RecordedEvent event, String error) {
            delegate.markFailed(expectedPosition, event, error);
        }

        @Override
        public void park(long expectedPosition, RecordedEvent event, String error) {
            delegate.park(expectedPosition, event, error);
        }

        @Override
        public void resume() {
            delegate.resume();
        }
    }

    /** Throws from the handler on the event at {@code failingPosition} for its first {@code failures} tries. */
    private static final class FailingOn extends Forwarding {
        private final long failingPosition;
        private final AtomicInteger remaining;
        final AtomicInteger tries = new AtomicInteger();

        FailingOn(ProjectionStore delegate, long failingPosition, int failures) {
            super(delegate);
            this.failingPosition = failingPosition;
            this.remaining = new AtomicInteger(failures);
        }

        @Override
        public ApplyResult apply(long expectedPosition, List<RecordedEvent> events, long nextPosition) {
            for (RecordedEvent event : events) {
                if (event.position() == failingPosition) {
                    tries.incrementAndGet();
                    if (remaining.getAndDecrement() > 0) {
                        throw new ProjectionEventFailed(event, new IllegalStateException("handler broke"));
                    }
                }
            }
            return delegate.apply(expectedPosition, events, nextPosition);
        }
    }

    @Test
    @DisplayName("catching up from position 0 folds every order into its row, in batches")
    void catchUp() {
        List<OrderId> orders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OrderId id = place("c-" + i);
            commands.addItem(new AddItem(id, MUG), CONTEXT);
            orders.add(id);
        }
        commands.pay(new PayOrder(orders.getFirst(), Money.of("50.00"), "card"), CONTEXT);

        ProjectionRunner runner = runner(readModel, ProjectionSettings.DEFAULT.withBatchSize(4));
        assertThat(runner.catchUp()).isEqualTo(11);

        orders.forEach(this::assertRowMatchesEvents);
        assertThat(readModel.state().position()).isEqualTo(store.readAll(0, 100, EventFilter.ALL).next());
        assertThat(runner.catchUp()).as("nothing new, nothing applied").isZero();
    }

    /** The feed of {@link #store}, telling {@code reads} where each read started. */
    private EventStore feedTelling(List<Long> reads) {
        return new ForwardingEventStore(store) {
            @Override
            public FeedPage readAll(long after, int limit, EventFilter filter) {
                reads.add(after);
                return super.readAll(after, limit, filter);
            }
        };
    }

    private List<OrderId> placeWithItems(int orders) {
        List<OrderId> placed = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            OrderId id = place("ahead-" + i);
            commands.addItem(new AddItem(id, MUG), CONTEXT);
            placed.add(id);
        }
        return placed;
    }

    @Nested
    @DisplayName("reading ahead")
    class ReadingAhead {

        @Test
        @DisplayName("the feed after a full batch is read while that batch is applied")
        void readsTheNextBatchDuringTheApply() {
            List<OrderId> orders = placeWithItems(5);
            List<Long> reads = new CopyOnWriteArrayList<>();
            List<Boolean> nextReadDuringApply = new ArrayList<>();
            ProjectionStore watched = new Forwarding(readModel) {
                @Override
                public ApplyResult apply(long expected, List<RecordedEvent> events, long next) {
                    if (events.size() == 4) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (!reads.contains(next) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        nextReadDuringApply.add(reads.contains(next));
                    }
                    return delegate.apply(expected, events, next);
                }
            };
            ProjectionRunner runner = new ProjectionRunner(watched, feedTelling(reads), EventFilter.category("order"),
                    ProjectionSettings.DEFAULT.withBatchSize(4), ProjectionLeases.UNCONTENDED, new AppendSignal());

            assertThat(runner.catchUp()).isEqualTo(10);

            assertThat(nextReadDuringApply).as("for each full batch, the read after it began before its apply ended")
                    .hasSize(2).containsOnly(true);
            orders.forEach(ProjectionRunnerTest.this::assertRowMatchesEvents);
        }

        @Test
        @DisplayName("a page read ahead is dropped when the checkpoint is no longer where it was read from")
        void dropsAPageReadFromElsewhere() {
            List<OrderId> orders = placeWithItems(5);
            List<Long> reads = new CopyOnWriteArrayList<>();
            List<String> applies = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            // The first batch moves the checkpoint only past its first event, as a batch cut short would.
            ProjectionStore watched = new Forwarding(readModel) {
                @Override
                public ApplyResult apply(long expected, List<RecordedEvent> events, long next) {
                    applies.add(expected + "->" + events.getFirst().position());
                    if (calls.getAndIncrement() == 0) {
                        return delegate.apply(expected, events.subList(0, 1), events.getFirst().position());
                    }
                    return delegate.apply(expected, events, next);
                }
            };
            ProjectionRunner runner = new ProjectionRunner(watched, feedTelling(reads), EventFilter.category("order"),
                    ProjectionSettings.DEFAULT.withBatchSize(4), ProjectionLeases.UNCONTENDED, new AppendSignal());

            runner.catchUp();

            List<RecordedEvent> feed = store.readAll(0, 100, EventFilter.category("order")).events();
            assertThat(applies.get(1)).as("the second batch starts right after the one event the first applied")
                    .isEqualTo(feed.getFirst().position() + "->" + feed.get(1).position());
            assertThat(readModel.state().position()).isEqualTo(feed.getLast().position());
            orders.forEach(ProjectionRunnerTest.this::assertRowMatchesEvents);
        }
    }

    @Nested
    @DisplayName("a handler that throws")
    class Failures {

        @Test
        @DisplayName("is retried, and an event that succeeds on a later try is applied once")
        void retriedUntilItWorks() {
            place("a");
            OrderId second = place("b");
            place("c");
            long failing = store.readAll(0, 2, EventFilter.ALL).next();
            FailingOn projection = new FailingOn(readModel, failing, 2);

            ProjectionRunner runner = runner(projection, quickRetries(5, FailurePolicy.STOP));
            runner.catchUp();

            assertThat(projection.tries).hasValue(3);
            assertThat(runner.failures()).isZero();
            assertThat(runner.appliedEvents()).isEqualTo(3);
            assertRowMatchesEvents(second);
        }

        @Test
        @DisplayName("stops the projection at the event after N tries, naming it; a resume after the fix goes on from there")
        void stopsThenResumes() {
            OrderId first = place("a");
            OrderId second = place("b");
            OrderId third = place("c");
            long failing = store.readAll(0, 2, EventFilter.ALL).next();
            FailingOn projection = new FailingOn(readModel, failing, 3);

            ProjectionRunner runner = runner(projection, quickRetries(3, FailurePolicy.STOP));
            runner.catchUp();

            ProjectionState state = readModel.state();
            assertThat(state.status()).isEqualTo(ProjectionStatus.FAILED);
            assertThat(state.failedPosition()).hasValue(failing);
            assertThat(state.lastError()).contains("handler broke");
            assertThat(projection.tries).hasValue(3);
            assertThat(runner.failures()).isEqualTo(1);
            assertRowMatchesEvents(first);
            assertThat(readModel.find(second)).as("not skipped: not applied").isEmpty();
            assertThat(readModel.find(third)).as("nothing after the failing event").isEmpty();
            assertThat(runner.catchUp()).as("a failed projection stays where it stopped").isZero();

            readModel.resume();
            runner.catchUp();

            assertThat(readModel.state().status()).isEqualTo(ProjectionStatus.RUNNING);
            assertRowMatchesEvents(second);
            assertRowMatchesEvents(third);
        }

        @Test
        @DisplayName("by default parks the event's stream: its later events wait behind it untried, the other orders go on")
        void parksTheStream() {
            OrderId first = place("a");
            OrderId second = place("b");
            OrderId third = place("c");
            commands.addItem(new AddItem(second, MUG), CONTEXT);
            commands.addItem(new AddItem(third, MUG), CONTEXT);
            commands.pay(new PayOrder(second, Money.of("50.00"), "card"), CONTEXT);
            long failing = store.readAll(0, 2, EventFilter.ALL).next();
            FailingOn projection = new FailingOn(readModel, failing, Integer.MAX_VALUE);

            ProjectionRunner runner = runner(projection, quickRetries(2, ProjectionSettings.DEFAULT.failurePolicy()));
            runner.catchUp();

            assertThat(ProjectionSettings.DEFAULT.failurePolicy()).isEqualTo(FailurePolicy.PARK);
            assertThat(readModel.state().status()).isEqualTo(ProjectionStatus.RUNNING);
            assertRowMatchesEvents(first);
            assertRowMatchesEvents(third);
            assertThat(readModel.find(second)).as("its placement waits, and so does the rest of it").isEmpty();
            assertThat(projection.tries).as("the head alone was tried, twice").hasValue(2);
            assertThat(runner.failures()).isEqualTo(1);
            assertThat(runner.parkedEvents()).isEqualTo(3);
            assertThat(readModel.list(10)).singleElement().satisfies(parked -> {
                assertThat(parked.streamId()).isEqualTo("order-" + second);
                assertThat(parked.head().position()).isEqualTo(failing);
                assertThat(parked.head().error()).contains("handler broke");
                assertThat(parked.waitingEvents()).isEqualTo(3);
            });

            ParkedStreams.Resumed resumed = readModel.resume("order-" + second, "ops-1");

            assertThat(resumed.applied()).isEqualTo(3);
            assertThat(resumed.stillParked()).isEmpty();
            assertRowMatchesEvents(second);
            assertThat(readModel.count()).isZero();
            commands.cancel(new CancelOrder(second, "changed mind", "customer", Optional.empty()), CONTEXT);
            runner.catchUp();
            assertRowMatchesEvents(second);
        }

        @Test
        @DisplayName("skipping the head releases it for good: the row moves past its version, the events behind apply on resume")
        void skipsTheHead() {
            OrderId order = place("a");
            commands.addItem(new AddItem(order, MUG), CONTEXT);
            commands.addItem(new AddItem(order, MUG), CONTEXT);
            long failing = store.readAll(0, 2, EventFilter.ALL).next();
            FailingOn projection = new FailingOn(readModel, failing, Integer.MAX_VALUE);
            runner(projection, quickRetries(1, FailurePolicy.PARK)).catchUp();
            String stream = "order-" + order;
            assertThat(readModel.find(order).orElseThrow().version()).isEqualTo(1);

            ParkedStreams.Skip skip = new ParkedStreams.Skip("ops-1", "bad item", Instant.EPOCH);
            assertThatThrownBy(() -> readModel.skip(stream, failing + 1, skip)).as("not the head")
                    .isInstanceOf(ParkedStreams.HeadMoved.class);
            ParkedStreams.Skipped skipped = readModel.skip(stream, failing, skip);

            assertThat(skipped.skipped().version()).isEqualTo(2);
            assertThat(skipped.stillParked()).hasValueSatisfying(parked -> assertThat(parked.head().version()).isEqualTo(3));
            OrderRow moved = readModel.find(order).orElseThrow();
            assertThat(moved.version()).as("past the skipped event").isEqualTo(2);
            assertThat(moved.order().lineItems()).as("without its effect").hasSize(1);
            assertThat(readModel.resume(stream, "ops-1").applied()).isEqualTo(1);
            assertThat(readModel.find(order).orElseThrow().version()).isEqualTo(3);
            assertThat(readModel.find(order).orElseThrow().order().lineItems()).hasSize(2);
            assertThat(readModel.skippedEvents()).singleElement().satisfies(record -> {
                assertThat(record.skip().by()).isEqualTo("ops-1");
                assertThat(record.skip().reason()).isEqualTo("bad item");
            });
        }
    }

    @Test
    @DisplayName("a started runner applies an event appended while it waits at once, woken by the signal: it polls only hourly")
    void startedRunnerIsWokenByTheSignal() throws InterruptedException {
        AppendSignal signal = new AppendSignal();
        CountDownLatch foundNothing = new CountDownLatch(1);
        EventStore feed = new ForwardingEventStore(store) {
            @Override
            public FeedPage readAll(long after, int limit, EventFilter filter) {
                FeedPage page = super.readAll(after, limit, filter);
                if (page.events().isEmpty()) {
                    foundNothing.countDown();
                }
                return page;
            }
        };
        // Only a signal can end its wait in time: without one it would read the feed again in an hour.
        ProjectionRunner runner = new ProjectionRunner(readModel, feed, EventFilter.category("order"),
                ProjectionSettings.DEFAULT.withPollInterval(Duration.ofHours(1)), ProjectionLeases.UNCONTENDED, signal);
        runner.start();
        try {
            assertThat(foundNothing.await(10, TimeUnit.SECONDS)).as("the runner read the empty feed").isTrue();
            OrderId id = place("late");
            signal.signal();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (readModel.find(id).isEmpty()) {
                    Thread.sleep(5);
                }
            }, "the signalled runner applies the order long before its hourly poll");
            assertRowMatchesEvents(id);
            assertThat(runner.isActive()).isTrue();
        } finally {
            runner.stop();
        }
        assertThat(runner.isActive()).isFalse();
    }
}
