package org.pgeventstore.application.aggregate;

import java.util.Objects;

/**
 * What the {@link AggregateLoader} needs to know of one aggregate: how its state follows from its
 * events, and how both are stored.
 *
 * @param stateType the state's class; recent states of other aggregates are never taken for one of it
 * @param evolution the initial state and {@code evolve}
 * @param events the event codec
 * @param states the snapshot codec
 */
public record AggregateType<E, S>(Class<S> stateType, Evolution<E, S> evolution, EventCodec<E> events,
                                  StateCodec<S> states) {

    public AggregateType {
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(evolution, "evolution");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(states, "states");
    }
}
