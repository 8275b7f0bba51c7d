package org.pgeventstore.application.order;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.domain.order.AddItem;
import org.pgeventstore.domain.order.CancelOrder;
import org.pgeventstore.domain.order.DeliverOrder;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderCommand;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.PayOrder;
import org.pgeventstore.domain.order.PlaceOrder;
import org.pgeventstore.domain.order.ShipOrder;
import org.pgeventstore.domain.order.ShippingPolicy;

/**
 * The command use cases of the Order aggregate. Each command loads the order's current state
 * (from its latest snapshot and the events after it when {@link Snapshotting snapshots} are on,
 * else from every event), lets {@link Order#decide} turn the command into events, and appends
 * them expecting the version it loaded. After a successful append the new state is offered to
 * the snapshot writer, which decides and writes on its own thread: a slow or failing snapshot
 * store never delays or fails a command. Every appended event carries the {@link CommandContext}
 * as metadata: {@code {"correlationId", "causationId", "userId", "command"}}, absent ids as
 * {@code null}, the command as its {@code OrderCommand.name()} (e.g. {@code "AddItem"}).
 *
 * <p><b>Concurrency.</b> When another writer appended in between, the append fails with
 * {@link ConcurrencyConflict}. Without an expected version in the context the whole
 * load-decide-append is retried under the {@link RetryPolicy}, so the command is decided again
 * against the state that won; once the attempts are used up the last {@link ConcurrencyConflict}
 * is thrown. With an expected version (the client's {@code If-Match}) nothing is retried: an order
 * found at another version, or a lost race to append, throws {@link StaleOrderVersion}.
 *
 * <p><b>Placing.</b> Placement always appends to a stream that must not exist, so an expected
 * version in the context is ignored. Without an idempotency key the order id comes from the id
 * supplier; with one it is derived from the key (see {@link #place(NewOrder, CommandContext, Optional)}).
 *
 * <p><b>Failures</b> other than the two above come from the domain and are not retried:
 * {@code OrderNotFound}, {@code OrderAlreadyExists}, {@code InvalidTransition},
 * {@code PaymentMismatch}, {@code RefundExceedsPayment} (all {@code OrderRejection}s) and
 * {@code InvalidOrderData}; plus {@link IdempotencyKeyReused}, {@link UnreadableOrderEvent} for a
 * stream that cannot be read back, and the event store's own exceptions. A failed command has
 * appended nothing.
 *
 * <p>Thread-safe: it holds no state between calls.
 */
public final class OrderCommandHandler {

    private final EventStore store;
    private final OrderEventRegistry registry;
    private final OrderStreamReader reader;
    private final ShippingPolicy shippingPolicy;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Function<OrderId, String> orderNumbers;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;

    /** Random ids, order numbers {@link OrderNumbers#fromOrderId() from the order id}, the default retry policy and real sleeps. */
    public OrderCommandHandler(EventStore store, OrderEventRegistry registry, ShippingPolicy shippingPolicy, Clock clock) {
        this(store, registry, shippingPolicy, clock, UUID::randomUUID, OrderNumbers.fromOrderId(),
                RetryPolicy.DEFAULT, Sleeper.THREAD_SLEEP);
    }

    /** Without snapshots: every command folds the whole stream. */
    public OrderCommandHandler(EventStore store, OrderEventRegistry registry, ShippingPolicy shippingPolicy, Clock clock,
            Supplier<UUID> ids, Function<OrderId, String> orderNumbers, RetryPolicy retryPolicy, Sleeper sleeper) {
        this(store, registry, shippingPolicy, clock, ids, orderNumbers, retryPolicy, sleeper, Snapshotting.off());
    }

