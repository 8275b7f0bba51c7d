package org.pgeventstore.domain.order;

/**
 * A cancellation asked to refund more than was paid (for an unpaid order, anything above zero).
 * Message: {@code "refund of 40.00 exceeds the 30.00 paid for order <id>"}.
 */
public final class RefundExceedsPayment extends OrderRejection {

    private final Money requested;
    private final Money paid;

    public RefundExceedsPayment(OrderId orderId, Money requested, Money paid) {
        super(orderId, "refund of " + requested + " exceeds the " + paid + " paid for order " + orderId);
        this.requested = requested;
        this.paid = paid;
    }

    /** The refund the cancellation asked for. */
    public Money requested() {
        return requested;
    }

    /** What had been paid for the order, the most that can be refunded. */
    public Money paid() {
        return paid;
    }
}
