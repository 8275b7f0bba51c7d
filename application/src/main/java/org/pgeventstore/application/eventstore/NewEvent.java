package org.pgeventstore.application.eventstore;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An event to append. {@code data} and {@code metadata} are JSON object texts;
 * the caller has checked that they parse (the store keeps them as JSON).
 * The metadata conventionally carries {@code correlationId}, {@code causationId}
 * and {@code userId}. {@code schemaVersion} (from 1) is the version of the data's
 * shape for its type, kept with the event so that readers can upcast old shapes.
 */
public record NewEvent(UUID eventId, String type, int schemaVersion, String data, String metadata) {

    public static final String EMPTY_OBJECT = "{}";
    public static final int FIRST_SCHEMA_VERSION = 1;

    public NewEvent {
        if (schemaVersion < FIRST_SCHEMA_VERSION) {
            throw new InvalidEventData("schemaVersion", "a schema version is 1 or more, was " + schemaVersion);
        }
        Objects.requireNonNull(eventId, "eventId");
        EventType.require(type);
        if (data == null || data.isBlank()) {
            throw new InvalidEventData("data", "an event's data is a JSON object");
        }
        if (metadata == null || metadata.isBlank()) {
            metadata = EMPTY_OBJECT;
        }
    }

    /** An event in the first shape of its type. */
    public NewEvent(UUID eventId, String type, String data, String metadata) {
        this(eventId, type, FIRST_SCHEMA_VERSION, data, metadata);
    }

    /**
     * Checks the events of one append: 1..{@link EventStore#MAX_EVENTS_PER_APPEND} of them,
     * no event id twice.
     */
    public static List<NewEvent> requireValidBatch(List<NewEvent> events) {
        if (events == null || events.isEmpty()) {
            throw new InvalidEventData("events", "an append carries at least one event");
        }
        if (events.size() > EventStore.MAX_EVENTS_PER_APPEND) {
            throw new InvalidEventData("events", "an append carries at most " + EventStore.MAX_EVENTS_PER_APPEND + " events");
        }
        Set<UUID> seen = new HashSet<>();
        for (NewEvent event : events) {
            if (!seen.add(event.eventId())) {
                throw new InvalidEventData("events", "event id " + event.eventId() + " appears twice in one append");
            }
        }
        return List.copyOf(events);
    }

    public static NewEvent of(String type, String data) {
        return new NewEvent(UUID.randomUUID(), type, data, EMPTY_OBJECT);
    }
}
