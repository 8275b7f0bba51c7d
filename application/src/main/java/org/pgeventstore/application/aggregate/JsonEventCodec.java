package org.pgeventstore.application.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
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
 * is reported through its {@link Failures}: an {@link UnreadableEvent} unless the aggregate names
 * its own exceptions.
 *
 * <p>A type may also have a {@link StreamingReader} for its current shape, for the types an
 * aggregate's streams hold many of: data of the current schema version is then read straight from
 * its text into the event ({@link JsonText}), without a tree or a token stream. Whatever that
 * reader does not take as exactly its shape (and every older version, which the upcasters change
 * as trees) goes the tree's way, so the streaming reader changes how fast an event is read, never
 * what is read or what is reported.
 *
 * <p>Immutable and thread-safe once built; readers, writers and upcasters must be pure.
 *
 * @param <E> the aggregate's events
 */
public final class JsonEventCodec<E> implements EventCodec<E> {

    // Decimals are read as BigDecimal, so an amount never passes through a double.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** What a codec throws for a stored event it cannot read. */
    public interface Failures {

        /** {@link UnreadableEvent} for both. */
        Failures DEFAULT = new Failures() {
            @Override
            public RuntimeException unknown(RecordedEvent recorded) {
                return new UnreadableEvent(recorded, "no reader for this type and schema version", null);
            }

            @Override
            public RuntimeException corrupt(RecordedEvent recorded, String reason, Throwable cause) {
                return new UnreadableEvent(recorded, reason, cause);
            }
        };

        /** No reader for the event's type (after aliases) and schema version, or no upcaster on the way to it. */
        RuntimeException unknown(RecordedEvent recorded);

        /**
         * The event's data is not JSON of its type's shape, or it cannot follow the events before it;
         * {@code cause} is what the parser or the reader threw, when one did.
         */
        RuntimeException corrupt(RecordedEvent recorded, String reason, Throwable cause);
    }

    /**
     * Reads data of a type's current shape straight from its text, through a {@link JsonText}
     * that stands before the object's opening brace, into the event. For data that is not exactly
     * the shape it knows (a member missing, unknown, repeated, null or of another type, or text
     * {@link JsonText} does not take) it returns null or throws: the codec then reads that data
     * through the type's tree reader, which also names what is wrong. For any data it does return
     * an event for, that event must equal the tree reader's.
     */
    @FunctionalInterface
    public interface StreamingReader<E> {

        E read(JsonText json, Instant occurredAt);
    }

    /**
     * One type's current shape: its schema version, its reader, the upcasters from each older
     * version, and the streaming reader of its current version, if it has one (else null).
     */
    private record Shape<E>(int currentVersion, BiFunction<JsonNode, Instant, ? extends E> reader,
                            Map<Integer, UnaryOperator<ObjectNode>> upcastersFrom, StreamingReader<? extends E> streaming) {
    }

    private final Function<E, String> typeOf;
    private final Function<E, ObjectNode> writer;
    private final Map<String, Shape<E>> shapes;
    private final Map<String, String> aliases;
    private final Failures failures;

