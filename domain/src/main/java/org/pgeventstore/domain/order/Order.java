package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one order, rebuilt from its events, and the two pure functions of the aggregate:
 * {@link #decide} turns a command into new events (or a rejection) and {@link #evolve} folds one
 * event into the state. Neither mutates anything, reads the wall clock or generates ids.
 *
 * <p><b>Not yet placed.</b> A stream with no events is represented by {@link #initial()}: status
 * {@link OrderStatus#NOT_PLACED}, version 0, no line items, all amounts zero, and {@code null}
 * identity fields ({@code id}, {@code orderNumber}, {@code customerId}, {@code shippingAddress},
 * {@code placedAt}). Every other status guarantees those fields are present; check
 * {@link #exists()} before reading them. The lifecycle timestamps {@code paidAt},
 * {@code shippedAt}, {@code deliveredAt} and {@code cancelledAt} are {@link Optional}s, empty
 * until the step has happened.
 *
 * <p><b>Version.</b> The number of events folded into this state: 0 for {@link #initial()}, and
 * each {@link #evolve} adds 1. It equals the stream version to use for optimistic concurrency
 * when appending the events {@link #decide} returns.
 *
 * <p>{@code amountPaid} is zero until the order is paid, then the amount paid; it is not reduced
 * by a refund, which is recorded in {@link OrderCancelled} instead.
 */
public record Order(
        OrderId id,
        String orderNumber,
        CustomerId customerId,
        OrderStatus status,
        List<LineItem> lineItems,
        Money subtotal,
        Money shippingCost,
        Money total,
        Currency currency,
        ShippingAddress shippingAddress,
        Instant placedAt,
        Optional<Instant> paidAt,
        Optional<Instant> shippedAt,
        Optional<Instant> deliveredAt,
        Optional<Instant> cancelledAt,
        Money amountPaid,
        long version) {

    private static final Order INITIAL = new Order(
            null, null, null, OrderStatus.NOT_PLACED, List.of(),
            Money.ZERO, Money.ZERO, Money.ZERO, null, null, null,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Money.ZERO, 0);

    public Order {
        requireNonNull(status, "status");
        lineItems = AppendOnlyList.copyOf(requireNonNull(lineItems, "lineItems"));
        requireNonNull(subtotal, "subtotal");
        requireNonNull(shippingCost, "shippingCost");
        requireNonNull(total, "total");
        requireNonNull(paidAt, "paidAt");
        requireNonNull(shippedAt, "shippedAt");
        requireNonNull(deliveredAt, "deliveredAt");
        requireNonNull(cancelledAt, "cancelledAt");
        requireNonNull(amountPaid, "amountPaid");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        if (status != OrderStatus.NOT_PLACED) {
            requireNonNull(id, "id");
            requireNonNull(orderNumber, "orderNumber");
            requireNonNull(customerId, "customerId");
            requireNonNull(currency, "currency");
            requireNonNull(shippingAddress, "shippingAddress");
            requireNonNull(placedAt, "placedAt");
        }
    }

    /** The state of an order that has not been placed: the fold's starting point, version 0. */
    public static Order initial() {
        return INITIAL;
    }

    /** The state after folding {@code history}, oldest first, into {@link #initial()}. */
    public static Order rehydrate(List<OrderEvent> history) {
        Order state = initial();
        for (OrderEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    /** Whether the order has been placed, i.e. its status is anything but {@code NOT_PLACED}. */
    public boolean exists() {
        return status != OrderStatus.NOT_PLACED;
    }

    /**
     * Decides what happens when {@code command} reaches an order in {@code state}.
     *
     * @param state the current state, {@link #initial()} when the stream has no events
     * @param command what is asked; its order id must be the state's id once the order exists
     * @param shippingPolicy prices shipping when placing an order or adding an item
     * @param clock the source of the timestamps in the returned events, and "now" for the checks of a
     *     reported delivery time; an event store that records its own time for each event (this
     *     project's does) replaces the timestamps of placing, payment, shipment, cancellation and an
     *     unreported delivery with it when the events are read back
     * @return the events that record the change, oldest first (currently always exactly one)
     * @throws OrderNotFound when the order does not exist and the command is not {@link PlaceOrder}
     * @throws OrderAlreadyExists when {@link PlaceOrder} arrives for an existing order
     * @throws InvalidTransition when the order's status does not allow the command
     * @throws PaymentMismatch when a payment is not exactly the order total
     * @throws RefundExceedsPayment when a cancellation asks to refund more than was paid
     * @throws IllegalArgumentException when the command is for a different order than the state;
     *     that is a bug in the caller, not a business outcome
     */
    public static List<OrderEvent> decide(Order state, OrderCommand command, ShippingPolicy shippingPolicy, Clock clock) {
        requireNonNull(state, "state");
        requireNonNull(command, "command");
        requireNonNull(shippingPolicy, "shippingPolicy");
        requireNonNull(clock, "clock");

        if (!state.exists()) {
            if (command instanceof PlaceOrder place) {
                return List.of(place(place, shippingPolicy, clock));
            }
            throw new OrderNotFound(command.orderId(), command.name());
        }
        if (!state.id().equals(command.orderId())) {
            throw new IllegalArgumentException(
                    command.name() + " for order " + command.orderId() + " was decided against order " + state.id());
        }
        return List.of(switch (command) {
            case PlaceOrder ignored -> throw new OrderAlreadyExists(state.id());
            case AddItem add -> state.addItem(add, shippingPolicy);
            case PayOrder pay -> state.pay(pay, clock);
            case ShipOrder ship -> state.ship(ship, clock);
            case DeliverOrder deliver -> state.deliver(deliver, clock);
            case CancelOrder cancel -> state.cancel(cancel, clock);
        });
    }

    /**
     * Folds one event into the state, returning the next state with {@code version + 1}.
     *
     * <p>Events are facts, so their business rules are not re-checked here. Only an impossible
     * history is refused: {@link OrderPlaced} on an existing order, or any other event before
     * {@link OrderPlaced}.
     *
     * @throws IllegalStateException when the event cannot follow this state; the stream is corrupt
     */
    public static Order evolve(Order state, OrderEvent event) {
        requireNonNull(state, "state");
        requireNonNull(event, "event");
        boolean placing = event instanceof OrderPlaced;
        if (placing && state.exists()) {
            throw new IllegalStateException("OrderPlaced cannot follow order " + state.id()
                    + " at version " + state.version() + ": the order was already placed");
        }
        if (!placing && !state.exists()) {
            throw new IllegalStateException(
                    event.type() + " cannot be the first event of an order: the stream is missing OrderPlaced");
        }
        long next = state.version() + 1;
        // No default branch: adding an event type must fail compilation here until it is handled.
        return switch (event) {
            case OrderPlaced placed -> new Order(
                    placed.orderId(), placed.orderNumber(), placed.customerId(), OrderStatus.PLACED,
                    placed.lineItems(), placed.subtotal(), placed.shippingCost(), placed.total(), placed.currency(),
                    placed.shippingAddress(), placed.placedAt(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Money.ZERO, next);
            case OrderItemAdded added -> {
                List<LineItem> items = AppendOnlyList.copyOf(state.lineItems()).plus(added.lineItem());
                yield new Order(
                        state.id(), state.orderNumber(), state.customerId(), state.status(),
                        items, added.subtotal(), added.shippingCost(), added.total(), state.currency(),
                        state.shippingAddress(), state.placedAt(),
                        state.paidAt(), state.shippedAt(), state.deliveredAt(), state.cancelledAt(),
                        state.amountPaid(), next);
            }
            case OrderPaid paid -> new Order(
                    state.id(), state.orderNumber(), state.customerId(), OrderStatus.PAID,
                    state.lineItems(), state.subtotal(), state.shippingCost(), state.total(), state.currency(),
                    state.shippingAddress(), state.placedAt(),
                    Optional.of(paid.paidAt()), state.shippedAt(), state.deliveredAt(), state.cancelledAt(),
                    paid.amount(), next);
            case OrderShipped shipped -> new Order(
                    state.id(), state.orderNumber(), state.customerId(), OrderStatus.SHIPPED,
                    state.lineItems(), state.subtotal(), state.shippingCost(), state.total(), state.currency(),
                    state.shippingAddress(), state.placedAt(),
                    state.paidAt(), Optional.of(shipped.shippedAt()), state.deliveredAt(), state.cancelledAt(),
                    state.amountPaid(), next);
            case OrderDelivered delivered -> new Order(
                    state.id(), state.orderNumber(), state.customerId(), OrderStatus.DELIVERED,
                    state.lineItems(), state.subtotal(), state.shippingCost(), state.total(), state.currency(),
                    state.shippingAddress(), state.placedAt(),
                    state.paidAt(), state.shippedAt(), Optional.of(delivered.deliveredAt()), state.cancelledAt(),
                    state.amountPaid(), next);
            case OrderCancelled cancelled -> new Order(
                    state.id(), state.orderNumber(), state.customerId(), OrderStatus.CANCELLED,
                    state.lineItems(), state.subtotal(), state.shippingCost(), state.total(), state.currency(),
                    state.shippingAddress(), state.placedAt(),
                    state.paidAt(), state.shippedAt(), state.deliveredAt(), Optional.of(cancelled.cancelledAt()),
                    state.amountPaid(), next);
        };
    }

    private static OrderPlaced place(PlaceOrder place, ShippingPolicy shippingPolicy, Clock clock) {
        Money subtotal = subtotalOf(place.lineItems());
        Money shippingCost = shippingPolicy.shippingCostFor(subtotal);
        return new OrderPlaced(
                place.orderId(), place.orderNumber(), place.customerId(), place.lineItems(),
                place.shippingAddress(), subtotal, shippingCost, subtotal.plus(shippingCost), place.currency(),
                clock.instant());
    }

    private OrderItemAdded addItem(AddItem add, ShippingPolicy shippingPolicy) {
        requireStatus(Set.of(OrderStatus.PLACED), add);
        Money subtotal = subtotal().plus(add.lineItem().lineTotal());
        Money shippingCost = shippingPolicy.shippingCostFor(subtotal);
        return new OrderItemAdded(add.lineItem(), subtotal, shippingCost, subtotal.plus(shippingCost));
    }

    private OrderPaid pay(PayOrder pay, Clock clock) {
        requireStatus(Set.of(OrderStatus.PLACED), pay);
        if (!pay.amount().equals(total())) {
            throw new PaymentMismatch(id(), pay.amount(), total());
        }
        return new OrderPaid(pay.amount(), pay.method(), clock.instant());
    }

    private OrderShipped ship(ShipOrder ship, Clock clock) {
        requireStatus(Set.of(OrderStatus.PAID), ship);
        return new OrderShipped(ship.trackingNumber(), ship.carrier(), ship.estimatedDelivery(), clock.instant());
    }

    private OrderDelivered deliver(DeliverOrder deliver, Clock clock) {
        requireStatus(Set.of(OrderStatus.SHIPPED), deliver);
        Instant now = clock.instant();
        if (deliver.deliveredAt().isEmpty()) {
            // Recorded now: the store's time of the event, which follows the shipment's.
            return new OrderDelivered(now, deliver.signedBy(), false);
        }
        Instant deliveredAt = deliver.deliveredAt().get();
        if (deliveredAt.isAfter(now)) {
            throw new InvalidOrderData("deliveredAt", "must not be in the future, was " + deliveredAt);
        }
        Instant shippedAt = shippedAt().orElseThrow();
        if (deliveredAt.isBefore(shippedAt)) {
            throw new InvalidOrderData("deliveredAt", "must not be before the shipment at " + shippedAt
                    + ", was " + deliveredAt);
        }
        return new OrderDelivered(deliveredAt, deliver.signedBy(), true);
    }

    private OrderCancelled cancel(CancelOrder cancel, Clock clock) {
        requireStatus(Set.of(OrderStatus.PLACED, OrderStatus.PAID), cancel);
        // amountPaid is zero while unpaid, so this also refuses any refund on an unpaid order.
        Money refund = cancel.refundAmount().orElse(amountPaid());
        if (refund.isGreaterThan(amountPaid())) {
            throw new RefundExceedsPayment(id(), refund, amountPaid());
        }
        return new OrderCancelled(cancel.reason(), cancel.cancelledBy(), refund, clock.instant());
    }

    private void requireStatus(Set<OrderStatus> allowed, OrderCommand command) {
        if (!allowed.contains(status())) {
            throw new InvalidTransition(id(), status(), command.name());
        }
    }

    private static Money subtotalOf(List<LineItem> lineItems) {
        Money subtotal = Money.ZERO;
        for (LineItem item : lineItems) {
            subtotal = subtotal.plus(item.lineTotal());
        }
        return subtotal;
    }
}
