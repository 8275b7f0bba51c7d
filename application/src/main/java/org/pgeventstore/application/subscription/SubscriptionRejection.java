package org.pgeventstore.application.subscription;

/** Why a consumer-group request is refused; the HTTP adapter maps each case to its problem. */
public abstract sealed class SubscriptionRejection extends RuntimeException {

    private SubscriptionRejection(String message) {
        super(message);
    }

    /** No subscription has that name. */
    public static final class UnknownSubscription extends SubscriptionRejection {
        public UnknownSubscription(String name) {
            super("no subscription named " + name);
        }
    }

    /** A definition that cannot be kept: the field and why. */
    public static final class InvalidSubscription extends SubscriptionRejection {
        private final String field;

        public InvalidSubscription(String field, String reason) {
            super(reason);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * The request names a group size the subscription does not serve now: a rescale is on its way
     * (or was just asked for) and not all members reached its position yet, or the group has another size.
     */
    public static final class GroupSizeConflict extends SubscriptionRejection {
        private final Subscription subscription;
        private final int askedMembers;

        public GroupSizeConflict(Subscription subscription, int askedMembers, String message) {
            super(message);
            this.subscription = subscription;
            this.askedMembers = askedMembers;
        }

        public Subscription subscription() {
            return subscription;
        }

        public int askedMembers() {
            return askedMembers;
        }
    }

    /** An acknowledgement of a position past what was handed out to that member. */
    public static final class AckBeyondDelivered extends SubscriptionRejection {
        private final long position;
        private final long delivered;

        public AckBeyondDelivered(String name, int member, long position, long delivered) {
            super("member " + member + " of " + name + " was handed events up to position " + delivered
                    + " only; it cannot acknowledge " + position);
            this.position = position;
            this.delivered = delivered;
        }

        public long position() {
            return position;
        }

        public long delivered() {
            return delivered;
        }
    }

    /** As many long polls wait already as the instance allows. */
    public static final class TooManyWaitingPolls extends SubscriptionRejection {
        public TooManyWaitingPolls(int limit) {
            super(limit + " long polls wait in this instance already, the most it allows");
        }
    }
}
