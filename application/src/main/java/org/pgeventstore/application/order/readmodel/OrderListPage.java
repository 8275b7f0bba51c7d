package org.pgeventstore.application.order.readmodel;

import java.util.List;
import java.util.Optional;

/** A page of the order list; {@code next} is empty on the last page. */
public record OrderListPage(List<OrderRow> items, Optional<OrderListQuery.Cursor> next) {

    public OrderListPage {
        items = List.copyOf(items);
    }
}
