package org.pgeventstore.domain.order;

/**
 * Where an order is shipped. Every part is required and must not be blank; the format of the
 * postal code and country is left to the carrier, so neither is interpreted here.
 *
 * <p>An invalid part throws {@link InvalidOrderData} naming the offending field.
 */
public record ShippingAddress(String line1, String city, String country, String postalCode) {

    public ShippingAddress {
        Require.nonBlank(line1, "line1");
        Require.nonBlank(city, "city");
        Require.nonBlank(country, "country");
        Require.nonBlank(postalCode, "postalCode");
    }
}
