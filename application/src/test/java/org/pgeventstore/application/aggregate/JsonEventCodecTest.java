package org.pgeventstore.application.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.RecordedEvent;

/** The generic JSON codec's choice between the streaming reader of a current shape and the tree path with its upcasters. */
class JsonEventCodecTest {

    private record Named(String name, String readBy) {
    }

    private static final Instant AT = Instant.parse("2026-02-01T12:00:00Z");

    private final List<String> upcasts = new ArrayList<>();

    /** Version 1 stored {@code title}; version 2 calls it {@code name}. The streaming reader takes only {@code {"name": text}}. */
    private JsonEventCodec<Named> codec(JsonEventCodec.StreamingReader<Named> streaming) {
        return JsonEventCodec.<Named>builder(named -> "Named", named -> JsonEventCodec.object().put("name", named.name()))
                .type("Named", 2, data -> new Named(data.get("name").textValue(), "tree"))
                .upcast("Named", 1, data -> {
                    upcasts.add(data.toString());
                    data.set("name", data.remove("title"));
                    return data;
                })
                .streaming("Named", streaming)
                .build();
    }

    private static final JsonEventCodec.StreamingReader<Named> NAME_ONLY = (json, occurredAt) -> {
        json.beginObject();
        json.member(new String[] {"name"});
        String name = json.string();
        if (json.nextMember()) {
            return null;
        }
        json.end();
        return new Named(name, "streaming");
    };

    private static RecordedEvent stored(int schemaVersion, String data) {
        return new RecordedEvent(UUID.randomUUID(), "named-1", "Named", schemaVersion, 1, 1, data, "{}", AT);
    }

    @Test
    @DisplayName("data of the current version is read by the streaming reader")
    void currentVersionStreamed() {
        assertThat(codec(NAME_ONLY).decode(stored(2, "{\"name\":\"Ada\"}"))).isEqualTo(new Named("Ada", "streaming"));
        assertThat(upcasts).isEmpty();
    }

    @Test
    @DisplayName("data of an older version is upcast as a tree and read by the tree reader, never streamed")
    void olderVersionUpcast() {
        JsonEventCodec.StreamingReader<Named> never = (json, occurredAt) -> {
            throw new AssertionError("an older version must not be streamed");
        };

        assertThat(codec(never).decode(stored(1, "{\"title\":\"Ada\"}"))).isEqualTo(new Named("Ada", "tree"));
        assertThat(upcasts).containsExactly("{\"title\":\"Ada\"}");
    }

    @Test
    @DisplayName("data the streaming reader does not take, or throws on, is read by the tree reader")
    void notTakenGoesToTheTree() {
        assertThat(codec(NAME_ONLY).decode(stored(2, "{\"name\":\"Ada\",\"extra\":1}"))).isEqualTo(new Named("Ada", "tree"));

        JsonEventCodec.StreamingReader<Named> throwing = (json, occurredAt) -> {
            throw new IllegalArgumentException("not my shape");
        };
        assertThat(codec(throwing).decode(stored(2, "{\"name\":\"Ada\"}"))).isEqualTo(new Named("Ada", "tree"));
    }

    @Test
    @DisplayName("what neither reader can read is reported as the tree path reports it")
    void failuresAsWithoutStreaming() {
        assertThatThrownBy(() -> codec(NAME_ONLY).decode(stored(2, "{\"name\":")))
                .isInstanceOfSatisfying(UnreadableEvent.class, unreadable ->
                        assertThat(unreadable.getMessage()).contains("data is not valid JSON"));
        assertThatThrownBy(() -> codec(NAME_ONLY).decode(stored(2, "[\"Ada\"]")))
                .isInstanceOfSatisfying(UnreadableEvent.class, unreadable ->
                        assertThat(unreadable.getMessage()).contains("data is not a JSON object"));
    }

    @Test
    @DisplayName("a streaming reader is only given to a registered type")
    void unknownType() {
        assertThatThrownBy(() -> JsonEventCodec.<Named>builder(named -> "Named", named -> JsonEventCodec.object())
                .streaming("Named", NAME_ONLY)).isInstanceOf(IllegalArgumentException.class);
    }
}
