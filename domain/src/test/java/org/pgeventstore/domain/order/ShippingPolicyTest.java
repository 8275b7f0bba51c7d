package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.domain.order.OrderFixtures.money;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("ShippingPolicy")
class ShippingPolicyTest {

    @ParameterizedTest(name = "subtotal {0} ships for {1}")
    @CsvSource({"0.01, 5.00", "49.99, 5.00", "50.00, 0.00", "50.01, 0.00", "1000.00, 0.00"})
    @DisplayName("the standard policy charges 5.00 below 50.00 and nothing from 50.00")
    void standard(String subtotal, String shipping) {
        assertThat(ShippingPolicy.standard().shippingCostFor(money(subtotal))).isEqualTo(money(shipping));
    }

    @Test
    @DisplayName("a configured policy uses its own fee and threshold")
    void configured() {
        ShippingPolicy policy = new ShippingPolicy(money("3.95"), money("20.00"));

        assertThat(policy.shippingCostFor(money("19.99"))).isEqualTo(money("3.95"));
        assertThat(policy.shippingCostFor(money("20.00"))).isEqualTo(Money.ZERO);
    }

    @Test
    @DisplayName("a zero threshold ships everything free")
    void alwaysFree() {
        assertThat(new ShippingPolicy(money("5.00"), Money.ZERO).shippingCostFor(money("0.01"))).isEqualTo(Money.ZERO);
    }

    @Test
    @DisplayName("needs both a fee and a threshold")
    void requiresBoth() {
        assertThatThrownBy(() -> new ShippingPolicy(null, money("1.00"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ShippingPolicy(money("1.00"), null)).isInstanceOf(NullPointerException.class);
    }
}
