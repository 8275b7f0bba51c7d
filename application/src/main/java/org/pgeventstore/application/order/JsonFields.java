package org.pgeventstore.application.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.Money;

/**
 * Reading and writing the JSON of event data and metadata, field by field. Readers throw
 * {@link InvalidOrderData} naming the field, so a caller can report exactly what is wrong with a
 * stored event.
 */
final class JsonFields {

    // Decimals are read as BigDecimal, so an amount never passes through a double.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonFields() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException impossible) {
            // A tree built in memory from strings and numbers always serialises.
            throw new UncheckedIOException(impossible);
        }
    }

    /**
     * An amount as a JSON number with exactly two decimals, e.g. {@code 5.00}. A {@link DecimalNode}
     * is created directly because the node factory would strip the trailing zeros.
     */
    static DecimalNode money(Money money) {
        return DecimalNode.valueOf(money.amount());
    }

    static JsonNode required(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidOrderData(field, "is missing");
        }
        return value;
    }

    static Optional<JsonNode> optional(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    static String text(JsonNode parent, String field) {
        return asText(required(parent, field), field);
    }

    static Optional<String> optionalText(JsonNode parent, String field) {
        return optional(parent, field).map(value -> asText(value, field));
    }

    static int integer(JsonNode parent, String field) {
        JsonNode value = required(parent, field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidOrderData(field, "is not a whole number: " + value);
        }
        return value.intValue();
    }

    static Money money(JsonNode parent, String field) {
        JsonNode value = required(parent, field);
        if (!value.isNumber()) {
            throw new InvalidOrderData(field, "is not a number: " + value);
        }
        BigDecimal amount = value.decimalValue();
        return Money.of(amount, field);
    }

    static Instant instant(JsonNode parent, String field) {
        String text = text(parent, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException notAnInstant) {
            throw new InvalidOrderData(field, "is not an ISO-8601 instant: " + text);
        }
    }

    static Optional<LocalDate> optionalDate(JsonNode parent, String field) {
        return optionalText(parent, field).map(text -> {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeException notADate) {
                throw new InvalidOrderData(field, "is not an ISO-8601 date: " + text);
            }
        });
    }

    static JsonNode objectField(JsonNode parent, String field) {
        JsonNode value = required(parent, field);
        if (!value.isObject()) {
            throw new InvalidOrderData(field, "is not a JSON object");
        }
        return value;
    }

    static JsonNode arrayField(JsonNode parent, String field) {
        JsonNode value = required(parent, field);
        if (!value.isArray()) {
            throw new InvalidOrderData(field, "is not a JSON array");
        }
        return value;
    }

    private static String asText(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new InvalidOrderData(field, "is not a string: " + value);
        }
        return value.textValue();
    }
}
