package org.pgeventstore.application.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pgeventstore.application.eventstore.RecordedEvent;

class RelayMessagesTest {

    private static final UUID ID = UUID.fromString("7c1f7f4e-2f51-4a3c-9a51-9d5b6f0b2a10");
    private static final Instant AT = Instant.parse("2026-12-02T10:15:30.123456Z");

    private final RelayMessages messages = new RelayMessages("shop.events");

    private static RecordedEvent event(String stream, String type, String metadata) {
        return new RecordedEvent(ID, stream, type, 2, 7, 1234, "{\"total\": 12.50, \"items\": [1, 2]}", metadata, AT);
    }

    @Test
    @DisplayName("the subject is prefix, category and type; headers carry the event's place, time and ids")
    void subjectAndHeaders() {
        RelayMessage message = messages.of(event("order-42", "OrderPlaced",
                "{\"correlationId\": \"c-1\", \"causationId\": \"k-9\", \"userId\": null}"));

        assertThat(message.subject()).isEqualTo("shop.events.order.OrderPlaced");
        assertThat(message.messageId()).isEqualTo(ID.toString());
        assertThat(message.position()).isEqualTo(1234);
        assertThat(message.headers()).containsExactly(
                java.util.Map.entry(RelayMessages.STREAM_ID, "order-42"),
                java.util.Map.entry(RelayMessages.VERSION, "7"),
                java.util.Map.entry(RelayMessages.POSITION, "1234"),
                java.util.Map.entry(RelayMessages.EVENT_TYPE, "OrderPlaced"),
                java.util.Map.entry(RelayMessages.SCHEMA_VERSION, "2"),
                java.util.Map.entry(RelayMessages.OCCURRED_AT, "2026-12-02T10:15:30.123456Z"),
                java.util.Map.entry(RelayMessages.CORRELATION_ID, "c-1"),
                java.util.Map.entry(RelayMessages.CAUSATION_ID, "k-9"));
    }

    @Test
    @DisplayName("metadata without text ids adds no id headers")
    void noIdsWithoutThem() {
        RelayMessage message = messages.of(event("order-42", "OrderPlaced", "{\"correlationId\": 5}"));

        assertThat(message.headers()).doesNotContainKeys(RelayMessages.CORRELATION_ID, RelayMessages.CAUSATION_ID);
    }

    @Test
    @DisplayName("the body is the event as the feed shows it, data and metadata as stored")
    void body() throws Exception {
        RelayMessage message = messages.of(event("order-42", "OrderPlaced", "{\"correlationId\": \"c-1\"}"));

        JsonNode body = new ObjectMapper().readTree(message.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("eventId", "streamId", "type", "schemaVersion",
                "version", "position", "data", "metadata", "occurredAt");
        assertThat(body.get("eventId").asText()).isEqualTo(ID.toString());
        assertThat(body.get("position").asLong()).isEqualTo(1234);
        assertThat(body.get("data").get("total").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(body.get("metadata").get("correlationId").asText()).isEqualTo("c-1");
        assertThat(body.get("occurredAt").asText()).isEqualTo("2026-12-02T10:15:30.123456Z");
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "order-1        | OrderPlaced     | shop.events.order.OrderPlaced",
            "a.b-1          | v1.Created      | shop.events.a_b.v1_Created",
            "order-1        | Type>X*         | shop.events.order.Type_X_",
            "order-1        | 'with\tspace'   | shop.events.order.with_space",
            "-1             | OrderPlaced     | shop.events._.OrderPlaced"})
    @DisplayName("dots, wildcards and whitespace in category or type become _")
    void sanitisedTokens(String stream, String type, String subject) {
        assertThat(messages.of(event(stream, type, "{}")).subject()).isEqualTo(subject);
    }

    @ParameterizedTest
    @CsvSource({"''", "'a..b'", "'.a'", "'a.'", "'a.*'", "'a.>'", "'a b'"})
    @DisplayName("a prefix with an empty token, a wildcard or whitespace is refused")
    void invalidPrefix(String prefix) {
        assertThatThrownBy(() -> new RelayMessages(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(prefix);
    }
}
