package org.pgeventstore.application.order;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;

/**
 * An order's line items in a snapshot, one JSON array per component instead of one object per
 * line: {@code {productId[], sku[], name[], quantity[], unitPrice[], prices[]}}, where
 * {@code unitPrice[i]} is the index of line {@code i}'s price in {@code prices}, each distinct
 * price written once.
 *
 * <p>Why: a long order's state is mostly line items, and a cold load decodes the whole state.
 * Objects per line repeat five field names per line and build a tree before any line exists;
 * columns are a third of the text, are read with the streaming parser straight into line items,
 * and each distinct price is validated once rather than once per line.
 */
final class LineItemColumns {

    static final String FIELD = "lineItems";

    private LineItemColumns() {
    }

    static ObjectNode write(List<LineItem> items) {
        ObjectNode columns = JsonFields.object();
        ArrayNode productIds = columns.putArray("productId");
        ArrayNode skus = columns.putArray("sku");
        ArrayNode names = columns.putArray("name");
        ArrayNode quantities = columns.putArray("quantity");
        ArrayNode priceIndexes = columns.putArray("unitPrice");
        ArrayNode prices = columns.putArray("prices");
        Map<Money, Integer> indexOfPrice = new HashMap<>();
        for (LineItem item : items) {
            productIds.add(item.productId());
            skus.add(item.sku());
            names.add(item.name());
            quantities.add(item.quantity());
            Integer index = indexOfPrice.get(item.unitPrice());
            if (index == null) {
                index = indexOfPrice.size();
                indexOfPrice.put(item.unitPrice(), index);
                prices.add(JsonFields.money(item.unitPrice()));
            }
            priceIndexes.add(index);
        }
        return columns;
    }

    /**
     * The line items of the columns object the parser stands on (its {@code START_OBJECT}); the
     * parser is left on its {@code END_OBJECT}.
     *
     * @throws InvalidOrderData naming the column or line that is missing, of the wrong type or invalid
     */
    static List<LineItem> read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidOrderData(FIELD, "is not a JSON object of columns");
        }
        List<String> productIds = null;
        List<String> skus = null;
        List<String> names = null;
        int[] quantities = null;
        int[] priceIndexes = null;
        List<Money> prices = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String column = parser.currentName();
            parser.nextToken();
            switch (column) {
                case "productId" -> productIds = texts(parser, column);
                case "sku" -> skus = texts(parser, column);
                case "name" -> names = texts(parser, column);
                case "quantity" -> quantities = integers(parser, column);
                case "unitPrice" -> priceIndexes = integers(parser, column);
                case "prices" -> prices = prices(parser);
                default -> parser.skipChildren();
            }
        }
        int size = required(productIds, "productId").size();
        requireSize(required(skus, "sku").size(), size, "sku");
        requireSize(required(names, "name").size(), size, "name");
        requireSize(required(quantities, "quantity").length, size, "quantity");
        requireSize(required(priceIndexes, "unitPrice").length, size, "unitPrice");
        required(prices, "prices");
        List<LineItem> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int price = priceIndexes[i];
            if (price < 0 || price >= prices.size()) {
                throw new InvalidOrderData(FIELD + ".unitPrice[" + i + "]", "is not an index of prices: " + price);
            }
            try {
                items.add(new LineItem(productIds.get(i), skus.get(i), names.get(i), quantities[i], prices.get(price)));
            } catch (InvalidOrderData invalid) {
                throw invalid.within(FIELD + "[" + i + "]");
            }
        }
        return items;
    }

    private static List<String> texts(JsonParser parser, String column) throws IOException {
        requireArray(parser, column);
        List<String> values = new ArrayList<>();
        while (true) {
            String value = parser.nextTextValue();
            if (value != null) {
                values.add(value);
            } else if (parser.currentToken() == JsonToken.END_ARRAY) {
                return values;
            } else {
                throw new InvalidOrderData(element(column, values.size()), "is not a string");
            }
        }
    }

    private static int[] integers(JsonParser parser, String column) throws IOException {
        requireArray(parser, column);
        int[] values = new int[16];
        int size = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                throw new InvalidOrderData(element(column, size), "is not a whole number");
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = parser.getIntValue();
        }
        return Arrays.copyOf(values, size);
    }

    private static List<Money> prices(JsonParser parser) throws IOException {
        requireArray(parser, "prices");
        List<Money> prices = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String field = element("prices", prices.size());
            if (!parser.currentToken().isNumeric()) {
                throw new InvalidOrderData(field, "is not a number");
            }
            BigDecimal amount = parser.getDecimalValue();
            prices.add(Money.of(amount, field));
        }
        return prices;
    }

    private static void requireArray(JsonParser parser, String column) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidOrderData(FIELD + "." + column, "is not a JSON array");
        }
    }

    private static <T> T required(T column, String name) {
        if (column == null) {
            throw new InvalidOrderData(FIELD + "." + name, "is missing");
        }
        return column;
    }

    private static void requireSize(int size, int expected, String column) {
        if (size != expected) {
            throw new InvalidOrderData(FIELD + "." + column, "has " + size + " values for " + expected + " lines");
        }
    }

    private static String element(String column, int index) {
        return FIELD + "." + column + "[" + index + "]";
    }
}
