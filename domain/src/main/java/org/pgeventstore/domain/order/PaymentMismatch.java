package org.pgeventstore.domain.order;

/**
 * A payment did not equal the order total; partial payments and overpayments are both refused.
 * Message: {@code "payment of 25.00 does not match the total of 30.00 for order <id>"}.
 */
public final class PaymentMismatch extends OrderRejection {

    private final Money offered;
    private final Money total;

    public PaymentMismatch(OrderId orderId, Money offered, Money total) {
        super(orderId, "payment of " + offered + " does not match the total of " + total + " for order " + orderId);
        this.offered = offered;
        this.total = total;
    }

    /** The amount the payment was for. */
    public Money offered() {
        return offered;
    }

    /** The order total the payment had to equal. */
    public Money total() {
        return total;
    }
}
