package org.pgeventstore.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.pgeventstore.application.eventstore.EventType;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;

/**
 * The body of {@code POST /api/streams/{id}/events}, checked field by field. Every defect
 * found is reported at once (422 with {@code invalidParams}); an event whose data is over
 * the size limit makes the whole request a 413.
 *
 * @param expectedVersion the body's {@code expectedVersion}; {@code any} when it has none
 * @param versionGiven whether the body names an {@code expectedVersion}
 */
public record AppendRequest(ExpectedVersion expectedVersion, boolean versionGiven, List<NewEvent> events) {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> REQUEST_FIELDS = Set.of("expectedVersion", "events");
    private static final Set<String> EVENT_FIELDS = Set.of("eventId", "type", "schemaVersion", "data", "metadata");
    private static final int MAX_SCHEMA_VERSION = 1_000_000;

    public static AppendRequest parse(byte[] body, ApiLimits limits, RequestMetadata requestMetadata) {
        JsonNode root = ApiJson.read(body);
        List<ApiProblem.InvalidParam> invalid = new ArrayList<>();
        if (!root.isObject()) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam("body",
                    "must be a JSON object with expectedVersion and events")));
        }
        unknownFields(root, REQUEST_FIELDS, "", invalid);
        ExpectedVersion expected = expectedVersion(root.get("expectedVersion"), invalid);

        JsonNode eventsNode = root.get("events");
        List<NewEvent> events = new ArrayList<>();
        if (eventsNode == null || !eventsNode.isArray()) {
            invalid.add(new ApiProblem.InvalidParam("events", "is required: an array of 1.."
                    + limits.getMaxEventsPerAppend() + " events"));
        } else if (eventsNode.isEmpty()) {
            invalid.add(new ApiProblem.InvalidParam("events", "must hold at least one event"));
        } else if (eventsNode.size() > limits.getMaxEventsPerAppend()) {
            invalid.add(new ApiProblem.InvalidParam("events", "holds " + eventsNode.size()
                    + " events; an append carries at most " + limits.getMaxEventsPerAppend()));
        } else {
            for (int i = 0; i < eventsNode.size(); i++) {
                NewEvent event = event(eventsNode.get(i), "events[" + i + "]", limits, requestMetadata, invalid);
                if (event != null) {
                    events.add(event);
                }
            }
            duplicateIds(events, invalid);
        }
        if (!invalid.isEmpty()) {
            throw ApiProblem.invalid(invalid);
        }
        JsonNode given = root.get("expectedVersion");
        return new AppendRequest(expected, given != null && !given.isNull(), events);
    }

    private static ExpectedVersion expectedVersion(JsonNode node, List<ApiProblem.InvalidParam> invalid) {
        if (node == null || node.isNull()) {
            return ExpectedVersion.ANY;
        }
        if (node.isTextual() && node.textValue().equals("any")) {
            return ExpectedVersion.ANY;
        }
        if (node.isTextual() && node.textValue().equals("exists")) {
            return ExpectedVersion.EXISTS;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            return ExpectedVersion.exactly(node.longValue());
        }
        invalid.add(new ApiProblem.InvalidParam("expectedVersion",
                "must be a whole number of 0 or more, \"any\" or \"exists\"; was " + abbreviate(node)));
        return ExpectedVersion.ANY;
    }

    private static NewEvent event(JsonNode node, String at, ApiLimits limits, RequestMetadata requestMetadata,
                                  List<ApiProblem.InvalidParam> invalid) {
        if (!node.isObject()) {
            invalid.add(new ApiProblem.InvalidParam(at, "must be an object with type and data"));
            return null;
        }
        int before = invalid.size();
        unknownFields(node, EVENT_FIELDS, at + ".", invalid);

        UUID eventId = UUID.randomUUID();
        JsonNode id = node.get("eventId");
        if (id != null && !id.isNull()) {
            if (id.isTextual() && CANONICAL_UUID.matcher(id.textValue()).matches()) {
                eventId = UUID.fromString(id.textValue());
            } else {
                invalid.add(new ApiProblem.InvalidParam(at + ".eventId", "must be a UUID such as "
                        + "6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b; was " + abbreviate(id)));
            }
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || !EventType.isValid(type.textValue())) {
            invalid.add(new ApiProblem.InvalidParam(at + ".type",
                    "must be 1..200 characters of A-Z a-z 0-9 _ . : -; was " + abbreviate(type)));
        }
        int schemaVersion = NewEvent.FIRST_SCHEMA_VERSION;
        JsonNode version = node.get("schemaVersion");
        if (version != null && !version.isNull()) {
            if (version.isIntegralNumber() && version.canConvertToInt() && version.intValue() >= 1
                    && version.intValue() <= MAX_SCHEMA_VERSION) {
                schemaVersion = version.intValue();
            } else {
                invalid.add(new ApiProblem.InvalidParam(at + ".schemaVersion",
                        "must be a whole number from 1 to " + MAX_SCHEMA_VERSION + "; was " + abbreviate(version)));
            }
        }
        JsonNode data = node.get("data");
        byte[] dataBytes = null;
        if (data == null || !data.isObject()) {
            invalid.add(new ApiProblem.InvalidParam(at + ".data", "must be a JSON object; was " + abbreviate(data)));
        } else {
            dataBytes = ApiJson.bytes(data);
            if (dataBytes.length > limits.getMaxEventDataBytes()) {
                throw ApiProblem.withMembers(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "event-too-large",
                        "An event is too large",
                        at + ".data is " + dataBytes.length + " bytes; one event's data may be at most "
                                + limits.getMaxEventDataBytes() + " bytes",
                        Map.of("maxEventDataBytes", limits.getMaxEventDataBytes()));
            }
        }
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            invalid.add(new ApiProblem.InvalidParam(at + ".metadata", "must be a JSON object; was " + abbreviate(metadata)));
        }
        if (invalid.size() > before) {
            return null;
        }
        ObjectNode merged = metadata == null || metadata.isNull()
                ? ApiJson.objectNode() : ((ObjectNode) metadata).deepCopy();
        requestMetadata.applyTo(merged);
        byte[] metadataBytes = ApiJson.bytes(merged);
        if (metadataBytes.length > limits.getMaxEventMetadataBytes()) {
            throw ApiProblem.withMembers(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "event-too-large",
                    "An event is too large",
                    at + ".metadata is " + metadataBytes.length + " bytes with the request's own keys; one event's "
                            + "metadata may be at most " + limits.getMaxEventMetadataBytes() + " bytes",
                    Map.of("maxEventMetadataBytes", limits.getMaxEventMetadataBytes()));
        }
        return new NewEvent(eventId, type.textValue(), schemaVersion, new String(dataBytes, StandardCharsets.UTF_8),
                new String(metadataBytes, StandardCharsets.UTF_8));
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<ApiProblem.InvalidParam> invalid) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                invalid.add(new ApiProblem.InvalidParam(prefix + ApiProblem.quoted(name), "is not a known field; known: "
                        + known.stream().sorted().toList()));
            }
        }
    }

    private static void duplicateIds(List<NewEvent> events, List<ApiProblem.InvalidParam> invalid) {
        Set<UUID> seen = new java.util.HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (!seen.add(events.get(i).eventId())) {
                invalid.add(new ApiProblem.InvalidParam("events[" + i + "].eventId", "repeats an event id of this append"));
            }
        }
    }

    private static String abbreviate(JsonNode node) {
        return ApiProblem.quoted(node == null ? null : node.toString());
    }
}
