package org.pgeventstore.application.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * The metadata stored with every event a command appends:
 * {@code {"correlationId", "causationId", "userId", "command"}}, absent ids as {@code null}. A
 * command under an idempotency key adds {@code idempotencyKeyHash} and {@code requestHash}.
 */
final class EventMetadata {

    static final String REQUEST_HASH = "requestHash";
    static final String IDEMPOTENCY_KEY_HASH = "idempotencyKeyHash";

    private EventMetadata() {
    }

    static String of(CommandContext context, String command) {
        return JsonFields.write(base(context, command));
    }

    /** The metadata of an event appended under an idempotency key: the key's hash and the request's. */
    static String ofIdempotent(CommandContext context, String command, IdempotencyKey key, String requestHash) {
        ObjectNode metadata = base(context, command);
        metadata.put(IDEMPOTENCY_KEY_HASH, key.hash());
        metadata.put(REQUEST_HASH, requestHash);
        return JsonFields.write(metadata);
    }

    /** The request hash stored with {@code event}, if it was appended under an idempotency key. */
    static Optional<String> requestHashOf(RecordedEvent event) {
        try {
            JsonNode metadata = JsonFields.parse(event.metadata());
            JsonNode hash = metadata.get(REQUEST_HASH);
            return hash != null && hash.isTextual() ? Optional.of(hash.textValue()) : Optional.empty();
        } catch (JsonProcessingException notJson) {
            throw new CorruptEvent(event.streamId(), event.version(), event.type(),
                    "metadata is not valid JSON: " + notJson.getOriginalMessage(), notJson);
        }
    }

    /** The name of the command that appended {@code event}, or {@code "a command"} when it was not recorded. */
    static String commandOf(RecordedEvent event) {
        try {
            JsonNode command = JsonFields.parse(event.metadata()).get("command");
            return command != null && command.isTextual() ? command.textValue() : "a command";
        } catch (JsonProcessingException notJson) {
            return "a command";
        }
    }

    private static ObjectNode base(CommandContext context, String command) {
        ObjectNode metadata = JsonFields.object();
        metadata.put("correlationId", context.correlationId());
        metadata.put("causationId", context.causationId());
        metadata.put("userId", context.userId());
        if (context.onBehalfOf() != null) {
            metadata.put("onBehalfOf", context.onBehalfOf());
        }
        metadata.put("command", command);
        return metadata;
    }
}
