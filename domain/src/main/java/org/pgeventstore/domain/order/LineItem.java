package org.pgeventstore.domain.order;

/**
 * One line of an order: a quantity of one product at a unit price.
 *
 * <p>{@code productId}, {@code sku} and {@code name} must not be blank, {@code quantity} must be
 * positive and {@code unitPrice} must be positive (a free line is not something this shop sells).
 * Adding the same product twice yields two lines; lines are never merged.
 *
 * <p>An invalid part throws {@link InvalidOrderData} naming the offending field.
 */
public record LineItem(String productId, String sku, String name, int quantity, Money unitPrice) {

    public LineItem {
        Require.nonBlank(productId, "productId");
        Require.nonBlank(sku, "sku");
        Require.nonBlank(name, "name");
        if (quantity <= 0) {
            throw new InvalidOrderData("quantity", "must be positive, was " + quantity);
        }
        Require.present(unitPrice, "unitPrice");
        if (!unitPrice.isPositive()) {
            throw new InvalidOrderData("unitPrice", "must be positive, was " + unitPrice);
        }
    }

    /** The unit price times the quantity. */
    public Money lineTotal() {
        return unitPrice.times(quantity);
    }
}
