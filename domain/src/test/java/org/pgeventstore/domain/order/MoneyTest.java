package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Money")
class MoneyTest {

    @Nested
    @DisplayName("creation")
    class Creation {

        @Test
        @DisplayName("always holds exactly two decimal places")
        void scaleTwo() {
            assertThat(new Money(new BigDecimal("5")).amount()).isEqualByComparingTo("5").hasScaleOf(2);
            assertThat(new Money(new BigDecimal("5.5")).amount().scale()).isEqualTo(2);
            assertThat(Money.of("12.34").amount().toPlainString()).isEqualTo("12.34");
        }

        @Test
        @DisplayName("treats the same value written with different decimals as equal")
        void equalityByValue() {
            assertThat(Money.of("5")).isEqualTo(Money.of("5.00")).isEqualTo(new Money(new BigDecimal("5.0")));
            assertThat(Money.of("5").hashCode()).isEqualTo(Money.of("5.00").hashCode());
        }

        @Test
        @DisplayName("accepts trailing zeros beyond the cents, since nothing is rounded")
        void trailingZeros() {
            assertThat(Money.of("9.990")).isEqualTo(Money.of("9.99"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"9.999", "0.001", "12.345"})
        @DisplayName("rejects more than two decimal places instead of rounding")
        void rejectsThreeDecimals(String amount) {
            assertThatThrownBy(() -> Money.of(amount))
                    .isInstanceOfSatisfying(InvalidOrderData.class, e -> {
                        assertThat(e.field()).isEqualTo("amount");
                        assertThat(e.reason()).isEqualTo("must have at most 2 decimal places, was " + amount);
                    });
        }

        @Test
        @DisplayName("rejects a negative amount")
        void rejectsNegative() {
            assertThatThrownBy(() -> Money.of("-0.01"))
                    .isInstanceOf(InvalidOrderData.class)
                    .hasMessage("amount must not be negative, was -0.01");
        }

        @Test
        @DisplayName("rejects a missing amount")
        void rejectsNull() {
            assertThatThrownBy(() -> new Money(null))
                    .isInstanceOfSatisfying(InvalidOrderData.class, e -> assertThat(e.field()).isEqualTo("amount"));
        }

        @Test
        @DisplayName("rejects text that is not a number")
        void rejectsNonNumber() {
            assertThatThrownBy(() -> Money.of("twelve"))
                    .isInstanceOf(InvalidOrderData.class)
                    .hasMessage("amount is not a decimal number: twelve");
        }

        @Test
        @DisplayName("rejects an amount too large to store, without widening it first")
        void rejectsHuge() {
            assertThatThrownBy(() -> new Money(new BigDecimal("1E+999999999")))
                    .isInstanceOf(InvalidOrderData.class)
                    .hasMessageContaining("at most 17 digits before the decimal point");
            assertThat(Money.of("99999999999999999.99").amount()).isEqualByComparingTo("99999999999999999.99");
        }

        @Test
        @DisplayName("accepts zero written any way")
        void zero() {
            assertThat(new Money(new BigDecimal("0E+5"))).isEqualTo(Money.ZERO);
            assertThat(new Money(new BigDecimal("0.000"))).isEqualTo(Money.ZERO);
        }

        @Test
        @DisplayName("names the caller's field when asked to")
        void namedField() {
            assertThatThrownBy(() -> Money.of(new BigDecimal("1.999"), "unitPrice"))
                    .isInstanceOfSatisfying(InvalidOrderData.class, e -> assertThat(e.field()).isEqualTo("unitPrice"));
            assertThat(Money.of(new BigDecimal("2"), "unitPrice")).isEqualTo(Money.of("2.00"));
        }
    }

    @Nested
    @DisplayName("arithmetic")
    class Arithmetic {

        @Test
        @DisplayName("adds exactly, with no binary floating-point error")
        void plus() {
            assertThat(Money.of("0.10").plus(Money.of("0.20"))).isEqualTo(Money.of("0.30"));
        }

        @Test
        @DisplayName("multiplies by a quantity")
        void times() {
            assertThat(Money.of("19.99").times(3)).isEqualTo(Money.of("59.97"));
            assertThat(Money.of("19.99").times(0)).isEqualTo(Money.ZERO);
        }

        @Test
        @DisplayName("refuses a negative factor")
        void timesNegative() {
            assertThatThrownBy(() -> Money.of("1.00").times(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("compares by value")
        void compares() {
            Money small = Money.of("9.99");
            Money large = Money.of("10.00");

            assertThat(small).isLessThan(large);
            assertThat(large.isGreaterThan(small)).isTrue();
            assertThat(small.isGreaterThan(large)).isFalse();
            assertThat(small.isLessThan(large)).isTrue();
            assertThat(large.isLessThan(Money.of("10"))).isFalse();
            assertThat(Money.ZERO.isZero()).isTrue();
            assertThat(Money.ZERO.isPositive()).isFalse();
            assertThat(Money.of("0.01").isPositive()).isTrue();
        }

        @Test
        @DisplayName("prints as plain decimal text")
        void text() {
            assertThat(Money.of("1E+2")).hasToString("100.00");
        }
    }
}
