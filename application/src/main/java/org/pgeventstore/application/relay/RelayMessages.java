package org.pgeventstore.application.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * Turns an event of the feed into the {@link RelayMessage} a relay publishes.
 *
 * <h2>Subject</h2>
 * {@code <prefix>.<category>.<type>}, the category being the stream id's part before its first
 * {@code -}. A NATS subject is tokens separated by {@code .}, and {@code *} and {@code >} are its
 * wildcards, so in the category and the type every {@code .}, {@code *}, {@code >}, whitespace or
 * control character becomes {@code _}, and an empty token becomes {@code _}. The subject is for
 * routing and filtering; the exact values are in the headers and the body.
 *
 * <h2>Headers</h2>
 * {@link #STREAM_ID}, {@link #VERSION}, {@link #POSITION}, {@link #EVENT_TYPE},
 * {@link #SCHEMA_VERSION}, {@link #OCCURRED_AT} (ISO-8601), and {@link #CORRELATION_ID} and
 * {@link #CAUSATION_ID} when the event's metadata carries them as text. The event id is the
 * message id.
 *
 * <h2>Body</h2>
 * The event as the feed shows it over HTTP: {@code eventId, streamId, type, schemaVersion,
 * version, position, data, metadata, occurredAt}, with {@code data} and {@code metadata} the JSON
 * as stored.
 */
public final class RelayMessages {

    public static final String STREAM_ID = "Eventstore-Stream-Id";
    public static final String VERSION = "Eventstore-Version";
    public static final String POSITION = "Eventstore-Position";
    public static final String EVENT_TYPE = "Eventstore-Event-Type";
    public static final String SCHEMA_VERSION = "Eventstore-Schema-Version";
    public static final String OCCURRED_AT = "Eventstore-Occurred-At";
    public static final String CORRELATION_ID = "Eventstore-Correlation-Id";
    public static final String CAUSATION_ID = "Eventstore-Causation-Id";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final String prefix;

    /** @param prefix the subjects' first tokens, e.g. {@code eventstore}; see {@link #requireValidPrefix} */
    public RelayMessages(String prefix) {
        this.prefix = requireValidPrefix(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The subjects every message of this relay goes to, {@code <prefix>.>}: what its stream captures. */
    public String allSubjects() {
        return prefix + ".>";
    }

    /**
     * A prefix is one or more tokens separated by {@code .}, each non-empty and without wildcards,
     * whitespace or control characters.
     *
     * @throws IllegalArgumentException naming the defect
     */
    public static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        for (String token : prefix.split("\\.", -1)) {
            if (token.isEmpty() || !token.equals(token(token))) {
                throw new IllegalArgumentException("a subject prefix is tokens separated by '.', none empty and none "
                        + "with '*', '>', whitespace or control characters; was \"" + prefix + "\"");
            }
        }
        return prefix;
    }

    /** The subject of events of {@code category} and {@code type}. */
    public String subject(String category, String type) {
        return prefix + "." + token(category) + "." + token(type);
    }

    /** {@code value} as one subject token: see the class comment. */
    static String token(String value) {
        if (value.isEmpty()) {
            return "_";
        }
        StringBuilder token = new StringBuilder(value.length());
        value.codePoints().forEach(c -> token.appendCodePoint(
                c == '.' || c == '*' || c == '>' || Character.isWhitespace(c) || Character.isISOControl(c)
                        || Character.isSpaceChar(c) ? '_' : c));
        return token.toString();
    }

    public RelayMessage of(RecordedEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(STREAM_ID, event.streamId());
        headers.put(VERSION, Long.toString(event.version()));
        headers.put(POSITION, Long.toString(event.position()));
        headers.put(EVENT_TYPE, event.type());
        headers.put(SCHEMA_VERSION, Integer.toString(event.schemaVersion()));
        headers.put(OCCURRED_AT, event.occurredAt().toString());
        JsonNode metadata = metadata(event.metadata());
        textField(metadata, "correlationId").ifPresent(id -> headers.put(CORRELATION_ID, id));
        textField(metadata, "causationId").ifPresent(id -> headers.put(CAUSATION_ID, id));
        return new RelayMessage(subject(new StreamId(event.streamId()).category(), event.type()),
                event.eventId().toString(), headers, body(event), event.position());
    }

    private static JsonNode metadata(String metadata) {
        if (metadata == null) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(metadata);
        } catch (IOException notJson) {
            // The store keeps metadata as a JSON object; anything else simply carries no ids.
            return MAPPER.nullNode();
        }
    }

    private static Optional<String> textField(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static byte[] body(RecordedEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + event.data().length());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("eventId", event.eventId().toString());
            json.writeStringField("streamId", event.streamId());
            json.writeStringField("type", event.type());
            json.writeNumberField("schemaVersion", event.schemaVersion());
            json.writeNumberField("version", event.version());
            json.writeNumberField("position", event.position());
            json.writeFieldName("data");
            json.writeRawValue(event.data());
            json.writeFieldName("metadata");
            if (event.metadata() == null) {
                json.writeNull();
            } else {
                json.writeRawValue(event.metadata());
            }
            json.writeStringField("occurredAt", event.occurredAt().toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("write the body of event " + event.eventId(), e);
        }
        return out.toByteArray();
    }
}
