package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.STICKER;
import static org.pgeventstore.application.order.OrderCommandFixtures.millis;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.PaymentMismatch;

class ConflictRetryTest {

    private static final RetryPolicy POLICY = new RetryPolicy(5, millis(5), millis(40));

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore memory = new InMemoryEventStore(clock);
    private final Disturbance store = new Disturbance(memory);
    private final List<Duration> sleeps = new ArrayList<>();
    private final OrderCommandHandler handler = OrderCommandFixtures.handler(store, clock, POLICY, sleeps::add);

    /**
     * Lets the next appends fail: either with a conflict thrown without writing, or by a rival
     * writer that really appends to the stream just before the command's own append.
     */
    private static final class Disturbance extends ForwardingEventStore {

        final AtomicInteger appends = new AtomicInteger();
        volatile int conflictsToThrow;
        volatile Runnable rivalBeforeNextAppend;

        Disturbance(InMemoryEventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            appends.incrementAndGet();
            Runnable rival = rivalBeforeNextAppend;
            if (rival != null) {
                rivalBeforeNextAppend = null;
                rival.run();
            }
            if (conflictsToThrow > 0) {
                conflictsToThrow--;
                throw new ConcurrencyConflict(stream.value(), expected, delegate.currentVersion(stream) + 1);
            }
            return delegate.append(stream, expected, events);
        }
    }

    private OrderId placed() {
        OrderId orderId = handler.place(newOrder(MUGS), CONTEXT).order().id();
        store.appends.set(0);
        return orderId;
    }

    private long versionOf(OrderId orderId) {
        return memory.currentVersion(OrderStreams.streamOf(orderId));
    }

    @AfterEach
    void pausesStayUnderTheirCeilings() {
        for (int retry = 1; retry <= sleeps.size(); retry++) {
            assertThat(sleeps.get(retry - 1)).isBetween(Duration.ZERO, POLICY.ceilingBefore(retry));
        }
    }

    @Nested
    @DisplayName("without an expected version")
    class Unconditional {

        @Test
        @DisplayName("a conflict is retried, pausing before each retry, until the append goes through")
        void retriesUntilSuccess() {
            OrderId orderId = placed();
            store.conflictsToThrow = 3;

            OrderCommandResult result = handler.addItem(new AddItem(orderId, POSTER), CONTEXT);

            assertThat(store.appends).hasValue(4);
            assertThat(sleeps).hasSize(3);
            assertThat(result.version()).isEqualTo(2);
            assertThat(versionOf(orderId)).isEqualTo(2);
        }

        @Test
        @DisplayName("after maxAttempts the last conflict surfaces and nothing was appended")
        void givesUpAfterMaxAttempts() {
            OrderId orderId = placed();
            store.conflictsToThrow = Integer.MAX_VALUE;

            assertThatThrownBy(() -> handler.addItem(new AddItem(orderId, POSTER), CONTEXT))
                    .isInstanceOf(ConcurrencyConflict.class);

            assertThat(store.appends).hasValue(POLICY.maxAttempts());
            assertThat(sleeps).hasSize(POLICY.maxAttempts() - 1);
            assertThat(versionOf(orderId)).isEqualTo(1);
        }

        @Test
        @DisplayName("a retry decides again against the state the rival wrote")
        void redecidesAgainstTheWinner() {
            OrderId orderId = placed();
            OrderCommandHandler rival = OrderCommandFixtures.handler(memory, clock, RetryPolicy.NO_RETRY, sleeps::add);
            store.rivalBeforeNextAppend = () -> rival.addItem(new AddItem(orderId, STICKER), CONTEXT);

            OrderCommandResult result = handler.addItem(new AddItem(orderId, POSTER), CONTEXT);

            assertThat(result.order().lineItems()).containsExactly(MUGS, STICKER, POSTER);
            assertThat(result.order().subtotal()).isEqualTo(money("45.99"));
            assertThat(result.version()).isEqualTo(3);
            assertThat(store.appends).hasValue(2);
            assertThat(sleeps).hasSize(1);
        }

