package org.pgeventstore.application.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * The metadata stored with every event a command appends:
 * {@code {"correlationId", "causationId", "userId", "command"}}, absent ids as {@code null}, and
 * {@code onBehalfOf} when a trusted caller acts for a user. A command under an idempotency key
 * adds {@code idempotencyKeyHash} and {@code requestHash}.
 */
public final class EventMetadata {

    public static final String REQUEST_HASH = "requestHash";
    public static final String IDEMPOTENCY_KEY_HASH = "idempotencyKeyHash";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventMetadata() {
    }

    public static String of(CommandHeaders headers, String command) {
        return write(base(headers, command));
    }

    /** The metadata of an event appended under an idempotency key: the key's hash and the request's. */
    public static String ofIdempotent(CommandHeaders headers, String command, String keyHash, String requestHash) {
        ObjectNode metadata = base(headers, command);
        metadata.put(IDEMPOTENCY_KEY_HASH, keyHash);
        metadata.put(REQUEST_HASH, requestHash);
        return write(metadata);
    }

    /**
     * The request hash stored with {@code event}, if it was appended under an idempotency key.
     *
     * @throws RuntimeException {@code codec}'s {@link EventCodec#unreadable} when the metadata is not JSON
     */
    public static Optional<String> requestHashOf(RecordedEvent event, EventCodec<?> codec) {
        try {
            JsonNode hash = MAPPER.readTree(event.metadata()).get(REQUEST_HASH);
            return hash != null && hash.isTextual() ? Optional.of(hash.textValue()) : Optional.empty();
        } catch (JsonProcessingException notJson) {
            throw codec.unreadable(event, "metadata is not valid JSON: " + notJson.getOriginalMessage(), notJson);
        }
    }

    /** The name of the command that appended {@code event}, or {@code "a command"} when it was not recorded. */
    public static String commandOf(RecordedEvent event) {
        try {
            JsonNode command = MAPPER.readTree(event.metadata()).get("command");
            return command != null && command.isTextual() ? command.textValue() : "a command";
        } catch (JsonProcessingException notJson) {
            return "a command";
        }
    }

    private static ObjectNode base(CommandHeaders headers, String command) {
        ObjectNode metadata = MAPPER.createObjectNode();
        metadata.put("correlationId", headers.correlationId());
        metadata.put("causationId", headers.causationId());
        metadata.put("userId", headers.userId());
        if (headers.onBehalfOf() != null) {
            metadata.put("onBehalfOf", headers.onBehalfOf());
        }
        metadata.put("command", command);
        return metadata;
    }

    private static String write(ObjectNode metadata) {
        try {
            return MAPPER.writeValueAsString(metadata);
        } catch (JsonProcessingException impossible) {
            // A tree of strings built in memory always serialises.
            throw new UncheckedIOException(impossible);
        }
    }
}
