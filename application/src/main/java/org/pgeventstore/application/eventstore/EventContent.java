package org.pgeventstore.application.eventstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a re-sent event carries what the stored one does: the same type, schema version, data
 * and metadata as JSON values (numbers by value, members in any order), metadata compared without
 * the {@link #REQUEST_METADATA_KEYS keys written from the request}. The in-memory store's version
 * of what {@code events_resend_check} does in PostgreSQL.
 */
final class EventContent {

    /**
     * Metadata the service writes from the request (headers, the caller), not from the event: a
     * re-send may carry other values and still be the same append. Kept equal to the list in the
     * {@code events_request_keys()} SQL function.
     */
    static final List<String> REQUEST_METADATA_KEYS = List.of("correlationId", "causationId", "userId", "onBehalfOf");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a instanceof NumericNode x && b instanceof NumericNode y) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private EventContent() {
    }

    /**
     * Refuses, as PostgreSQL's {@code jsonb} and the events table's checks do, data or metadata that
     * is not a JSON object, or that holds text no {@code text} value can: U+0000, or half a
     * surrogate pair.
     */
    static void requireStorable(List<NewEvent> batch) {
        for (NewEvent event : batch) {
            requireStorable("data", event.data());
            requireStorable("metadata", event.metadata());
        }
    }

    private static void requireStorable(String field, String json) {
        JsonNode node = parse(json);
        if (!node.isObject()) {
            throw new InvalidEventData(field, field + " must be a JSON object");
        }
        requireStorableText(field, node);
    }

    private static void requireStorableText(String field, JsonNode node) {
        if (node.isTextual()) {
            requireStorableText(field, node.textValue());
        } else if (node.isObject()) {
            for (var members = node.properties().iterator(); members.hasNext(); ) {
                var member = members.next();
                requireStorableText(field, member.getKey());
                requireStorableText(field, member.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(element -> requireStorableText(field, element));
        }
    }

    private static void requireStorableText(String field, String text) {
        String reason = StorableText.unstorable(text);
        if (reason != null) {
            throw new InvalidEventData(field, field + " must be JSON that PostgreSQL can store: its text " + reason);
        }
    }

    static boolean same(RecordedEvent stored, NewEvent resent) {
        return stored.type().equals(resent.type())
                && stored.schemaVersion() == resent.schemaVersion()
                && parse(stored.data()).equals(BY_VALUE, parse(resent.data()))
                && withoutRequestKeys(stored.metadata()).equals(BY_VALUE, withoutRequestKeys(resent.metadata()));
    }

    private static JsonNode withoutRequestKeys(String metadata) {
        JsonNode node = parse(metadata);
        if (node instanceof ObjectNode object) {
            object.remove(REQUEST_METADATA_KEYS);
        }
        return node;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException notJson) {
            throw new InvalidEventData("data", "data and metadata must be JSON objects (" + notJson.getOriginalMessage() + ")");
        }
    }
}
