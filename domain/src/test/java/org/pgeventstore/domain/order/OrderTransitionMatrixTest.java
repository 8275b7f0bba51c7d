package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_ID;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.addItem;
import static org.pgeventstore.domain.order.OrderFixtures.cancelOrder;
import static org.pgeventstore.domain.order.OrderFixtures.deliverOrder;
import static org.pgeventstore.domain.order.OrderFixtures.historyFor;
import static org.pgeventstore.domain.order.OrderFixtures.payOrder;
import static org.pgeventstore.domain.order.OrderFixtures.shipOrder;
import static org.pgeventstore.domain.order.OrderScenario.given;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lifecycle command against every status of an existing order. The two tests together pin
 * the transition table exactly: allowing one more pair fails the first, forbidding one fails the
 * second.
 */
@DisplayName("Order lifecycle transitions")
class OrderTransitionMatrixTest {

    private static final Map<String, Set<OrderStatus>> ALLOWED = Map.of(
            "AddItem", EnumSet.of(OrderStatus.PLACED),
            "PayOrder", EnumSet.of(OrderStatus.PLACED),
            "ShipOrder", EnumSet.of(OrderStatus.PAID),
            "DeliverOrder", EnumSet.of(OrderStatus.SHIPPED),
            "CancelOrder", EnumSet.of(OrderStatus.PLACED, OrderStatus.PAID));

    /** Valid in every respect but status; 30.00 is the total of every fixture history. */
    private static List<OrderCommand> lifecycleCommands() {
        return List.of(addItem(POSTER), payOrder("30.00"), shipOrder(), deliverOrder(), cancelOrder());
    }

    private static Stream<Arguments> pairs(boolean allowed) {
        List<Arguments> pairs = new ArrayList<>();
        for (OrderStatus status : EnumSet.complementOf(EnumSet.of(OrderStatus.NOT_PLACED))) {
            for (OrderCommand command : lifecycleCommands()) {
                if (ALLOWED.get(command.name()).contains(status) == allowed) {
                    pairs.add(Arguments.of(status, Named.of(command.name(), command)));
                }
            }
        }
        return pairs.stream();
    }

    static Stream<Arguments> forbidden() {
        return pairs(false);
    }

    static Stream<Arguments> allowed() {
        return pairs(true);
    }

    @ParameterizedTest(name = "{1} on an order that is {0} is an invalid transition")
    @MethodSource("forbidden")
    @DisplayName("rejects a command the status does not allow, naming both")
    void rejectsForbidden(OrderStatus status, OrderCommand command) {
        InvalidTransition rejection = given(historyFor(status)).when(command).thenRejectedWith(InvalidTransition.class);

        assertThat(rejection.status()).isEqualTo(status);
        assertThat(rejection.command()).isEqualTo(command.name());
        assertThat(rejection.orderId()).isEqualTo(ORDER_ID);
        assertThat(rejection).hasMessage(
                "cannot " + command.name() + " an order that is " + status.inWords() + " (order " + ORDER_ID + ")");
    }

    @ParameterizedTest(name = "{1} on an order that is {0} is accepted")
    @MethodSource("allowed")
    @DisplayName("accepts a command the status allows")
    void acceptsAllowed(OrderStatus status, OrderCommand command) {
        OrderScenario.Outcome outcome = given(historyFor(status)).when(command);

        assertThat(outcome.rejection()).isNull();
        assertThat(outcome.events()).hasSize(1);
    }

    @ParameterizedTest(name = "{1} on an order that was never placed is rejected as not found")
    @MethodSource("lifecycleCommandNames")
    @DisplayName("rejects every lifecycle command for an order that does not exist")
    void rejectsOnMissingOrder(OrderCommand command) {
        OrderNotFound rejection = OrderScenario.givenNoOrder().when(command).thenRejectedWith(OrderNotFound.class);

        assertThat(rejection.command()).isEqualTo(command.name());
        assertThat(rejection.orderId()).isEqualTo(ORDER_ID);
    }

    static Stream<Named<OrderCommand>> lifecycleCommandNames() {
        return lifecycleCommands().stream().map(command -> Named.of(command.name(), command));
    }
}
