package org.pgeventstore.application.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.application.order.OrderCommandFixtures.CONTEXT;
import static org.pgeventstore.application.order.OrderCommandFixtures.START;
import static org.pgeventstore.application.order.OrderCommandFixtures.json;
import static org.pgeventstore.application.order.OrderCommandFixtures.newOrder;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.item;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.ShippingPolicy;

class IdempotentPlacementTest {

    private static final Optional<String> KEY = Optional.of("checkout-3f9a");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryEventStore store = new InMemoryEventStore(clock);
    private final List<Duration> sleeps = new ArrayList<>();
    private final OrderCommandHandler handler = OrderCommandFixtures.handler(store, clock, RetryPolicy.DEFAULT, sleeps::add);

    private List<RecordedEvent> everything() {
        return store.readAll(0, 1000, EventFilter.ALL).events();
    }

    @Test
    @DisplayName("the same key and request return the same order, flagged as a replay, and append nothing")
    void repeatReturnsSameOrder() {
        OrderCommandResult first = handler.place(newOrder(MUGS), CONTEXT, KEY);
        clock.advance(Duration.ofMinutes(5));

        OrderCommandResult second = handler.place(newOrder(MUGS), CommandContext.of("corr-retry"), KEY);

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.order()).isEqualTo(first.order());
        assertThat(second.position()).isEqualTo(first.position());
        assertThat(second.append().lastVersion()).isEqualTo(1);
        assertThat(everything()).hasSize(1);
    }

    @Test
    @DisplayName("the order id comes from the key, so another handler (a restart) finds the same order")
    void durableAcrossHandlers() {
        OrderCommandResult first = handler.place(newOrder(MUGS), CONTEXT, KEY);
        OrderCommandHandler afterRestart = new OrderCommandHandler(store, new OrderEventRegistry(),
                ShippingPolicy.standard(), clock);

        OrderCommandResult again = afterRestart.place(newOrder(MUGS), CONTEXT, KEY);

        assertThat(again.order().id()).isEqualTo(first.order().id());
        assertThat(again.order().orderNumber()).isEqualTo(first.order().orderNumber());
        assertThat(again.replayed()).isTrue();
        assertThat(everything()).hasSize(1);
        assertThat(first.order().id()).isEqualTo(new IdempotencyKey(KEY.get()).orderId());
    }

    @Test
    @DisplayName("a repeat after the order moved on returns its current state")
    void repeatReturnsCurrentState() {
        OrderId orderId = handler.place(newOrder(MUGS), CONTEXT, KEY).order().id();
        handler.pay(new PayOrder(orderId, money("30.00"), "card"), CONTEXT);

        OrderCommandResult again = handler.place(newOrder(MUGS), CONTEXT, KEY);

        assertThat(again.replayed()).isTrue();
        assertThat(again.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(again.version()).isEqualTo(2);
        assertThat(everything()).hasSize(2);
    }

    @Test
    @DisplayName("the same key with a different request is refused and appends nothing")
    void reusedKeyIsRefused() {
        OrderId orderId = handler.place(newOrder(MUGS), CONTEXT, KEY).order().id();

        assertThatThrownBy(() -> handler.place(newOrder(MUGS, POSTER), CONTEXT, KEY))
                .isInstanceOfSatisfying(IdempotencyKeyReused.class, reused -> assertThat(reused.orderId()).isEqualTo(orderId))
                .hasMessageNotContaining(KEY.get());
        assertThatThrownBy(() -> handler.place(
                new NewOrder(new CustomerId("someone-else"), List.of(MUGS), ADDRESS), CONTEXT, KEY))
                .isInstanceOf(IdempotencyKeyReused.class);
        assertThat(everything()).hasSize(1);
    }

    @Test
    @DisplayName("amounts are compared by value: 12.5 and 12.50 are the same request")
    void amountsComparedByValue() {
        LineItem mugsWithShortPrice = new LineItem("p-mug", "MUG-BLUE", "Blue mug", 2, new Money(new BigDecimal("12.5")));
        handler.place(newOrder(MUGS), CONTEXT, KEY);

        assertThat(handler.place(newOrder(mugsWithShortPrice), CONTEXT, KEY).replayed()).isTrue();
    }

    @Test
    @DisplayName("different keys place different orders; no key places a fresh order every time")
    void differentKeys() {
        OrderId a = handler.place(newOrder(MUGS), CONTEXT, Optional.of("key-a")).order().id();
        OrderId b = handler.place(newOrder(MUGS), CONTEXT, Optional.of("key-b")).order().id();
        OrderId c = handler.place(newOrder(MUGS), CONTEXT).order().id();
        OrderId d = handler.place(newOrder(MUGS), CONTEXT, Optional.empty()).order().id();

        assertThat(List.of(a, b, c, d)).doesNotHaveDuplicates();
        assertThat(everything()).hasSize(4);
    }

    @Test
    @DisplayName("the placing event's metadata holds hashes of the key and the request, never the key")
    void metadataHoldsHashes() {
        handler.place(newOrder(MUGS), CONTEXT, KEY);

        RecordedEvent placing = everything().getFirst();
        JsonNode metadata = json(placing.metadata());
        assertThat(metadata.get("command").asText()).isEqualTo("PlaceOrder");
        assertThat(metadata.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(metadata.get("requestHash").asText()).matches("[0-9a-f]{64}");
        assertThat(metadata.get("idempotencyKeyHash").asText()).matches("[0-9a-f]{64}");
        assertThat(placing.metadata()).doesNotContain(KEY.get());
        assertThat(placing.eventId()).isEqualTo(new IdempotencyKey(KEY.get()).eventId(0));
    }

    @Test
    @DisplayName("an invalid order is refused as invalid even under a key that was used")
    void invalidOrderUnderUsedKey() {
        handler.place(newOrder(MUGS), CONTEXT, KEY);

        assertThatThrownBy(() -> handler.place(newOrder(), CONTEXT, KEY))
                .isInstanceOfSatisfying(InvalidOrderData.class, invalid -> assertThat(invalid.field()).isEqualTo("lineItems"));
    }

    @Test
    @DisplayName("a blank or over-long key is invalid input")
    void keyValidation() {
        assertThatThrownBy(() -> handler.place(newOrder(MUGS), CONTEXT, Optional.of(" ")))
                .isInstanceOfSatisfying(InvalidOrderData.class, invalid -> assertThat(invalid.field()).isEqualTo("idempotencyKey"));
        assertThatThrownBy(() -> handler.place(newOrder(MUGS), CONTEXT, Optional.of("k".repeat(256))))
                .isInstanceOf(InvalidOrderData.class);
        assertThat(everything()).isEmpty();
    }

    @RepeatedTest(5)
    @DisplayName("concurrent requests with one key place one order, and all of them get it")
    void concurrentRepeats() throws Exception {
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<OrderCommandResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<OrderCommandResult> place = () -> {
                    start.await();
                    return handler.place(newOrder(MUGS), CONTEXT, KEY);
                };
                results.add(pool.submit(place));
            }
            start.countDown();

            List<OrderCommandResult> outcomes = new ArrayList<>();
            for (Future<OrderCommandResult> result : results) {
                outcomes.add(result.get(10, TimeUnit.SECONDS));
            }
            assertThat(outcomes).extracting(outcome -> outcome.order().id()).containsOnly(outcomes.getFirst().order().id());
            assertThat(outcomes).filteredOn(outcome -> !outcome.replayed()).hasSize(1);
            assertThat(everything()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(5)
    @DisplayName("concurrent requests with one key and different bodies: one places the order, the others are refused")
    void concurrentReuse() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<OrderCommandResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                NewOrder order = new NewOrder(CUSTOMER, List.of(item("p-" + i, "SKU-" + i, "Item " + i, 1, "3.00")), ADDRESS);
                results.add(pool.submit(() -> {
                    start.await();
                    return handler.place(order, CONTEXT, KEY);
                }));
            }
            start.countDown();

            int placed = 0;
            int refused = 0;
            for (Future<OrderCommandResult> result : results) {
                try {
                    result.get(10, TimeUnit.SECONDS);
                    placed++;
                } catch (ExecutionException failure) {
                    assertThat(failure.getCause()).isInstanceOf(IdempotencyKeyReused.class);
                    refused++;
                }
            }
            assertThat(placed).isEqualTo(1);
            assertThat(refused).isEqualTo(threads - 1);
            assertThat(everything()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("keys map to fixed ids, so stored orders stay reachable after an upgrade")
    void derivationIsStable() {
        var key = new IdempotencyKey("checkout-3f9a");

        assertThat(key.orderId().value()).isEqualTo(UUID.nameUUIDFromBytes(
                "pg-eventstore/order-id/idempotency-key/checkout-3f9a".getBytes(StandardCharsets.UTF_8)));
        assertThat(key.eventId(0)).isNotEqualTo(key.orderId().value());
        assertThat(key.toString()).doesNotContain("checkout-3f9a");
    }
}
