package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgeventstore.domain.order.OrderFixtures.ADDRESS;
import static org.pgeventstore.domain.order.OrderFixtures.CUSTOMER;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_ID;
import static org.pgeventstore.domain.order.OrderFixtures.ORDER_NUMBER;
import static org.pgeventstore.domain.order.OrderFixtures.cancelOrder;
import static org.pgeventstore.domain.order.OrderFixtures.deliverOrder;
import static org.pgeventstore.domain.order.OrderFixtures.money;
import static org.pgeventstore.domain.order.OrderFixtures.payOrder;
import static org.pgeventstore.domain.order.OrderFixtures.placeOrder;
import static org.pgeventstore.domain.order.OrderFixtures.shipOrder;
import static org.pgeventstore.domain.order.ValueTypesTest.assertInvalid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Order commands")
class OrderCommandTest {

    @Test
    @DisplayName("each has a stable name for messages")
    void names() {
        assertThat(List.of(placeOrder(MUGS), new AddItem(ORDER_ID, MUGS), payOrder("1.00"), shipOrder(),
                deliverOrder(), cancelOrder()))
                .extracting(OrderCommand::name)
                .containsExactly("PlaceOrder", "AddItem", "PayOrder", "ShipOrder", "DeliverOrder", "CancelOrder");
    }

    @Nested
    @DisplayName("PlaceOrder")
    class Place {

        @Test
        @DisplayName("needs at least one line item")
        void noItems() {
            assertInvalid(() -> new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(), ADDRESS),
                    "lineItems", "must contain at least one item");
        }

        @Test
        @DisplayName("names the position of a missing line item")
        void nullItem() {
            assertInvalid(() -> new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, Arrays.asList(MUGS, null), ADDRESS),
                    "lineItems[1]", "is required");
        }

        @Test
        @DisplayName("rejects a blank order number")
        void blankNumber() {
            assertInvalid(() -> new PlaceOrder(ORDER_ID, " ", CUSTOMER, List.of(MUGS), ADDRESS),
                    "orderNumber", "must not be blank");
        }

        @Test
        @DisplayName("requires order id, customer, items and address")
        void required() {
            assertInvalid(() -> new PlaceOrder(null, ORDER_NUMBER, CUSTOMER, List.of(MUGS), ADDRESS), "orderId", "is required");
            assertInvalid(() -> new PlaceOrder(ORDER_ID, ORDER_NUMBER, null, List.of(MUGS), ADDRESS), "customerId", "is required");
            assertInvalid(() -> new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, null, ADDRESS), "lineItems", "is required");
            assertInvalid(() -> new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, List.of(MUGS), null), "shippingAddress", "is required");
        }

        @Test
        @DisplayName("keeps its own copy of the items")
        void copiesItems() {
            List<LineItem> items = new ArrayList<>(List.of(MUGS));
            PlaceOrder place = new PlaceOrder(ORDER_ID, ORDER_NUMBER, CUSTOMER, items, ADDRESS);

            items.clear();

            assertThat(place.lineItems()).containsExactly(MUGS);
        }
    }

    @Nested
    @DisplayName("the lifecycle commands")
    class Lifecycle {

        @Test
        @DisplayName("AddItem requires an order id and an item")
        void addItem() {
            assertInvalid(() -> new AddItem(null, MUGS), "orderId", "is required");
            assertInvalid(() -> new AddItem(ORDER_ID, null), "lineItem", "is required");
        }

        @Test
        @DisplayName("PayOrder requires an amount and a non-blank method")
        void payOrder() {
            assertInvalid(() -> new PayOrder(ORDER_ID, null, "card"), "amount", "is required");
            assertInvalid(() -> new PayOrder(ORDER_ID, money("1.00"), ""), "method", "must not be blank");
        }

        @Test
        @DisplayName("ShipOrder requires a tracking number and carrier; a null estimate means none")
        void shipOrder() {
            assertInvalid(() -> new ShipOrder(ORDER_ID, " ", "DHL", Optional.empty()), "trackingNumber", "must not be blank");
            assertInvalid(() -> new ShipOrder(ORDER_ID, "TRK-1", null, Optional.empty()), "carrier", "is required");
            assertThat(new ShipOrder(ORDER_ID, "TRK-1", "DHL", null).estimatedDelivery()).isEmpty();
        }

        @Test
        @DisplayName("DeliverOrder rejects a blank signer but allows none")
        void deliverOrder() {
            assertInvalid(() -> new DeliverOrder(ORDER_ID, Optional.of("  ")), "signedBy", "must not be blank");
            assertThat(new DeliverOrder(ORDER_ID, null).signedBy()).isEmpty();
        }

        @Test
        @DisplayName("CancelOrder requires a reason and who cancelled; a null refund means the default")
        void cancelOrder() {
            assertInvalid(() -> new CancelOrder(ORDER_ID, "", "agent", Optional.empty()), "reason", "must not be blank");
            assertInvalid(() -> new CancelOrder(ORDER_ID, "late", " ", Optional.empty()), "cancelledBy", "must not be blank");
            assertThat(new CancelOrder(ORDER_ID, "late", "agent", null).refundAmount()).isEmpty();
        }
    }
}
