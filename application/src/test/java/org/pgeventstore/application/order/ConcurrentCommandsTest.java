package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.millis;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.item;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;

class ConcurrentCommandsTest {

    private static final int WRITERS = 20;

    /**
     * Holds the first {@value #WRITERS} appends until all of them have arrived, so every writer has
     * loaded and decided against version 1 before any of them appends: at least 19 conflicts are
     * certain, not left to the scheduler. Appends before it is armed and after the first
     * {@value #WRITERS} pass straight through.
     */
    private static final class StartingGate extends ForwardingEventStore {

        final CyclicBarrier gate = new CyclicBarrier(WRITERS);
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        volatile boolean armed;

        StartingGate(InMemoryEventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            if (armed && appends.incrementAndGet() <= WRITERS) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException stuck) {
                    throw new IllegalStateException("the writers never all reached the gate", stuck);
                }
            }
            try {
                return delegate.append(stream, expected, events);
            } catch (ConcurrencyConflict conflict) {
                conflicts.incrementAndGet();
                throw conflict;
            }
        }
    }

    @RepeatedTest(10)
    @DisplayName("20 threads adding distinct items to one order without If-Match all succeed: each item added once, version 21")
    void twentyWritersOneOrder() throws Exception {
        MutableClock clock = new MutableClock(START);
        InMemoryEventStore memory = new InMemoryEventStore(clock);
        StartingGate store = new StartingGate(memory);
        // Enough attempts for the last of 20 writers in the worst case, with real (short) sleeps.
        RetryPolicy policy = new RetryPolicy(WRITERS + 5, millis(1), millis(20));
        OrderCommandHandler handler = OrderCommandFixtures.handler(store, clock, policy, Sleeper.THREAD_SLEEP);
        OrderId orderId = handler.place(newOrder(MUGS), CONTEXT).order().id();
        store.armed = true;

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<LineItem> items = IntStream.range(0, WRITERS)
                    .mapToObj(i -> item("p-" + i, "SKU-" + i, "Item " + i, 1 + i % 4, (1 + i) + ".50")).toList();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<OrderCommandResult>> results = new ArrayList<>();
            for (LineItem item : items) {
                results.add(pool.submit(() -> {
                    assertThat(start.await(30, TimeUnit.SECONDS)).as("released").isTrue();
                    return handler.addItem(new AddItem(orderId, item), CONTEXT);
                }));
            }
            start.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<OrderCommandResult> result : results) {
                versions.add(result.get(30, TimeUnit.SECONDS).version());
            }

            Order order = new OrderQueries(memory, new OrderEventRegistry()).current(orderId).order();
            assertThat(order.version()).isEqualTo(WRITERS + 1);
            assertThat(order.lineItems()).hasSize(WRITERS + 1);
            assertThat(order.lineItems().subList(1, WRITERS + 1)).as("each thread's own item, once")
                    .containsExactlyInAnyOrderElementsOf(items);
            Money subtotal = order.lineItems().getFirst().lineTotal();
            for (LineItem item : items) {
                subtotal = subtotal.plus(item.lineTotal());
            }
            assertThat(order.subtotal()).isEqualTo(subtotal);
            assertThat(versions).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(2, WRITERS + 1).boxed().toList());
            assertThat(store.conflicts.get()).isGreaterThanOrEqualTo(WRITERS - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
