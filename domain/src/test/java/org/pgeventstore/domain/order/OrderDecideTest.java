package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CLOCK;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.NOW;
import static org.pgeventstore.domain.order.OrderFixtures.SHIPPED_AT;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_ID;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_NUMBER;
import static org.pgeventstore.domain.order.OrderFixtures.OTHER_ORDER_ID;
import static org.pgeventstore.domain.order.OrderFixtures.POSTER;
import static org.pgeventstore.domain.order.OrderFixtures.STANDARD_SHIPPING;
import static org.pgeventstore.domain.order.OrderFixtures.TEAPOT;
import static org.pgeventstore.domain.order.OrderFixtures.addItem;
import static org.pgeventstore.domain.order.OrderFixtures.cancelOrder;
import static org.pgeventstore.domain.order.OrderFixtures.cancelOrderRefunding;
import static org.pgeventstore.domain.order.OrderFixtures.cancelled;
import static org.pgeventstore.domain.order.OrderFixtures.deliverOrder;
import static org.pgeventstore.domain.order.OrderFixtures.delivered;
import static org.pgeventstore.domain.order.OrderFixtures.item;
import static org.pgeventstore.domain.order.OrderFixtures.money;
import static org.pgeventstore.domain.order.OrderFixtures.paid;
import static org.pgeventstore.domain.order.OrderFixtures.payOrder;
import static org.pgeventstore.domain.order.OrderFixtures.placeOrder;
import static org.pgeventstore.domain.order.OrderFixtures.placed;
import static org.pgeventstore.domain.order.OrderFixtures.shipOrder;
import static org.pgeventstore.domain.order.OrderFixtures.shipped;
import static org.pgeventstore.domain.order.OrderScenario.given;
import static org.pgeventstore.domain.order.OrderScenario.givenNoOrder;

import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Order.decide")
class OrderDecideTest {

    @Nested
    @DisplayName("PlaceOrder")
    class Placing {

        @Test
        @DisplayName("places an order below the free-shipping threshold with the flat shipping fee")
        void belowThreshold() {
            givenNoOrder()
                    .when(placeOrder(MUGS, POSTER))
                    .then(new OrderPlaced(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS, POSTER), ADDRESS,
                            money("44.99"), money("5.00"), money("49.99"), PlaceOrder.DEFAULT_CURRENCY, NOW));
        }

