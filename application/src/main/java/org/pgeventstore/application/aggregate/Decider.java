package org.pgeventstore.application.aggregate;

import java.util.List;

/**
 * One aggregate's behaviour, written as three pure functions (the Decider pattern): the initial
 * state and {@code evolve} from {@link Evolution}, and {@code decide}, which turns a command on a
 * state into the events that record it. Loading, snapshots, retries and idempotency are the
 * {@link AggregateLoader}'s and the {@link CommandRunner}'s, written once for every aggregate.
 *
 * @param <C> the aggregate's commands
 * @param <E> its events
 * @param <S> its state
 */
public interface Decider<C, E, S> extends Evolution<E, S> {

    /**
     * The events {@code command} causes on {@code state}; never mutates it.
     *
     * @throws RuntimeException the aggregate's own rejection when the command is refused; the
     *     runner appends nothing and does not retry
     */
    List<E> decide(S state, C command);
}
