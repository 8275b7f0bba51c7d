package org.pgeventstore.application.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.ShippingAddress;
import org.pgeventstore.domain.order.ShippingPolicy;

/** Shared orders, contexts and handler set-ups, priced against the standard policy (5.00, free from 50.00). */
final class OrderFixtures {

    static final Instant START = Instant.parse("2026-01-10T09:00:00Z");
    static final CustomerId CUSTOMER = new CustomerId("customer-7");
    static final ShippingAddress ADDRESS = new ShippingAddress("1 Harbour Street", "Bristol", "GB", "BS1 4DJ");

    /** 2 x 12.50 = 25.00: below the free-shipping threshold, so placing it costs 25.00 + 5.00. */
    static final LineItem MUGS = item("p-mug", "MUG-BLUE", "Blue mug", 2, "12.50");
    /** 1 x 19.99. */
    static final LineItem POSTER = item("p-poster", "POSTER-A2", "Harbour poster", 1, "19.99");
    /** 1 x 1.00, for adding many times. */
    static final LineItem STICKER = item("p-sticker", "STICKER-1", "Sticker", 1, "1.00");

    static final CommandContext CONTEXT = new CommandContext("corr-1", "cause-1", "user-1", OptionalLong.empty());

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderFixtures() {
    }

    static LineItem item(String productId, String sku, String name, int quantity, String unitPrice) {
        return new LineItem(productId, sku, name, quantity, Money.of(unitPrice));
    }

    static Money money(String amount) {
        return Money.of(amount);
    }

    static NewOrder newOrder(LineItem... items) {
        return new NewOrder(CUSTOMER, List.of(items), ADDRESS);
    }

    /** Ids 00000000-0000-0000-0000-000000000001, ...02 and so on; safe to share between threads. */
    static Supplier<UUID> sequentialIds() {
        AtomicLong next = new AtomicLong();
        return () -> new UUID(0, next.incrementAndGet());
    }

    static OrderCommandHandler handler(EventStore store, MutableClock clock, RetryPolicy retryPolicy, Sleeper sleeper) {
        return new OrderCommandHandler(store, new OrderEventRegistry(), ShippingPolicy.standard(), clock,
                sequentialIds(), id -> "ORD-" + id.value().getLeastSignificantBits(), retryPolicy, sleeper);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            throw new AssertionError("not JSON: " + text, notJson);
        }
    }

    static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
