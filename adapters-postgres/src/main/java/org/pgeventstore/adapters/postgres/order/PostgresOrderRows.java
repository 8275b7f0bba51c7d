package org.pgeventstore.adapters.postgres.order;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.pgeventstore.application.order.readmodel.OrderRow;
import org.pgeventstore.domain.order.CustomerId;
import org.pgeventstore.domain.order.LineItem;
import org.pgeventstore.domain.order.Money;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderStatus;
import org.pgeventstore.domain.order.ShippingAddress;

/** Order read model rows to and from their columns; timestamps kept to the microsecond, truncated. */
final class PostgresOrderRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresOrderRows() {
    }

    /** Rows to write, one list per column, bound as arrays to the rows of {@link OrderReadModelTables#insertRows}. */
    static final class RowArrays {
        private final List<List<Object>> columns = new ArrayList<>();
        private static final String[] TYPES = {"uuid", "text", "text", "text", "text", "numeric", "numeric", "numeric",
                "numeric", "text", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "int8",
                "int8", "int8", "text"};

        RowArrays() {
            for (int i = 0; i < TYPES.length; i++) {
                columns.add(new ArrayList<>());
            }
        }

        int size() {
            return columns.getFirst().size();
        }

        void add(OrderRow row, long loadedVersion) {
            Order order = row.order();
            Object[] values = {order.id().value(), order.orderNumber(), order.customerId().value(),
                    order.status().inWords(), lineItemsJson(order.lineItems()), order.subtotal().amount(),
                    order.shippingCost().amount(), order.total().amount(), order.amountPaid().amount(),
                    addressJson(order.shippingAddress()), timestamp(order.placedAt()),
                    timestamp(order.paidAt().orElse(null)), timestamp(order.shippedAt().orElse(null)),
                    timestamp(order.deliveredAt().orElse(null)), timestamp(order.cancelledAt().orElse(null)),
                    row.version(), row.lastPosition(), loadedVersion, order.currency().getCurrencyCode()};
            for (int i = 0; i < values.length; i++) {
                columns.get(i).add(values[i]);
            }
        }

        /*
         * Text columns go as String[], which the driver sends in binary: no array literal in which
         * every quote of the line items' JSON is escaped and the server unescapes it again.
         */
        void bind(Connection connection, PreparedStatement statement) throws SQLException {
            for (int i = 0; i < TYPES.length; i++) {
                List<Object> column = columns.get(i);
                if (TYPES[i].equals("text")) {
                    statement.setObject(i + 1, column.toArray(new String[0]));
                } else {
                    statement.setArray(i + 1, connection.createArrayOf(TYPES[i], column.toArray()));
                }
            }
        }

        /** ISO-8601 text, truncated (not rounded, as PostgreSQL would) to the microsecond. */
        private static String timestamp(Instant instant) {
            return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
        }
    }

    /** The row of a result whose columns are {@link OrderReadModelTables#COLUMNS}. */
    static OrderRow rowOf(ResultSet row) throws SQLException {
        Order order = new Order(
                new OrderId(row.getObject(1, UUID.class)),
                row.getString(2),
                new CustomerId(row.getString(3)),
                statusOf(row.getString(4)),
                lineItemsOf(row.getString(5)),
                new Money(row.getBigDecimal(6)),
                new Money(row.getBigDecimal(7)),
                new Money(row.getBigDecimal(8)),
                Currency.getInstance(row.getString(18)),
                addressOf(row.getString(10)),
                instant(row, 11),
                Optional.ofNullable(instant(row, 12)),
                Optional.ofNullable(instant(row, 13)),
                Optional.ofNullable(instant(row, 14)),
                Optional.ofNullable(instant(row, 15)),
                new Money(row.getBigDecimal(9)),
                row.getLong(16));
        return new OrderRow(order, row.getLong(17));
    }

    private static Instant instant(ResultSet row, int index) throws SQLException {
        OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OrderStatus statusOf(String words) {
        return OrderStatus.valueOf(words.toUpperCase(Locale.ROOT).replace(' ', '_'));
    }

    private static String lineItemsJson(List<LineItem> items) {
        return written(json -> {
            json.writeStartArray();
            for (LineItem item : items) {
                json.writeStartObject();
                json.writeStringField("productId", item.productId());
                json.writeStringField("sku", item.sku());
                json.writeStringField("name", item.name());
                json.writeNumberField("quantity", item.quantity());
                json.writeNumberField("unitPrice", item.unitPrice().amount());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static List<LineItem> lineItemsOf(String json) {
        List<LineItem> items = new ArrayList<>();
        for (JsonNode node : parse(json)) {
            items.add(new LineItem(node.get("productId").asText(), node.get("sku").asText(), node.get("name").asText(),
                    node.get("quantity").asInt(), new Money(node.get("unitPrice").decimalValue())));
        }
        return items;
    }

    private static String addressJson(ShippingAddress address) {
        return written(json -> {
            json.writeStartObject();
            json.writeStringField("line1", address.line1());
            json.writeStringField("city", address.city());
            json.writeStringField("country", address.country());
            json.writeStringField("postalCode", address.postalCode());
            json.writeEndObject();
        });
    }

    @FunctionalInterface
    private interface Writing {
        void write(JsonGenerator json) throws IOException;
    }

    /** JSON text written straight by a generator: no tree of nodes per line item to build and walk. */
    private static String written(Writing writing) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
            writing.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string failed", e);
        }
        return text.toString();
    }

    private static ShippingAddress addressOf(String json) {
        JsonNode node = parse(json);
        return new ShippingAddress(node.get("line1").asText(), node.get("city").asText(), node.get("country").asText(),
                node.get("postalCode").asText());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the read model holds JSON it cannot read: " + e.getOriginalMessage(), e);
        }
    }
}