    /**
     * @param ids supplies the ids of orders placed without an idempotency key and of every event
     *     appended outside an idempotent placement
     * @param orderNumbers gives a new order its human-facing number
     * @param sleeper waits between retries
     * @param snapshotting where loads start and where new states are offered
     */
    public OrderCommandHandler(EventStore store, OrderEventRegistry registry, ShippingPolicy shippingPolicy, Clock clock,
            Supplier<UUID> ids, Function<OrderId, String> orderNumbers, RetryPolicy retryPolicy, Sleeper sleeper,
            Snapshotting snapshotting) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.reader = new OrderStreamReader(store, registry, OrderStreamReader.DEFAULT_PAGE_SIZE,
                Objects.requireNonNull(snapshotting, "snapshotting"));
        this.shippingPolicy = Objects.requireNonNull(shippingPolicy, "shippingPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.orderNumbers = Objects.requireNonNull(orderNumbers, "orderNumbers");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Places a new order under a fresh id from the id supplier. */
    public OrderCommandResult place(NewOrder order, CommandContext context) {
        return place(order, context, Optional.empty());
    }

    /**
     * Places a new order. With an idempotency key (1..255 characters) the order id and the id of
     * the placing event are derived from the key, and the request's hash is stored in the
     * placing event's metadata. Sending the same key again then appends nothing and returns the
     * order's current state with {@link OrderCommandResult#replayed()} set, as long as the request
     * is the same (same customer, items and address); a different request throws
     * {@link IdempotencyKeyReused}. This holds across restarts and between concurrent requests,
     * since the key lives in the event store itself.
     *
     * @throws org.pgeventstore.domain.order.InvalidOrderData when the order has no items or the key is blank or too long
     */
    public OrderCommandResult place(NewOrder order, CommandContext context, Optional<String> idempotencyKey) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Optional<IdempotencyKey> key = idempotencyKey.map(IdempotencyKey::new);
        OrderId orderId = key.map(IdempotencyKey::orderId).orElseGet(() -> new OrderId(ids.get()));
        // Built before anything is read, so an invalid order is refused even under a used key.
        PlaceOrder command = new PlaceOrder(orderId, orderNumbers.apply(orderId),
                order.customerId(), order.lineItems(), order.shippingAddress(), order.currency());
        String requestHash = IdempotencyKey.requestHashOf(order);
        return retryingConflicts(() -> placeOnce(command, context, key, requestHash));
    }

    public OrderCommandResult addItem(AddItem command, CommandContext context) {
        return change(command, context);
    }

    public OrderCommandResult pay(PayOrder command, CommandContext context) {
        return change(command, context);
    }

    public OrderCommandResult ship(ShipOrder command, CommandContext context) {
        return change(command, context);
    }

    public OrderCommandResult deliver(DeliverOrder command, CommandContext context) {
        return change(command, context);
    }

    public OrderCommandResult cancel(CancelOrder command, CommandContext context) {
        return change(command, context);
    }

    private OrderCommandResult placeOnce(
            PlaceOrder command, CommandContext context, Optional<IdempotencyKey> key, String requestHash) {
        OrderId orderId = command.orderId();
        StreamId stream = OrderStreams.streamOf(orderId);
        // The first event is all a placement needs to see: it is there or not, and it holds the key's request hash.
        Optional<RecordedEvent> placing = firstEvent(stream);
        if (key.isPresent() && placing.isPresent()) {
            return repeatedPlacement(orderId, placing.get(), requestHash);
        }
        // Without a key an existing stream is a clash of ids, which decide reports as OrderAlreadyExists.
        Order state = placing.isPresent() ? reader.load(orderId, OrderStreamReader.Target.CURRENT).order() : Order.initial();
        List<OrderEvent> events = Order.decide(state, command, shippingPolicy, clock);
        String metadata = key
                .map(k -> EventMetadata.ofIdempotentPlacement(context, command.name(), k, requestHash))
                .orElseGet(() -> EventMetadata.of(context, command.name()));
        List<NewEvent> newEvents = IntStream.range(0, events.size())
                .mapToObj(i -> registry.toNewEvent(events.get(i), key.map(k -> k.eventId(i)).orElseGet(ids), metadata))
                .toList();
        AppendResult appended = store.append(stream, ExpectedVersion.NO_STREAM, newEvents);
        if (appended.replayed()) {
            if (key.isEmpty()) {
                throw eventIdsReused(stream);
            }
            // A concurrent request with the same key placed the order first; its event ids equal ours.
            return repeatedPlacement(orderId, firstEvent(stream).orElseThrow(), requestHash);
        }
        Order placed = evolve(state, events);
        reader.offerSnapshot(orderId, OrderStreamReader.Loaded.nothing(), placed, appended);
        return new OrderCommandResult(placed, appended);
    }