        @Test
        @DisplayName("a retry can turn into a rejection when the rival changed what is allowed")
        void retryMeetsTheNewRules() {
            OrderId orderId = placed();
            OrderCommandHandler rival = OrderCommandFixtures.handler(memory, clock, RetryPolicy.NO_RETRY, sleeps::add);
            store.rivalBeforeNextAppend = () -> rival.addItem(new AddItem(orderId, STICKER), CONTEXT);

            // Paying the old total loses to the added sticker: the new total is 31.00.
            assertThatThrownBy(() -> handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT))
                    .isInstanceOf(PaymentMismatch.class);
            assertThat(versionOf(orderId)).isEqualTo(2);
        }

        @Test
        @DisplayName("an interrupt while pausing stops the retries, surfaces the conflict and keeps the interrupt")
        void interruptStopsRetrying() {
            OrderId orderId = placed();
            store.conflictsToThrow = Integer.MAX_VALUE;
            OrderCommandHandler interrupted = OrderCommandFixtures.handler(store, clock, POLICY, delay -> {
                throw new InterruptedException("shutting down");
            });
            try {
                assertThatThrownBy(() -> interrupted.addItem(new AddItem(orderId, POSTER), CONTEXT))
                        .isInstanceOf(ConcurrencyConflict.class)
                        .satisfies(conflict -> assertThat(conflict.getSuppressed()).hasSize(1));
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThat(store.appends).hasValue(1);
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Nested
    @DisplayName("with an expected version (If-Match)")
    class Conditional {

        @Test
        @DisplayName("a matching version appends once")
        void matchingVersion() {
            OrderId orderId = placed();

            OrderCommandResult result = handler.addItem(new AddItem(orderId, POSTER), CONTEXT.expectingVersion(1));

            assertThat(result.version()).isEqualTo(2);
            assertThat(store.appends).hasValue(1);
        }

        @Test
        @DisplayName("an order at another version is stale at once: no append, no retry")
        void staleBeforeAppending() {
            OrderId orderId = placed();
            handler.addItem(new AddItem(orderId, STICKER), CONTEXT);
            store.appends.set(0);

            assertThatThrownBy(() -> handler.addItem(new AddItem(orderId, POSTER), CONTEXT.expectingVersion(1)))
                    .isInstanceOfSatisfying(StaleOrderVersion.class, stale -> {
                        assertThat(stale.orderId()).isEqualTo(orderId);
                        assertThat(stale.condition()).isEqualTo(VersionCondition.exactly(1));
                        assertThat(stale.actualVersion()).isEqualTo(2);
                    });
            assertThat(store.appends).hasValue(0);
            assertThat(sleeps).isEmpty();
            assertThat(versionOf(orderId)).isEqualTo(2);
        }

        @Test
        @DisplayName("losing the race to append is stale too, and is never retried")
        void conflictIsNotRetried() {
            OrderId orderId = placed();
            OrderCommandHandler rival = OrderCommandFixtures.handler(memory, clock, RetryPolicy.NO_RETRY, sleeps::add);
            store.rivalBeforeNextAppend = () -> rival.addItem(new AddItem(orderId, STICKER), CONTEXT);

            assertThatThrownBy(() -> handler.addItem(new AddItem(orderId, POSTER), CONTEXT.expectingVersion(1)))
                    .isInstanceOfSatisfying(StaleOrderVersion.class, stale -> {
                        assertThat(stale.condition()).isEqualTo(VersionCondition.exactly(1));
                        assertThat(stale.actualVersion()).isEqualTo(2);
                    });
            assertThat(store.appends).hasValue(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        @DisplayName("even many injected conflicts are met with a single attempt")
        void singleAttempt() {
            OrderId orderId = placed();
            store.conflictsToThrow = Integer.MAX_VALUE;

            assertThatThrownBy(() -> handler.addItem(new AddItem(orderId, POSTER), CONTEXT.expectingVersion(1)))
                    .isInstanceOf(StaleOrderVersion.class);
            assertThat(store.appends).hasValue(1);
            assertThat(sleeps).isEmpty();
        }
    }
}
