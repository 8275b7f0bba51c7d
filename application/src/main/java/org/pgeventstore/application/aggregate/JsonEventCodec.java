package org.pgeventstore.application.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;

/**
 * An {@link EventCodec} for events stored as JSON objects, built from one reader per type, the
 * upcasters that lift each older schema version of a type to the next, and aliases for renamed
 * types. A stored event is read by resolving its alias, upcasting its data from its schema
 * version to the type's current one, step by step, and handing the result to the type's reader.
 * Anything that goes wrong (unknown type or version, data that is not JSON, a reader that throws)
 * is {@link #unreadable}.
 *
 * <p>Immutable and thread-safe once built; readers, writers and upcasters must be pure.
 *
 * @param <E> the aggregate's events
 */
public final class JsonEventCodec<E> implements EventCodec<E> {

    // Decimals are read as BigDecimal, so an amount never passes through a double.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One type's current shape: its schema version, its reader, and the upcasters from each older version. */
    private record Shape<E>(int currentVersion, Function<JsonNode, ? extends E> reader,
                            Map<Integer, UnaryOperator<ObjectNode>> upcastersFrom) {
    }

    private final Function<E, String> typeOf;
    private final Function<E, ObjectNode> writer;
    private final Map<String, Shape<E>> shapes;
    private final Map<String, String> aliases;

    private JsonEventCodec(Builder<E> builder) {
        this.typeOf = builder.typeOf;
        this.writer = builder.writer;
        Map<String, Shape<E>> built = new HashMap<>();
        builder.shapes.forEach((type, shape) -> built.put(type,
                new Shape<>(shape.currentVersion(), shape.reader(), Map.copyOf(shape.upcastersFrom()))));
        this.shapes = Map.copyOf(built);
        this.aliases = Map.copyOf(builder.aliases);
    }

    /**
     * A builder whose codec names each event's type with {@code typeOf} and writes its data with
     * {@code writer}, the current shape of its type.
     */
    public static <E> Builder<E> builder(Function<E, String> typeOf, Function<E, ObjectNode> writer) {
        return new Builder<>(typeOf, writer);
    }

    /** A fresh JSON object, for writers and upcasters. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The schema version this codec writes for {@code type}. */
    public int currentSchemaVersion(String type) {
        Shape<E> shape = shapes.get(type);
        if (shape == null) {
            throw new IllegalArgumentException("no event type " + type);
        }
        return shape.currentVersion();
    }

    @Override
    public NewEvent encode(E event, UUID eventId, String metadata) {
        String type = typeOf.apply(Objects.requireNonNull(event, "event"));
        try {
            return new NewEvent(eventId, type, currentSchemaVersion(type), MAPPER.writeValueAsString(writer.apply(event)),
                    metadata);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("event " + type + " does not serialise", impossible);
        }
    }

    @Override
    public E decode(RecordedEvent recorded) {
        Objects.requireNonNull(recorded, "recorded");
        String type = aliases.getOrDefault(recorded.type(), recorded.type());
        Shape<E> shape = shapes.get(type);
        int storedVersion = recorded.schemaVersion();
        if (shape == null || storedVersion < 1 || storedVersion > shape.currentVersion()) {
            throw unreadable(recorded, "no reader for this type and schema version", null);
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(recorded.data());
        } catch (JsonProcessingException notJson) {
            throw unreadable(recorded, "data is not valid JSON: " + notJson.getOriginalMessage(), notJson);
        }
        if (!(parsed instanceof ObjectNode data)) {
            throw unreadable(recorded, "data is not a JSON object", null);
        }
        ObjectNode current = data;
        for (int version = storedVersion; version < shape.currentVersion(); version++) {
            UnaryOperator<ObjectNode> upcaster = shape.upcastersFrom().get(version);
            if (upcaster == null) {
                throw unreadable(recorded, "no upcaster from schema version " + version, null);
            }
            current = upcaster.apply(current);
        }
        try {
            return Objects.requireNonNull(shape.reader().apply(current), "the reader returned null");
        } catch (RuntimeException invalid) {
            throw unreadable(recorded, "data does not fit the shape of " + type + ": " + invalid.getMessage(), invalid);
        }
    }

    /** Collects the shapes of a codec; not thread-safe. */
    public static final class Builder<E> {

        private final Function<E, String> typeOf;
        private final Function<E, ObjectNode> writer;
        private final Map<String, Shape<E>> shapes = new HashMap<>();
        private final Map<String, String> aliases = new HashMap<>();

        private Builder(Function<E, String> typeOf, Function<E, ObjectNode> writer) {
            this.typeOf = Objects.requireNonNull(typeOf, "typeOf");
            this.writer = Objects.requireNonNull(writer, "writer");
        }

        /** Type {@code type} is written at {@code currentVersion} (1 or more) and read by {@code reader}. */
        public Builder<E> type(String type, int currentVersion, Function<JsonNode, ? extends E> reader) {
            if (currentVersion < 1) {
                throw new IllegalArgumentException("schema versions start at 1, was " + currentVersion);
            }
            if (shapes.putIfAbsent(type, new Shape<>(currentVersion, Objects.requireNonNull(reader, "reader"),
                    new HashMap<>())) != null) {
                throw new IllegalArgumentException("event type " + type + " is registered twice");
            }
            return this;
        }

        /** Data of {@code type} at {@code fromVersion} becomes data of {@code fromVersion + 1} through {@code upcaster}. */
        public Builder<E> upcast(String type, int fromVersion, UnaryOperator<ObjectNode> upcaster) {
            Shape<E> shape = shapes.get(type);
            if (shape == null || fromVersion < 1 || fromVersion >= shape.currentVersion()) {
                throw new IllegalArgumentException("no older schema version " + fromVersion + " of event type " + type);
            }
            shape.upcastersFrom().put(fromVersion, Objects.requireNonNull(upcaster, "upcaster"));
            return this;
        }

        /** Events stored under {@code oldType} are read as {@code currentType}: for a type renamed after events were stored. */
        public Builder<E> alias(String oldType, String currentType) {
            if (!shapes.containsKey(currentType)) {
                throw new IllegalArgumentException("no event type " + currentType + " to alias " + oldType + " to");
            }
            aliases.put(oldType, currentType);
            return this;
        }

        public JsonEventCodec<E> build() {
            return new JsonEventCodec<>(this);
        }
    }
}
