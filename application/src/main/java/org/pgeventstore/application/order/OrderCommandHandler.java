package org.pgeventstore.application.order;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.pgeventstore.application.aggregate.AggregateLoader;
import org.pgeventstore.application.aggregate.CommandContext;
import org.pgeventstore.application.aggregate.CommandRunner;
import org.pgeventstore.application.aggregate.Decider;
import org.pgeventstore.application.aggregate.EventMetadata;
import org.pgeventstore.application.aggregate.LoadTarget;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.DuplicateEventId;
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
 * <p><b>Time.</b> The state a command returns is its events folded in as the store recorded them,
 * with the store's time ({@link AppendResult#occurredAt()}) for placing, payment, shipment,
 * cancellation and an unreported delivery: the same state a later load rebuilds, whatever this
 * instance's clock says.
 *
 * <p><b>Concurrency.</b> When another writer appended in between, the append fails with
 * {@link ConcurrencyConflict}. Without a condition in the context (or with
 * {@link VersionCondition#EXISTS}) the whole load-decide-append is retried under the
 * {@link RetryPolicy}, so the command is decided again against the state that won; once the
 * attempts are used up the last {@link ConcurrencyConflict} is thrown. With expected versions (the
 * client's {@code If-Match}) nothing is retried: an order found at another version or not at all,
 * or a lost race to append, throws {@link StaleOrderVersion}.
 *
 * <p><b>Idempotency.</b> Under an idempotency key a command on an existing order appends events
 * whose ids derive from the order and the key, with the request's hash in their metadata. Sent
 * again (say after a lost response), it appends nothing and returns what the first run returned
 * (the order as that run left it, {@link OrderCommandResult#replayed()} set), across restarts and
 * instances, since the key lives in the event store itself; the same key with another command or
 * other arguments throws {@link IdempotencyKeyReused}.
 *
 * <p><b>Placing.</b> Placement always appends to a stream that must not exist, so a condition in
 * the context is ignored. Without an idempotency key the order id comes from the id supplier;
 * with one it is derived from the key (see {@link #place(NewOrder, CommandContext, Optional)}).
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

    /** The runner's refusals, worded for orders. */
    private static final CommandRunner.Refusals<OrderCommand> REFUSALS = new CommandRunner.Refusals<>() {
        @Override
        public RuntimeException staleVersion(OrderCommand command, VersionCondition condition, long actualVersion) {
            return new StaleOrderVersion(command.orderId(), condition, actualVersion);
        }

        @Override
        public RuntimeException keyReused(OrderCommand command, String earlierCommand) {
            return IdempotencyKeyReused.onCommand(command.orderId(), earlierCommand);
        }
    };

    private final EventStore store;
    private final AggregateLoader<OrderEvent, Order> loader;
    private final CommandRunner<OrderCommand, OrderEvent, Order> runner;
    private final Decider<OrderCommand, OrderEvent, Order> decider;
    private final Supplier<UUID> ids;
    private final Function<OrderId, String> orderNumbers;

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
        this.loader = new OrderStreamReader(store, Objects.requireNonNull(registry, "registry"),
                OrderStreamReader.DEFAULT_PAGE_SIZE, Objects.requireNonNull(snapshotting, "snapshotting")).loader();
        this.decider = OrderAggregate.decider(shippingPolicy, clock);
        this.ids = Objects.requireNonNull(ids, "ids");
        this.orderNumbers = Objects.requireNonNull(orderNumbers, "orderNumbers");
        this.runner = new CommandRunner<>(store, loader, decider, REFUSALS, ids,
                Objects.requireNonNull(retryPolicy, "retryPolicy"), Objects.requireNonNull(sleeper, "sleeper"));
    }

    /** Places a new order, under the context's idempotency key if it has one, else under a fresh id from the id supplier. */
    public OrderCommandResult place(NewOrder order, CommandContext context) {
        return place(order, context, Objects.requireNonNull(context, "context").idempotencyKey());
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
        return runner.retrying(() -> placeOnce(command, context, key, requestHash));
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

    /**
     * A placement differs from every other command in three ways, so it does not go through the
     * runner: its stream must not exist, its key derives the order id too, and a repeat returns
     * the order as it is now rather than as the placement left it.
     *
     * <p>It appends without reading first: a new order's id is random or derived from a key not
     * seen before, so its stream is almost always absent, and the append's {@code NO_STREAM}
     * check finds the rare one that is not (a repeated key, a clash of ids). Only then is the
     * stream read.
     */
    private OrderCommandResult placeOnce(
            PlaceOrder command, CommandContext context, Optional<IdempotencyKey> key, String requestHash) {
        StreamId stream = OrderStreams.streamOf(command.orderId());
        Order state = Order.initial();
        List<OrderEvent> events = decider.decide(state, command);
        String metadata = key
                .map(k -> EventMetadata.ofIdempotent(context, command.name(), k.hash(), requestHash))
                .orElseGet(() -> EventMetadata.of(context, command.name()));
        List<NewEvent> newEvents = IntStream.range(0, events.size())
                .mapToObj(i -> loader.type().events().encode(events.get(i), key.map(k -> k.eventId(i)).orElseGet(ids),
                        metadata))
                .toList();
        AppendResult appended;
        try {
            appended = store.append(stream, ExpectedVersion.NO_STREAM, newEvents);
        } catch (DuplicateEventId | ConcurrencyConflict exists) {
            return placedBefore(command, stream, key, requestHash, exists);
        }
        if (appended.replayed()) {
            return placedBefore(command, stream, key, requestHash, CommandRunner.eventIdsReused(stream));
        }
        Order placed = runner.recorded(state, newEvents, appended);
        loader.offerSnapshot(stream, loader.nothing(), placed, placed.version(), appended);
        return new OrderCommandResult(placed, appended);
    }

    /**
     * The order's stream was there before this placement's append: under a key, a repeat (or a
     * concurrent request with the same key, whose event ids equal ours); without one, a clash of
     * ids, which the decision on the stored order reports as {@code OrderAlreadyExists}.
     */
    private OrderCommandResult placedBefore(PlaceOrder command, StreamId stream, Optional<IdempotencyKey> key,
                                            String requestHash, RuntimeException refused) {
        RecordedEvent placing = firstEvent(stream).orElseThrow(() -> refused);
        if (key.isPresent()) {
            return repeatedPlacement(command.orderId(), placing, requestHash);
        }
        decider.decide(loader.load(stream, LoadTarget.CURRENT).state(), command);
        throw refused;
    }

    private Optional<RecordedEvent> firstEvent(StreamId stream) {
        return store.read(stream, 1, 1).events().stream().findFirst();
    }

    private OrderCommandResult repeatedPlacement(OrderId orderId, RecordedEvent placing, String requestHash) {
        if (!EventMetadata.requestHashOf(placing, loader.type().events()).equals(Optional.of(requestHash))) {
            throw new IdempotencyKeyReused(orderId);
        }
        Order current = loader.load(OrderStreams.streamOf(orderId), LoadTarget.CURRENT).state();
        AppendResult original = new AppendResult(placing.streamId(), placing.version(), placing.version(),
                placing.position(), placing.position(), placing.occurredAt(), true);
        return new OrderCommandResult(current, original);
    }

    private OrderCommandResult change(OrderCommand command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        OrderId orderId = command.orderId();
        Optional<CommandRunner.Idempotency> idempotency = context.idempotencyKey().map(IdempotencyKey::new)
                .map(key -> new CommandRunner.Idempotency(key.hash(), IdempotencyKey.requestHashOf(command),
                        i -> key.eventId(orderId, i)));
        CommandRunner.Outcome<Order> outcome = runner.run(new CommandRunner.Request<>(OrderStreams.streamOf(orderId),
                command, command.name(), context, idempotency));
        return new OrderCommandResult(outcome.state(), outcome.appended());
    }
}
