package org.pgeventstore.application.subscription;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the consumer groups are kept: their definitions and each member's checkpoint, durably
 * (they outlive the service) and shared by every instance on the same storage.
 *
 * <p>{@link #change} is the only write. Changes of one subscription are serialised across threads
 * and instances: each sees the outcome of the one before, so the rules of {@link SubscriptionService}
 * (checkpoints never pass what was handed out, a rescale only from a common checkpoint) hold
 * however many callers race. Every method may throw
 * {@link org.pgeventstore.application.eventstore.EventStoreUnavailable}.
 */
public interface Subscriptions {

    /** Every subscription, by name. */
    List<Subscription> list();

    Optional<Subscription> find(String name);

    /**
     * Reads the subscription {@code name} (empty when there is none), applies {@code change} and
     * stores what it returns (empty: there is none any more), atomically. When {@code change}
     * throws, nothing is stored and the exception propagates.
     *
     * @return what is stored now
     */
    Optional<Subscription> change(String name, UnaryOperator<Optional<Subscription>> change);
}
