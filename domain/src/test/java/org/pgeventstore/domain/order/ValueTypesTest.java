package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import java.math.BigDecimal;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Value types")
class ValueTypesTest {

    static void assertInvalid(ThrowingCallable creation, String field, String reason) {
        assertThatThrownBy(creation).isInstanceOfSatisfying(InvalidOrderData.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e).hasMessage(field + " " + reason);
        });
    }

    @Nested
    @DisplayName("OrderId")
    class OrderIds {

        @Test
        @DisplayName("reads and prints its UUID text")
        void roundTrip() {
            String text = "6f1c2b9e-3d4a-4e5f-9a8b-7c6d5e4f3a2b";

            assertThat(OrderId.of(text)).isEqualTo(new OrderId(UUID.fromString(text))).hasToString(text);
        }

        @Test
        @DisplayName("rejects text that is not a UUID")
        void notUuid() {
            assertInvalid(() -> OrderId.of("order-1"), "orderId", "is not a valid UUID: order-1");
        }

        @Test
        @DisplayName("rejects a missing UUID")
        void missing() {
            assertInvalid(() -> new OrderId(null), "orderId", "is required");
        }
    }

    @Nested
    @DisplayName("CustomerId")
    class CustomerIds {

        @Test
        @DisplayName("accepts up to 200 characters")
        void maxLength() {
            assertThat(new CustomerId("c".repeat(200)).value()).hasSize(200);
        }

        @Test
        @DisplayName("rejects more than 200 characters")
        void tooLong() {
            assertInvalid(() -> new CustomerId("c".repeat(201)), "customerId", "must be at most 200 characters, was 201");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", "   ", "\t"})
        @DisplayName("rejects blank text")
        void blank(String value) {
            assertInvalid(() -> new CustomerId(value), "customerId", "must not be blank");
        }

        @Test
        @DisplayName("rejects a missing value")
        void missing() {
            assertInvalid(() -> new CustomerId(null), "customerId", "is required");
        }
    }

    @Nested
    @DisplayName("LineItem")
    class LineItems {

        @Test
        @DisplayName("totals unit price times quantity")
        void lineTotal() {
            assertThat(new LineItem("p-1", "SKU-1", "Mug", 3, money("12.50")).lineTotal()).isEqualTo(money("37.50"));
        }

        @ParameterizedTest(name = "quantity {0}")
        @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
        @DisplayName("rejects a quantity that is not positive")
        void quantity(int quantity) {
            assertInvalid(() -> new LineItem("p-1", "SKU-1", "Mug", quantity, money("1.00")),
                    "quantity", "must be positive, was " + quantity);
        }

        @Test
        @DisplayName("rejects a zero unit price")
        void zeroPrice() {
            assertInvalid(() -> new LineItem("p-1", "SKU-1", "Mug", 1, Money.ZERO), "unitPrice", "must be positive, was 0.00");
        }

        @Test
        @DisplayName("rejects a negative unit price (Money itself refuses it)")
        void negativePrice() {
            assertInvalid(() -> new LineItem("p-1", "SKU-1", "Mug", 1, Money.of(new BigDecimal("-1.00"), "unitPrice")),
                    "unitPrice", "must not be negative, was -1.00");
        }

        @Test
        @DisplayName("rejects a unit price with three decimals")
        void threeDecimals() {
            assertInvalid(() -> new LineItem("p-1", "SKU-1", "Mug", 1, Money.of(new BigDecimal("1.005"), "unitPrice")),
                    "unitPrice", "must have at most 2 decimal places, was 1.005");
        }

        @Test
        @DisplayName("rejects a missing unit price")
        void missingPrice() {
            assertInvalid(() -> new LineItem("p-1", "SKU-1", "Mug", 1, null), "unitPrice", "is required");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {"  "})
        @DisplayName("rejects a blank product id, sku or name")
        void blankText(String blank) {
            String reason = blank == null ? "is required" : "must not be blank";
            assertInvalid(() -> new LineItem(blank, "SKU-1", "Mug", 1, money("1.00")), "productId", reason);
            assertInvalid(() -> new LineItem("p-1", blank, "Mug", 1, money("1.00")), "sku", reason);
            assertInvalid(() -> new LineItem("p-1", "SKU-1", blank, 1, money("1.00")), "name", reason);
        }
    }

    @Nested
    @DisplayName("ShippingAddress")
    class Addresses {

        @ParameterizedTest(name = "\"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {" "})
        @DisplayName("rejects any blank part, naming it")
        void blankParts(String blank) {
            String reason = blank == null ? "is required" : "must not be blank";
            assertInvalid(() -> new ShippingAddress(blank, "Bristol", "GB", "BS1"), "line1", reason);
            assertInvalid(() -> new ShippingAddress("1 Street", blank, "GB", "BS1"), "city", reason);
            assertInvalid(() -> new ShippingAddress("1 Street", "Bristol", blank, "BS1"), "country", reason);
            assertInvalid(() -> new ShippingAddress("1 Street", "Bristol", "GB", blank), "postalCode", reason);
        }
    }

    @Nested
    @DisplayName("InvalidOrderData")
    class InvalidData {

        @Test
        @DisplayName("can be reported under an enclosing field")
        void within() {
            InvalidOrderData nested = new InvalidOrderData("quantity", "must be positive, was 0").within("lineItems[1]");

            assertThat(nested.field()).isEqualTo("lineItems[1].quantity");
            assertThat(nested.reason()).isEqualTo("must be positive, was 0");
            assertThat(nested).hasMessage("lineItems[1].quantity must be positive, was 0");
        }

        @Test
        @DisplayName("is an IllegalArgumentException so generic handlers treat it as bad input")
        void isIllegalArgument() {
            assertThat(new InvalidOrderData("city", "must not be blank")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
