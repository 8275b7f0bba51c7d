package org.pgeventstore.application.order;

import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.item;

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
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.ShippingPolicy;

/**
 * Shared contexts, new orders and handler set-ups of the order use cases; the items and amounts
 * are the domain's ({@link org.pgeventstore.domain.order.OrderFixtures}).
 */
final class OrderCommandFixtures {

    static final Instant START = Instant.parse("2026-01-10T09:00:00Z");
    /** 1 x 1.00, for adding many times. */
    static final LineItem STICKER = item("p-sticker", "STICKER-1", "Sticker", 1, "1.00");

    static final CommandContext CONTEXT = new CommandContext("corr-1", "cause-1", "user-1", OptionalLong.empty());

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderCommandFixtures() {
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