        @Test
        @DisplayName("places an order in the currency asked for, which the order keeps")
        void inItsCurrency() {
            Currency euro = PlaceOrder.currency("EUR");
            var place = new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS), ADDRESS, euro);
            Order placed = givenNoOrder().when(place).stateAfter();
            assertThat(placed.currency()).isEqualTo(euro);
        }

        @Test
        @DisplayName("refuses a currency that is not an ISO 4217 code")
        void unknownCurrency() {
            for (String code : new String[] {"usd", "XXZ", "EURO", ""}) {
                assertThatThrownBy(() -> PlaceOrder.currency(code)).isInstanceOfSatisfying(InvalidOrderData.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("currency"));
            }
        }

        @Test
        @DisplayName("ships free when the subtotal is exactly the threshold")
        void atThreshold() {
            givenNoOrder()
                    .when(placeOrder(MUGS, TEAPOT))
                    .then(new OrderPlaced(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS, TEAPOT), ADDRESS,
                            money("50.00"), money("0.00"), money("50.00"), PlaceOrder.DEFAULT_CURRENCY, NOW));
        }

        @Test
        @DisplayName("ships free when the subtotal is above the threshold")
        void aboveThreshold() {
            LineItem lamp = item("p-lamp", "LAMP-1", "Desk lamp", 3, "40.00");

            givenNoOrder()
                    .when(placeOrder(lamp))
                    .then(new OrderPlaced(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(lamp), ADDRESS,
                            money("120.00"), money("0.00"), money("120.00"), PlaceOrder.DEFAULT_CURRENCY, NOW));
        }

        @Test
        @DisplayName("prices shipping with the policy it is given, not a global one")
        void usesGivenPolicy() {
            ShippingPolicy expensive = new ShippingPolicy(money("7.50"), money("100.00"));

            givenNoOrder()
                    .withShippingPolicy(expensive)
                    .when(placeOrder(MUGS, TEAPOT))
                    .then(new OrderPlaced(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS, TEAPOT), ADDRESS,
                            money("50.00"), money("7.50"), money("57.50"), PlaceOrder.DEFAULT_CURRENCY, NOW));
        }

        @Test
        @DisplayName("is rejected when the order already exists, whatever its status")
        void alreadyExists() {
            for (OrderStatus status : List.of(OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.SHIPPED,
                    OrderStatus.DELIVERED, OrderStatus.CANCELLED)) {
                OrderAlreadyExists rejection = given(OrderFixtures.historyFor(status))
                        .when(placeOrder(POSTER))
                        .thenRejectedWith(OrderAlreadyExists.class);

                assertThat(rejection.orderId()).isEqualTo(ORDER_ID);
                assertThat(rejection).hasMessage(
                        "order " + ORDER_ID + " has already been placed and cannot be placed again");
            }
        }
    }

    @Nested
    @DisplayName("AddItem")
    class AddingItems {

        @Test
        @DisplayName("adds the item and recomputes subtotal, shipping and total")
        void recomputesTotals() {
            given(placed())
                    .when(addItem(POSTER))
                    .then(new OrderItemAdded(POSTER, money("44.99"), money("5.00"), money("49.99")));
        }

        @Test
        @DisplayName("waives shipping once the new subtotal reaches the threshold")
        void crossesThreshold() {
            given(placed())
                    .when(addItem(TEAPOT))
                    .then(new OrderItemAdded(TEAPOT, money("50.00"), money("0.00"), money("50.00")));
        }

        @Test
        @DisplayName("counts every item added before, not just the placed ones")
        void accumulates() {
            given(placed(), new OrderItemAdded(POSTER, money("44.99"), money("5.00"), money("49.99")))
                    .when(addItem(POSTER))
                    .then(new OrderItemAdded(POSTER, money("64.98"), money("0.00"), money("64.98")));
        }

        @Test
        @DisplayName("leaves the order placed with the new line appended")
        void stateAfter() {
            Order after = given(placed()).when(addItem(POSTER)).stateAfter();

            assertThat(after.status()).isEqualTo(OrderStatus.PLACED);
            assertThat(after.lineItems()).containsExactly(MUGS, POSTER);
            assertThat(after.total()).isEqualTo(money("49.99"));
        }

        @Test
        @DisplayName("is rejected when the order does not exist")
        void notFound() {
            OrderNotFound rejection = givenNoOrder().when(addItem(POSTER)).thenRejectedWith(OrderNotFound.class);

            assertThat(rejection.command()).isEqualTo("AddItem");
            assertThat(rejection.orderId()).isEqualTo(ORDER_ID);
        }
    }

    @Nested
    @DisplayName("PayOrder")
    class Paying {

        @Test
        @DisplayName("pays a placed order when the amount equals the total")
        void pays() {
            given(placed())
                    .when(payOrder("30.00"))
                    .then(new OrderPaid(money("30.00"), "card", NOW));
        }

        @Test
        @DisplayName("must match the total as recomputed after added items")
        void paysRecomputedTotal() {
            given(placed(), new OrderItemAdded(POSTER, money("44.99"), money("5.00"), money("49.99")))
                    .when(payOrder("49.99"))
                    .then(new OrderPaid(money("49.99"), "card", NOW));
        }

        @Test
        @DisplayName("is rejected when the amount is less than the total")
        void underpaid() {
            PaymentMismatch rejection = given(placed()).when(payOrder("25.00")).thenRejectedWith(PaymentMismatch.class);

            assertThat(rejection.offered()).isEqualTo(money("25.00"));
            assertThat(rejection.total()).isEqualTo(money("30.00"));
            assertThat(rejection).hasMessage(
                    "payment of 25.00 does not match the total of 30.00 for order " + ORDER_ID);
        }

        @Test
        @DisplayName("is rejected when the amount is more than the total")
        void overpaid() {
            PaymentMismatch rejection = given(placed()).when(payOrder("30.01")).thenRejectedWith(PaymentMismatch.class);

            assertThat(rejection.offered()).isEqualTo(money("30.01"));
            assertThat(rejection.total()).isEqualTo(money("30.00"));
        }

        @Test
        @DisplayName("moves the order to paid and records what was paid")
        void stateAfter() {
            Order after = given(placed()).when(payOrder("30.00")).stateAfter();

            assertThat(after.status()).isEqualTo(OrderStatus.PAID);
            assertThat(after.amountPaid()).isEqualTo(money("30.00"));
            assertThat(after.paidAt()).contains(NOW);
        }

        @Test
        @DisplayName("is rejected when the order does not exist")
        void notFound() {
            OrderNotFound rejection = givenNoOrder().when(payOrder("30.00")).thenRejectedWith(OrderNotFound.class);

            assertThat(rejection.command()).isEqualTo("PayOrder");
            assertThat(rejection).hasMessage("cannot PayOrder order " + ORDER_ID + ": no such order has been placed");
        }
    }

    @Nested
    @DisplayName("ShipOrder")
    class Shipping {

        @Test
        @DisplayName("ships a paid order with tracking number, carrier and estimated delivery")
        void ships() {
            given(placed(), paid())
                    .when(shipOrder())
                    .then(new OrderShipped("TRK-123", "Royal Mail", Optional.of(LocalDate.parse("2025-03-08")), NOW));
        }

        @Test
        @DisplayName("ships without an estimated delivery date")
        void shipsWithoutEstimate() {
            given(placed(), paid())
                    .when(new ShipOrder(ORDER_ID, "TRK-9", "DHL", Optional.empty()))
                    .then(new OrderShipped("TRK-9", "DHL", Optional.empty(), NOW));
        }

        @Test
        @DisplayName("moves the order to shipped")
        void stateAfter() {
            Order after = given(placed(), paid()).when(shipOrder()).stateAfter();

            assertThat(after.status()).isEqualTo(OrderStatus.SHIPPED);
            assertThat(after.shippedAt()).contains(NOW);
        }

        @Test
        @DisplayName("is rejected when the order does not exist")
        void notFound() {
            assertThat(givenNoOrder().when(shipOrder()).thenRejectedWith(OrderNotFound.class).command())
                    .isEqualTo("ShipOrder");
        }
    }

    @Nested
    @DisplayName("DeliverOrder")
    class Delivering {

        @Test
        @DisplayName("delivers a shipped order, recording who signed")
        void delivers() {
            given(placed(), paid(), shipped())
                    .when(deliverOrder())
                    .then(new OrderDelivered(NOW, Optional.of("J. Smith")));
        }

        @Test
        @DisplayName("delivers a shipped order nobody signed for")
        void deliversUnsigned() {
            given(placed(), paid(), shipped())
                    .when(new DeliverOrder(ORDER_ID, Optional.empty()))
                    .then(new OrderDelivered(NOW, Optional.empty()));
        }

        @Test
        @DisplayName("delivers at the time the carrier reported")
        void deliversAtReportedTime() {
            Instant reported = SHIPPED_AT.plusSeconds(3600);
            given(placed(), paid(), shipped())
                    .when(new DeliverOrder(ORDER_ID, Optional.of(reported), Optional.of("J. Smith")))
                    .then(new OrderDelivered(reported, Optional.of("J. Smith"), true));
        }

        @Test
        @DisplayName("is rejected when the reported delivery is before the shipment or in the future")
        void rejectsImpossibleDeliveryTimes() {
            Order shippedOrder = Order.rehydrate(List.of(placed(), paid(), shipped()));
            for (Instant impossible : new Instant[] {SHIPPED_AT.minusSeconds(1), NOW.plusSeconds(1)}) {
                var deliver = new DeliverOrder(ORDER_ID, Optional.of(impossible), Optional.empty());
                assertThatThrownBy(() -> Order.decide(shippedOrder, deliver, ShippingPolicy.standard(), CLOCK))
                        .isInstanceOfSatisfying(InvalidOrderData.class,
                                invalid -> assertThat(invalid.field()).isEqualTo("deliveredAt"));
            }
        }

        @Test
        @DisplayName("moves the order to delivered")
        void stateAfter() {
            Order after = given(placed(), paid(), shipped()).when(deliverOrder()).stateAfter();

            assertThat(after.status()).isEqualTo(OrderStatus.DELIVERED);
            assertThat(after.deliveredAt()).contains(NOW);
        }

        @Test
        @DisplayName("is rejected when the order does not exist")
        void notFound() {
            assertThat(givenNoOrder().when(deliverOrder()).thenRejectedWith(OrderNotFound.class).command())
                    .isEqualTo("DeliverOrder");
        }
    }

    @Nested
    @DisplayName("CancelOrder")
    class Cancelling {

        @Test
        @DisplayName("cancels an unpaid order with a zero refund")
        void unpaidRefundsNothing() {
            given(placed())
                    .when(cancelOrder())
                    .then(new OrderCancelled("out of stock", "support-agent-3", money("0.00"), NOW));
        }

        @Test
        @DisplayName("accepts an explicit zero refund on an unpaid order")
        void unpaidExplicitZero() {
            given(placed())
                    .when(cancelOrderRefunding("0.00"))
                    .then(new OrderCancelled("out of stock", "support-agent-3", money("0.00"), NOW));
        }

        @Test
        @DisplayName("rejects any refund on an unpaid order")
        void unpaidRefundRejected() {
            RefundExceedsPayment rejection = given(placed())
                    .when(cancelOrderRefunding("0.01"))
                    .thenRejectedWith(RefundExceedsPayment.class);

            assertThat(rejection.requested()).isEqualTo(money("0.01"));
            assertThat(rejection.paid()).isEqualTo(money("0.00"));
        }

        @Test
        @DisplayName("refunds everything that was paid when no refund is given")
        void paidFullRefundByDefault() {
            given(placed(), paid())
                    .when(cancelOrder())
                    .then(new OrderCancelled("out of stock", "support-agent-3", money("30.00"), NOW));
        }

        @Test
        @DisplayName("refunds a smaller amount when one is given")
        void paidPartialRefund() {
            given(placed(), paid())
                    .when(cancelOrderRefunding("12.34"))
                    .then(new OrderCancelled("out of stock", "support-agent-3", money("12.34"), NOW));
        }

        @Test
        @DisplayName("refunds exactly what was paid when that is given")
        void paidExactRefund() {
            given(placed(), paid())
                    .when(cancelOrderRefunding("30.00"))
                    .then(new OrderCancelled("out of stock", "support-agent-3", money("30.00"), NOW));
        }

        @Test
        @DisplayName("rejects a refund larger than what was paid")
        void paidRefundTooLarge() {
            RefundExceedsPayment rejection = given(placed(), paid())
                    .when(cancelOrderRefunding("30.01"))
                    .thenRejectedWith(RefundExceedsPayment.class);

            assertThat(rejection.requested()).isEqualTo(money("30.01"));
            assertThat(rejection.paid()).isEqualTo(money("30.00"));
            assertThat(rejection).hasMessage("refund of 30.01 exceeds the 30.00 paid for order " + ORDER_ID);
        }

        @Test
        @DisplayName("moves the order to cancelled, keeping what was paid on record")
        void stateAfter() {
            Order after = given(placed(), paid()).when(cancelOrder()).stateAfter();

            assertThat(after.status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(after.cancelledAt()).contains(NOW);
            assertThat(after.amountPaid()).isEqualTo(money("30.00"));
        }

        @Test
        @DisplayName("is rejected after shipment, even with a valid refund")
        void afterShipment() {
            InvalidTransition rejection = given(placed(), paid(), shipped())
                    .when(cancelOrderRefunding("10.00"))
                    .thenRejectedWith(InvalidTransition.class);

            assertThat(rejection.status()).isEqualTo(OrderStatus.SHIPPED);
            assertThat(rejection.command()).isEqualTo("CancelOrder");
        }

        @Test
        @DisplayName("is rejected when the order does not exist")
        void notFound() {
            assertThat(givenNoOrder().when(cancelOrder()).thenRejectedWith(OrderNotFound.class).command())
                    .isEqualTo("CancelOrder");
        }
    }

    @Nested
    @DisplayName("whatever the command")
    class AnyCommand {

        @Test
        @DisplayName("checks the status before the amount: paying a shipped order is an invalid transition")
        void statusBeforeAmount() {
            InvalidTransition rejection = given(placed(), paid(), shipped())
                    .when(payOrder("1.00"))
                    .thenRejectedWith(InvalidTransition.class);

            assertThat(rejection).hasMessage("cannot PayOrder an order that is shipped (order " + ORDER_ID + ")");
        }

        @Test
        @DisplayName("takes every timestamp from the clock it is given")
        void usesClock() {
            List<OrderEvent> events = Order.decide(Order.initial(), placeOrder(MUGS), STANDARD_SHIPPING, CLOCK);

            assertThat(((OrderPlaced) events.get(0)).placedAt()).isEqualTo(NOW);
        }

        @Test
        @DisplayName("leaves the state it was given unchanged")
        void doesNotMutate() {
            Order state = Order.rehydrate(List.of(placed()));
            Order copy = Order.rehydrate(List.of(placed()));

            Order.decide(state, addItem(POSTER), STANDARD_SHIPPING, CLOCK);

            assertThat(state).isEqualTo(copy);
            assertThat(state.lineItems()).containsExactly(MUGS);
        }

        @Test
        @DisplayName("refuses a command meant for another order as a caller bug, not a rejection")
        void otherOrdersCommand() {
            Order state = Order.rehydrate(List.of(placed()));

            assertThatThrownBy(() -> Order.decide(state, new AddItem(OTHER_ORDER_ID, POSTER), STANDARD_SHIPPING, CLOCK))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(OTHER_ORDER_ID.toString())
                    .hasMessageContaining(ORDER_ID.toString());
        }

        @Test
        @DisplayName("runs the whole lifecycle: placed, item added, paid, shipped, delivered")
        void fullLifecycle() {
            Order state = Order.initial();
            for (OrderCommand command : List.of(placeOrder(MUGS), addItem(POSTER), payOrder("49.99"), shipOrder(),
                    deliverOrder())) {
                for (OrderEvent event : Order.decide(state, command, STANDARD_SHIPPING, CLOCK)) {
                    state = Order.evolve(state, event);
                }
            }

            assertThat(state.status()).isEqualTo(OrderStatus.DELIVERED);
            assertThat(state.version()).isEqualTo(5);
            assertThat(state.amountPaid()).isEqualTo(money("49.99"));
        }

        @Test
        @DisplayName("rejects cancelling an order a second time")
        void cancelledIsFinal() {
            InvalidTransition rejection = given(placed(), cancelled("0.00"))
                    .when(cancelOrder())
                    .thenRejectedWith(InvalidTransition.class);

            assertThat(rejection.status()).isEqualTo(OrderStatus.CANCELLED);
        }

        @Test
        @DisplayName("rejects delivering an order a second time")
        void deliveredIsFinal() {
            InvalidTransition rejection = given(placed(), paid(), shipped(), delivered())
                    .when(deliverOrder())
                    .thenRejectedWith(InvalidTransition.class);

            assertThat(rejection).hasMessage("cannot DeliverOrder an order that is delivered (order " + ORDER_ID + ")");
        }
    }
}
