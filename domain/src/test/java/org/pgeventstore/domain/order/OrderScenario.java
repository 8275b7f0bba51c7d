package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

/**
 * Given events, when a command, then events or a rejection: runs {@link Order#decide} against the
 * state rehydrated from a history, with the fixed test clock.
 */
final class OrderScenario {

    private final List<OrderEvent> history;
    private final ShippingPolicy shippingPolicy;

    private OrderScenario(List<OrderEvent> history, ShippingPolicy shippingPolicy) {
        this.history = history;
        this.shippingPolicy = shippingPolicy;
    }

    static OrderScenario given(OrderEvent... history) {
        return given(Arrays.asList(history));
    }

    static OrderScenario given(List<OrderEvent> history) {
        return new OrderScenario(List.copyOf(history), OrderFixtures.STANDARD_SHIPPING);
    }

    static OrderScenario givenNoOrder() {
        return given(List.of());
    }

    OrderScenario withShippingPolicy(ShippingPolicy policy) {
        return new OrderScenario(history, policy);
    }

    Outcome when(OrderCommand command) {
        Order state = Order.rehydrate(history);
        try {
            return new Outcome(state, Order.decide(state, command, shippingPolicy, OrderFixtures.CLOCK), null);
        } catch (OrderRejection rejection) {
            return new Outcome(state, List.of(), rejection);
        }
    }

    record Outcome(Order stateBefore, List<OrderEvent> events, OrderRejection rejection) {

        /** Asserts the command was accepted and produced exactly these events, in order. */
        Outcome then(OrderEvent... expected) {
            if (rejection != null) {
                fail("expected events " + List.of(expected) + " but the command was rejected: " + rejection.getMessage());
            }
            assertThat(events).containsExactly(expected);
            return this;
        }

        /** The state after folding the decided events into the state the command was decided on. */
        Order stateAfter() {
            if (rejection != null) {
                fail("the command was rejected: " + rejection.getMessage());
            }
            Order state = stateBefore;
            for (OrderEvent event : events) {
                state = Order.evolve(state, event);
            }
            return state;
        }

        /** Asserts the command was rejected with {@code type} and returns the rejection for more checks. */
        <T extends OrderRejection> T thenRejectedWith(Class<T> type) {
            if (rejection == null) {
                fail("expected " + type.getSimpleName() + " but the command produced " + events);
            }
            assertThat(rejection).isInstanceOf(type);
            return type.cast(rejection);
        }
    }
}