    private Optional<RecordedEvent> firstEvent(StreamId stream) {
        return store.read(stream, 1, 1).events().stream().findFirst();
    }

    private OrderCommandResult repeatedPlacement(OrderId orderId, RecordedEvent placing, String requestHash) {
        if (!EventMetadata.requestHashOf(placing).equals(Optional.of(requestHash))) {
            throw new IdempotencyKeyReused(orderId);
        }
        Order current = reader.load(orderId, OrderStreamReader.Target.CURRENT).order();
        AppendResult original = new AppendResult(placing.streamId(), placing.version(), placing.version(),
                placing.position(), placing.position(), true);
        return new OrderCommandResult(current, original);
    }

    private OrderCommandResult change(OrderCommand command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        OptionalLong expected = context.expectedVersion();
        if (expected.isPresent()) {
            return changeOnce(command, context, expected);
        }
        return retryingConflicts(() -> changeOnce(command, context, expected));
    }

    private OrderCommandResult changeOnce(OrderCommand command, CommandContext context, OptionalLong expected) {
        OrderId orderId = command.orderId();
        StreamId stream = OrderStreams.streamOf(orderId);
        OrderStreamReader.Loaded loaded = reader.load(orderId, OrderStreamReader.Target.CURRENT);
        Order state = loaded.order();
        // A missing order is left to decide, so the client hears "not found" rather than "stale".
        if (expected.isPresent() && state.exists() && state.version() != expected.getAsLong()) {
            throw new StaleOrderVersion(orderId, expected.getAsLong(), state.version());
        }
        List<OrderEvent> events = Order.decide(state, command, shippingPolicy, clock);
        String metadata = EventMetadata.of(context, command.name());
        List<NewEvent> newEvents = events.stream()
                .map(event -> registry.toNewEvent(event, ids.get(), metadata))
                .toList();
        try {
            AppendResult appended = store.append(stream, ExpectedVersion.exactly(state.version()), newEvents);
            if (appended.replayed()) {
                throw eventIdsReused(stream);
            }
            Order changed = evolve(state, events);
            reader.offerSnapshot(orderId, loaded, changed, appended);
            return new OrderCommandResult(changed, appended);
        } catch (ConcurrencyConflict conflict) {
            if (expected.isPresent()) {
                throw new StaleOrderVersion(orderId, expected.getAsLong(), conflict.actualVersion());
            }
            throw conflict;
        }
    }

    private OrderCommandResult retryingConflicts(Supplier<OrderCommandResult> attempt) {
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (ConcurrencyConflict conflict) {
                if (attempts >= retryPolicy.maxAttempts()) {
                    throw conflict;
                }
                pause(retryPolicy.delayBefore(attempts, ThreadLocalRandom.current()), conflict);
            }
        }
    }

    private void pause(Duration delay, ConcurrencyConflict conflict) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
            // Stop retrying and keep the interrupt for the caller; the conflict is the honest answer.
            Thread.currentThread().interrupt();
            conflict.addSuppressed(interrupted);
            throw conflict;
        }
    }

    /**
     * The store took fresh events for a re-send of stored ones and appended nothing: the id
     * supplier handed out an id twice. Reporting success would silently lose the command.
     */
    private static IllegalStateException eventIdsReused(StreamId stream) {
        return new IllegalStateException("the event ids supplied for an append to " + stream
                + " were already stored there, so nothing was appended; the id supplier must not repeat ids");
    }

    private static Order evolve(Order state, List<OrderEvent> events) {
        Order next = state;
        for (OrderEvent event : events) {
            next = Order.evolve(next, event);
        }
        return next;
    }
}
