package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CANCELLED_AT;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.DELIVERED_AT;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_ID;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_NUMBER;
import static org.pgeventstore.domain.order.OrderFixtures.PAID_AT;
import static org.pgeventstore.domain.order.OrderFixtures.PLACED_AT;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.SHIPPED_AT;
import static org.pgeventstore.domain.order.OrderFixtures.cancelled;
import static org.pgeventstore.domain.order.OrderFixtures.delivered;
import static org.pgeventstore.domain.order.OrderFixtures.money;
import static org.pgeventstore.domain.order.OrderFixtures.paid;
import static org.pgeventstore.domain.order.OrderFixtures.placed;
import static org.pgeventstore.domain.order.OrderFixtures.shipped;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Order.evolve and Order.rehydrate")
class OrderEvolveTest {

    @Nested
    @DisplayName("the initial state")
    class Initial {

        @Test
        @DisplayName("is not placed, at version 0, with nothing in it")
        void initial() {
            Order initial = Order.initial();

            assertThat(initial.exists()).isFalse();
            assertThat(initial.status()).isEqualTo(OrderStatus.NOT_PLACED);
            assertThat(initial.version()).isZero();
            assertThat(initial.id()).isNull();
            assertThat(initial.lineItems()).isEmpty();
            assertThat(initial.total()).isEqualTo(Money.ZERO);
            assertThat(initial.amountPaid()).isEqualTo(Money.ZERO);
            assertThat(initial.paidAt()).isEmpty();
        }

        @Test
        @DisplayName("is what an empty history rehydrates to")
        void emptyHistory() {
            assertThat(Order.rehydrate(List.of())).isEqualTo(Order.initial());
        }
    }

    @Nested
    @DisplayName("each event")
    class EachEvent {

        @Test
        @DisplayName("OrderPlaced sets every identity field and the amounts, at version 1")
        void placedEvent() {
            Order order = Order.evolve(Order.initial(), placed());

            assertThat(order).isEqualTo(new Order(ORDER_ID, ORDER_NUMBER, CUSTOMER, OrderStatus.PLACED, List.of(MUGS),
                    money("25.00"), money("5.00"), money("30.00"), PlaceOrder.DEFAULT_CURRENCY, ADDRESS, PLACED_AT,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Money.ZERO, 1));
            assertThat(order.exists()).isTrue();
        }

        @Test
        @DisplayName("OrderItemAdded appends the line and takes the event's amounts")
        void itemAddedEvent() {
            Order order = Order.rehydrate(List.of(placed(),
                    new OrderItemAdded(POSTER, money("44.99"), money("5.00"), money("49.99"))));

            assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
            assertThat(order.lineItems()).containsExactly(MUGS, POSTER);
            assertThat(order.subtotal()).isEqualTo(money("44.99"));
            assertThat(order.shippingCost()).isEqualTo(money("5.00"));
            assertThat(order.total()).isEqualTo(money("49.99"));
            assertThat(order.version()).isEqualTo(2);
        }

        @Test
        @DisplayName("OrderPaid records the payment and its time")
        void paidEvent() {
            Order order = Order.rehydrate(List.of(placed(), paid()));

            assertThat(order.status()).isEqualTo(OrderStatus.PAID);
            assertThat(order.amountPaid()).isEqualTo(money("30.00"));
            assertThat(order.paidAt()).contains(PAID_AT);
            assertThat(order.version()).isEqualTo(2);
        }

        @Test
        @DisplayName("OrderShipped records the shipping time")
        void shippedEvent() {
            Order order = Order.rehydrate(List.of(placed(), paid(), shipped()));

            assertThat(order.status()).isEqualTo(OrderStatus.SHIPPED);
            assertThat(order.shippedAt()).contains(SHIPPED_AT);
            assertThat(order.version()).isEqualTo(3);
        }

        @Test
        @DisplayName("OrderDelivered records the delivery time and keeps the earlier ones")
        void deliveredEvent() {
            Order order = Order.rehydrate(List.of(placed(), paid(), shipped(), delivered()));

            assertThat(order.status()).isEqualTo(OrderStatus.DELIVERED);
            assertThat(order.placedAt()).isEqualTo(PLACED_AT);
            assertThat(order.paidAt()).contains(PAID_AT);
            assertThat(order.shippedAt()).contains(SHIPPED_AT);
            assertThat(order.deliveredAt()).contains(DELIVERED_AT);
            assertThat(order.cancelledAt()).isEmpty();
            assertThat(order.version()).isEqualTo(4);
        }

        @Test
        @DisplayName("OrderCancelled records the cancellation time and keeps what was paid")
        void cancelledEvent() {
            Order order = Order.rehydrate(List.of(placed(), paid(), cancelled("10.00")));

            assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(order.cancelledAt()).contains(CANCELLED_AT);
            assertThat(order.amountPaid()).isEqualTo(money("30.00"));
            assertThat(order.version()).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("rehydrate")
    class Rehydrate {

        @Test
        @DisplayName("is the fold of evolve over the history, one version per event")
        void foldOfEvolve() {
            List<OrderEvent> history = List.of(placed(), paid(), shipped(), delivered());

            Order stepByStep = Order.initial();
            for (int i = 0; i < history.size(); i++) {
                stepByStep = Order.evolve(stepByStep, history.get(i));
                assertThat(stepByStep.version()).isEqualTo(i + 1);
            }

            assertThat(Order.rehydrate(history)).isEqualTo(stepByStep);
        }

        @Test
        @DisplayName("does not change the state it evolves from")
        void evolveIsPure() {
            Order placedOrder = Order.rehydrate(List.of(placed()));

            Order.evolve(placedOrder, paid());

            assertThat(placedOrder.status()).isEqualTo(OrderStatus.PLACED);
            assertThat(placedOrder.version()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("an impossible history")
    class CorruptStream {

        @Test
        @DisplayName("is refused when it starts with anything but OrderPlaced")
        void missingPlaced() {
            assertThatThrownBy(() -> Order.rehydrate(List.of(paid())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("OrderPaid cannot be the first event");
        }

        @Test
        @DisplayName("is refused when an order is placed twice")
        void placedTwice() {
            assertThatThrownBy(() -> Order.rehydrate(List.of(placed(), placed())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already placed");
        }
    }
}
