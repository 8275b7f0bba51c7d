package org.pgeventstore.application.aggregate;

/**
 * How an aggregate's state follows from its events: the half of a {@link Decider} that reads
 * need. Both methods are pure; states must be immutable, since loads share them.
 *
 * @param <E> the aggregate's events
 * @param <S> its state
 */
public interface Evolution<E, S> {

    /** The state before the first event: what a stream without events folds to. */
    S initial();

    /**
     * {@code state} after {@code event}.
     *
     * @throws IllegalStateException when the event cannot follow the state; the loader reports the
     *     stored event as unreadable through {@link EventCodec#unreadable}
     */
    S evolve(S state, E event);
}