    private JsonEventCodec(Builder<E> builder) {
        this.typeOf = builder.typeOf;
        this.writer = builder.writer;
        this.failures = builder.failures;
        Map<String, Shape<E>> built = new HashMap<>();
        builder.shapes.forEach((type, shape) -> built.put(type,
                new Shape<>(shape.currentVersion(), shape.reader(), Map.copyOf(shape.upcastersFrom()), shape.streaming())));
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

    /** The stored types this codec reads under their current names, in alphabetical order. */
    public Set<String> types() {
        return new TreeSet<>(shapes.keySet());
    }

    @Override
    public NewEvent encode(E event, UUID eventId, String metadata) {
        String type = typeOf.apply(Objects.requireNonNull(event, "event"));
        return new NewEvent(eventId, type, currentSchemaVersion(type), data(event, type), metadata);
    }

    /** The JSON object text stored as the event's data, in its type's current shape. */
    public String data(E event) {
        return data(event, typeOf.apply(Objects.requireNonNull(event, "event")));
    }

    private String data(E event, String type) {
        try {
            return MAPPER.writeValueAsString(writer.apply(event));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("event " + type + " does not serialise", impossible);
        }
    }

    /**
     * The stored event as today's readers see it: its current type name, schema version and data
     * shape (read, then written as this codec writes it). For history views.
     */
    public RecordedEvent inCurrentShape(RecordedEvent recorded) {
        E event = decode(recorded);
        String type = typeOf.apply(event);
        return recorded.withShape(type, currentSchemaVersion(type), data(event, type));
    }

    @Override
    public RuntimeException unreadable(RecordedEvent recorded, String reason, Throwable cause) {
        return failures.corrupt(recorded, reason, cause);
    }

    @Override
    public E decode(RecordedEvent recorded) {
        Objects.requireNonNull(recorded, "recorded");
        String type = aliases.getOrDefault(recorded.type(), recorded.type());
        Shape<E> shape = shapes.get(type);
        int storedVersion = recorded.schemaVersion();
        if (shape == null || storedVersion < 1 || storedVersion > shape.currentVersion()) {
            throw failures.unknown(recorded);
        }
        if (storedVersion == shape.currentVersion() && shape.streaming() != null) {
            E streamed = streamed(shape.streaming(), recorded);
            if (streamed != null) {
                return streamed;
            }
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
                throw failures.unknown(recorded);
            }
            current = upcaster.apply(current);
        }
        try {
            return Objects.requireNonNull(shape.reader().apply(current, recorded.occurredAt()), "the reader returned null");
        } catch (RuntimeException invalid) {
            throw unreadable(recorded, "data does not fit the shape of " + type + ": " + invalid.getMessage(), invalid);
        }
    }

    /** The event the streaming reader reads from {@code recorded}'s data; null to read it through the tree instead. */
    private static <E> E streamed(StreamingReader<? extends E> reader, RecordedEvent recorded) {
        try {
            return reader.read(new JsonText(recorded.data()), recorded.occurredAt());
        } catch (RuntimeException notExactlyTheShape) {
            // The tree reader reads it, or reports what is wrong with it, as it does without a streaming reader.
            return null;
        }
    }

    /** Collects the shapes of a codec; not thread-safe. */
    public static final class Builder<E> {

        private final Function<E, String> typeOf;
        private final Function<E, ObjectNode> writer;
        private final Map<String, Shape<E>> shapes = new HashMap<>();
        private final Map<String, String> aliases = new HashMap<>();
        private Failures failures = Failures.DEFAULT;

        private Builder(Function<E, String> typeOf, Function<E, ObjectNode> writer) {
            this.typeOf = Objects.requireNonNull(typeOf, "typeOf");
            this.writer = Objects.requireNonNull(writer, "writer");
        }

        /** Type {@code type} is written at {@code currentVersion} (1 or more) and read by {@code reader}. */
        public Builder<E> type(String type, int currentVersion, Function<JsonNode, ? extends E> reader) {
            Objects.requireNonNull(reader, "reader");
            return type(type, currentVersion, (data, occurredAt) -> reader.apply(data));
        }

        /**
         * Type {@code type} is written at {@code currentVersion} (1 or more) and read by {@code reader}
         * from its data and the time the store recorded it ({@link RecordedEvent#occurredAt()}), for an
         * event whose time is the store's rather than a field of its own.
         */
        public Builder<E> type(String type, int currentVersion, BiFunction<JsonNode, Instant, ? extends E> reader) {
            if (currentVersion < 1) {
                throw new IllegalArgumentException("schema versions start at 1, was " + currentVersion);
            }
            if (shapes.putIfAbsent(type, new Shape<>(currentVersion, Objects.requireNonNull(reader, "reader"),
                    new HashMap<>(), null)) != null) {
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

        /**
         * Data of {@code type}'s current schema version is read by {@code reader} straight from the
         * parser, falling back to the type's tree reader for whatever it does not take (see
         * {@link StreamingReader}).
         */
        public Builder<E> streaming(String type, StreamingReader<? extends E> reader) {
            Shape<E> shape = shapes.get(type);
            if (shape == null) {
                throw new IllegalArgumentException("no event type " + type + " to read by streaming");
            }
            shapes.put(type, new Shape<>(shape.currentVersion(), shape.reader(), shape.upcastersFrom(),
                    Objects.requireNonNull(reader, "reader")));
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

        /** Reports unreadable events as these exceptions instead of {@link UnreadableEvent}. */
        public Builder<E> failures(Failures failures) {
            this.failures = Objects.requireNonNull(failures, "failures");
            return this;
        }

        public JsonEventCodec<E> build() {
            return new JsonEventCodec<>(this);
        }
    }
}
