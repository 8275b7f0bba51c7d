package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgeventstore.domain.order.OrderFixtures.MUGS;
import static org.pgeventstore.domain.order.OrderFixtures.cancelled;
import static org.pgeventstore.domain.order.OrderFixtures.delivered;
import static org.pgeventstore.domain.order.OrderFixtures.money;
import static org.pgeventstore.domain.order.OrderFixtures.paid;
import static org.pgeventstore.domain.order.OrderFixtures.placed;
import static org.pgeventstore.domain.order.OrderFixtures.shipped;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Order events")
class OrderEventTest {

    @Test
    @DisplayName("each has a stable type name for storage")
    void types() {
        assertThat(List.of(placed(), new OrderItemAdded(MUGS, money("1.00"), money("0.00"), money("1.00")), paid(),
                shipped(), delivered(), cancelled("0.00")))
                .extracting(OrderEvent::type)
                .containsExactly("OrderPlaced", "OrderItemAdded", "OrderPaid", "OrderShipped", "OrderDelivered",
                        "OrderCancelled");
    }

    @Test
    @DisplayName("refuse missing parts but read a null optional as empty")
    void structure() {
        assertThatThrownBy(() -> new OrderPaid(money("1.00"), "card", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("paidAt");
        assertThat(new OrderDelivered(Instant.EPOCH, null).signedBy()).isEmpty();
        assertThat(new OrderShipped("TRK", "DHL", null, Instant.EPOCH).estimatedDelivery()).isEmpty();
    }
}
