package org.pgeventstore.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.StreamId;

@MicronautTest(environments = StreamApiTest.ENVIRONMENT)
class StreamApiTest {

    /** Selects the in-memory store and small limits (application-adapter-test.yml). */
    static final String ENVIRONMENT = "adapter-test";

    @Inject
    EmbeddedServer server;

    @Inject
    EventStore store;

    ApiClient api;
    String stream;

    @BeforeEach
    void setUp() {
        api = new ApiClient(server.getURI());
        stream = "acct-" + UUID.randomUUID();
    }

    private String events(String path) {
        return "/api/streams/" + path + "/events";
    }

    private static String oneEvent(String expected) {
        return "{\"expectedVersion\": " + expected + ", \"events\": [{\"type\": \"Opened\", \"data\": {\"owner\": \"ada\"}}]}";
    }

    /** The reply is a problem+json of this status whose type ends with the slug, and nothing was stored. */
    private void assertRejected(ApiClient.Reply reply, int status, String typeSuffix) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).endsWith(typeSuffix);
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("detail").asText()).isNotBlank();
        assertThat(store.currentVersion(StreamId.of(stream))).as("nothing may be stored").isZero();
    }

    @Nested
    @DisplayName("appending")
    class Appending {

        @Test
        @DisplayName("201 with versions and positions, then the stream reads back with its metadata")
        void appendAndRead() {
            String eventId = UUID.randomUUID().toString();
            var reply = api.postJson(events(stream), """
                    {"expectedVersion": 0, "events": [
                      {"eventId": "%s", "type": "Opened", "data": {"owner": "ada"}, "metadata": {"source": "test"}},
                      {"type": "Deposited", "schemaVersion": 2, "data": {"amount": 12.50}}]}
                    """.formatted(eventId), "X-Correlation-Id", "corr-1", "X-User-Id", "user-7");
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            assertThat(reply.header("ETag")).isEqualTo("\"2\"");
            assertThat(reply.header("X-Correlation-Id")).isEqualTo("corr-1");
            var body = reply.json();
            assertThat(body.get("streamId").asText()).isEqualTo(stream);
            assertThat(body.get("firstVersion").asLong()).isEqualTo(1);
            assertThat(body.get("lastVersion").asLong()).isEqualTo(2);
            assertThat(body.get("lastPosition").asLong()).isGreaterThan(body.get("firstPosition").asLong());

            var read = api.get("/api/streams/" + stream);
            assertThat(read.status()).isEqualTo(200);
            var slice = read.json();
            assertThat(slice.get("version").asLong()).isEqualTo(2);
            var first = slice.get("events").get(0);
            assertThat(first.get("eventId").asText()).isEqualTo(eventId);
            assertThat(first.get("type").asText()).isEqualTo("Opened");
            assertThat(first.get("version").asLong()).isEqualTo(1);
            assertThat(first.get("data").get("owner").asText()).isEqualTo("ada");
            assertThat(first.get("metadata").get("source").asText()).isEqualTo("test");
            assertThat(first.get("metadata").get("correlationId").asText()).isEqualTo("corr-1");
            assertThat(first.get("metadata").get("userId").asText())
                    .as("the authenticated caller, not the X-User-Id a client sends").isEqualTo("test-admin");
            assertThat(first.get("metadata").has("onBehalfOf")).as("X-User-Id needs the impersonate role").isFalse();
            assertThat(first.get("occurredAt").asText()).isNotBlank();
            assertThat(slice.get("events").get(1).get("data").get("amount").decimalValue()).isEqualByComparingTo("12.50");
            assertThat(first.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(slice.get("events").get(1).get("schemaVersion").asInt()).isEqualTo(2);
        }

        @Test
        @DisplayName("a correlation id is generated when absent and echoed back")
        void generatedCorrelationId() {
            var reply = api.postJson(events(stream), oneEvent("\"any\""));
            assertThat(reply.status()).isEqualTo(201);
            String correlation = reply.header("X-Correlation-Id");
            assertThat(correlation).isNotBlank();
            var stored = api.get("/api/streams/" + stream).json().get("events").get(0);
            assertThat(stored.get("metadata").get("correlationId").asText()).isEqualTo(correlation);
        }

        @Test
        @DisplayName("a stale expected version is a 409 naming the expected and actual versions")
        void conflict() {
            api.postJson(events(stream), oneEvent("0"));
            var reply = api.postJson(events(stream), oneEvent("0"));
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").asText()).endsWith("/concurrency-conflict");
            assertThat(reply.json().get("expectedVersion").asLong()).isEqualTo(0);
            assertThat(reply.json().get("actualVersion").asLong()).isEqualTo(1);
            assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(1);
        }

        @Test
        @DisplayName("\"exists\" on a missing stream is a 409 with expectedVersion \"exists\"")
        void existsConflict() {
            var reply = api.postJson(events(stream), oneEvent("\"exists\""));
            assertRejected(reply, 409, "/concurrency-conflict");
            assertThat(reply.json().get("expectedVersion").asText()).isEqualTo("exists");
            assertThat(reply.json().get("actualVersion").asLong()).isZero();
        }

        @Test
        @DisplayName("re-sending the same event ids returns the original result with 200 and appends nothing")
        void resend() {
            String body = """
                    {"expectedVersion": 0, "events": [{"eventId": "%s", "type": "Opened", "data": {}}]}
                    """.formatted(UUID.randomUUID());
            var first = api.postJson(events(stream), body);
            var again = api.postJson(events(stream), body);
            assertThat(first.status()).isEqualTo(201);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json()).isEqualTo(first.json());
            assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(1);
        }

        @Test
        @DisplayName("an event id stored in another stream is a 409 duplicate-event-id")
        void duplicateElsewhere() {
            String id = UUID.randomUUID().toString();
            String body = "{\"events\": [{\"eventId\": \"" + id + "\", \"type\": \"Opened\", \"data\": {}}]}";
            assertThat(api.postJson(events("other-" + UUID.randomUUID()), body).status()).isEqualTo(201);
            var reply = api.postJson(events(stream), body);
            assertRejected(reply, 409, "/duplicate-event-id");
            assertThat(reply.json().get("eventId").asText()).isEqualTo(id);
        }
    }

    @Nested
    @DisplayName("If-Match on an append")
    class IfMatchOnAppend {

        private static final String UNCONDITIONAL = "{\"events\": [{\"type\": \"Opened\", \"data\": {}}]}";

        private ApiClient.Reply append(String ifMatch) {
            return api.postJson(events(stream), UNCONDITIONAL, "If-Match", ifMatch);
        }

        @Test
        @DisplayName("the ETag of the last append makes the next one conditional: current succeeds, stale is a 412")
        void etagOfTheLastAppend() {
            var first = api.postJson(events(stream), UNCONDITIONAL);
            assertThat(first.header("ETag")).isEqualTo("\"1\"");
            var current = append(first.header("ETag"));
            assertThat(current.status()).as(current.body()).isEqualTo(201);
            assertThat(current.header("ETag")).isEqualTo("\"2\"");

            var stale = append("\"1\"");
            assertThat(stale.status()).as(stale.body()).isEqualTo(412);
            assertThat(stale.contentType()).startsWith("application/problem+json");
            assertThat(stale.json().get("type").asText()).endsWith("/stale-version");
            assertThat(stale.json().get("expectedVersion").asLong()).isEqualTo(1);
            assertThat(stale.json().get("actualVersion").asLong()).isEqualTo(2);
            assertThat(stale.json().get("detail").asText()).contains("stream " + stream);
            assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(2);
        }

        @Test
        @DisplayName("a list matches any of its versions; weak tags never match")
        void listsAndWeakTags() {
            api.postJson(events(stream), UNCONDITIONAL);
            api.postJson(events(stream), UNCONDITIONAL);
            assertThat(append("\"1\", \"2\"").status()).isEqualTo(201);
            var weak = append("W/\"3\"");
            assertThat(weak.status()).as(weak.body()).isEqualTo(412);
            assertThat(weak.json().get("expectedVersions")).isEmpty();
            var neither = append("\"1\", \"2\"");
            assertThat(neither.status()).isEqualTo(412);
            assertThat(neither.json().get("actualVersion").asLong()).isEqualTo(3);
            assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(3);
        }

        @ParameterizedTest
        @ValueSource(strings = {"*", "\"0\"", "\"1\""})
        @DisplayName("on a stream that does not exist every If-Match fails (412) and nothing is stored")
        void missingStream(String ifMatch) {
            var reply = append(ifMatch);
            assertRejected(reply, 412, "/stale-version");
            assertThat(reply.json().get("title").asText()).isEqualTo("The stream does not exist");
        }

        @Test
        @DisplayName("* matches a stream that exists")
        void anyExisting() {
            api.postJson(events(stream), UNCONDITIONAL);
            assertThat(append("*").status()).isEqualTo(201);
        }

        @ParameterizedTest
        @ValueSource(strings = {"3", "\"3\",", "\"3\" \"4\"", ""})
        @DisplayName("a header that is not a list of entity tags is a 400 and stores nothing")
        void malformed(String ifMatch) {
            assertRejected(append(ifMatch), 400, "/invalid-parameter");
        }

        @Test
        @DisplayName("If-Match together with expectedVersion is a 400: one condition per append")
        void bothConditions() {
            var reply = api.postJson(events(stream), oneEvent("0"), "If-Match", "*");
            assertRejected(reply, 400, "/invalid-parameter");
            assertThat(reply.body()).contains("If-Match").contains("expectedVersion");
        }
    }

    @Nested
    @DisplayName("bad input: a 4xx problem+json, nothing stored")
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{", "{\"events\": [}", "not json", "{\"events\": []} trailing", "[1, 2"})
        @DisplayName("malformed JSON is a 400")
        void malformed(String body) {
            assertRejected(api.postJson(events(stream), body), 400, "/malformed-json");
        }

        @Test
        @DisplayName("an empty body is a 400")
        void emptyBody() {
            assertRejected(api.postJson(events(stream), ""), 400, "/malformed-json");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
        @DisplayName("a body that is not JSON by content type is a 415")
        void wrongContentType(String contentType) {
            assertRejected(api.post(events(stream), contentType, oneEvent("0")), 415, "/unsupported-media-type");
        }

        @ParameterizedTest(name = "data = {0}")
        @ValueSource(strings = {"[1]", "\"text\"", "42", "null", "true"})
        @DisplayName("data that is not a JSON object is a 422 naming the field")
        void dataNotObject(String data) {
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": " + data + "}]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("events[0].data");
        }

        @Test
        @DisplayName("a missing data is a 422")
        void dataMissing() {
            assertRejected(api.postJson(events(stream), "{\"events\": [{\"type\": \"T\"}]}"), 422, "/validation-failed");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"events\": []}", "{}", "{\"events\": {}}", "[]", "{\"events\": [1]}"})
        @DisplayName("no events, or events of the wrong shape, is a 422")
        void noEvents(String body) {
            assertRejected(api.postJson(events(stream), body), 422, "/validation-failed");
        }

        @Test
        @DisplayName("more events than the configured maximum is a 422")
        void tooManyEvents() {
            String event = "{\"type\": \"T\", \"data\": {}}";
            var reply = api.postJson(events(stream), "{\"events\": [" + String.join(",", java.util.Collections.nCopies(6, event)) + "]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("detail").asText()).contains("at most 5");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"has%20space", "semi%3Bcolon", "quote%22", "slash%5Cback", "%C3%A9t%C3%A9"})
        @DisplayName("a stream id outside [A-Za-z0-9_.:@-] is a 400")
        void badStreamId(String id) {
            var reply = api.postJson(events(id), oneEvent("\"any\""));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("type").asText()).endsWith("/invalid-parameter");
            assertThat(store.readAll(0, 10_000, EventFilter.ALL).events())
                    .noneMatch(e -> e.streamId().contains(" ") || e.streamId().contains(";"));
        }

        @Test
        @DisplayName("a stream id longer than 200 characters is a 400")
        void longStreamId() {
            var reply = api.postJson(events("a".repeat(201)), oneEvent("\"any\""));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(store.currentVersion(StreamId.of("a".repeat(200)))).isZero();
        }

        @ParameterizedTest(name = "type = {0}")
        @ValueSource(strings = {"\"\"", "\"has space\"", "\"semi;colon\"", "42", "null", "\"<script>\""})
        @DisplayName("a bad event type is a 422")
        void badType(String type) {
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": " + type + ", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("events[0].type");
        }

        @Test
        @DisplayName("a type longer than 200 characters is a 422")
        void longType() {
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"" + "T".repeat(201) + "\", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
        }

        @Test
        @DisplayName("an event whose data is over the configured size is a 413")
        void oversizedEvent() {
            String big = "x".repeat(2000);
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": {\"big\": \"" + big + "\"}}]}");
            assertRejected(reply, 413, "/event-too-large");
        }

        @Test
        @DisplayName("an event whose metadata is over the configured size is a 413, like its data")
        void oversizedMetadata() {
            String big = "x".repeat(600);
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": {}, \"metadata\": {\"note\": \""
                    + big + "\"}}]}");
            assertRejected(reply, 413, "/event-too-large");
            assertThat(reply.json().get("maxEventMetadataBytes").asInt()).isEqualTo(512);
        }

        @Test
        @DisplayName("a body over the server's request limit is a 413")
        void oversizedBody() {
            String big = "x".repeat(70_000);
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": {\"big\": \"" + big + "\"}}]}");
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(store.currentVersion(StreamId.of(stream))).isZero();
        }

        @ParameterizedTest(name = "eventId = {0}")
        @ValueSource(strings = {"\"not-a-uuid\"", "\"1-1-1-1-1\"", "42", "\"6f1c2a3e8b4d4e5f9a0b1c2d3e4f5a6b\"", "{}"})
        @DisplayName("an eventId that is not a UUID is a 422")
        void badEventId(String id) {
            var reply = api.postJson(events(stream), "{\"events\": [{\"eventId\": " + id + ", \"type\": \"T\", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("events[0].eventId");
        }

        @Test
        @DisplayName("one eventId twice in an append is a 422")
        void repeatedEventId() {
            String id = UUID.randomUUID().toString();
            var reply = api.postJson(events(stream), "{\"events\": [{\"eventId\": \"" + id + "\", \"type\": \"T\", \"data\": {}},"
                    + "{\"eventId\": \"" + id + "\", \"type\": \"T\", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
        }

        @ParameterizedTest(name = "schemaVersion = {0}")
        @ValueSource(strings = {"0", "-1", "1.5", "\"2\"", "2147483648"})
        @DisplayName("a schemaVersion that is not a whole number of 1 or more is a 422")
        void badSchemaVersion(String version) {
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"schemaVersion\": " + version
                    + ", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("events[0].schemaVersion");
        }

        @ParameterizedTest(name = "expectedVersion = {0}")
        @ValueSource(strings = {"-1", "\"abc\"", "1.5", "\"3\"", "true", "{}", "99999999999999999999999", "\"noStream\""})
        @DisplayName("a negative or non-numeric expectedVersion is a 422")
        void badExpectedVersion(String expected) {
            var reply = api.postJson(events(stream), oneEvent(expected));
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("expectedVersion");
        }

        @Test
        @DisplayName("metadata that is not an object is a 422")
        void badMetadata() {
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": {}, \"metadata\": [1]}]}");
            assertRejected(reply, 422, "/validation-failed");
        }

        @Test
        @DisplayName("unknown fields are a 422 naming them")
        void unknownField() {
            var reply = api.postJson(events(stream), "{\"expectedVersoin\": 0, \"events\": [{\"type\": \"T\", \"data\": {}}]}");
            assertRejected(reply, 422, "/validation-failed");
            assertThat(reply.json().get("invalidParams").get(0).get("name").asText()).isEqualTo("expectedVersoin");
        }

        @Test
        @DisplayName("JSON nested deeper than the limit is a 400, not a crash")
        void deeplyNested() {
            String deep = "[".repeat(10_000) + "]".repeat(10_000);
            var reply = api.postJson(events(stream), "{\"events\": [{\"type\": \"T\", \"data\": {\"d\": " + deep + "}}]}");
            assertRejected(reply, 400, "/malformed-json");
        }

        @Test
        @DisplayName("a correlation header with spaces or control characters is a 400")
        void badCorrelationHeader() {
            var reply = api.postJson(events(stream), oneEvent("0"), "X-Correlation-Id", "has space");
            assertRejected(reply, 400, "/invalid-parameter");
        }

        @Test
        @DisplayName("data with invalid UTF-8 is not stored as garbage")
        void invalidUtf8() {
            byte[] prefix = "{\"events\": [{\"type\": \"T\", \"data\": {\"s\": \"".getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "\"}}]}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + 2 + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            body[prefix.length] = (byte) 0xC3;
            body[prefix.length + 1] = (byte) 0x28;
            System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
            var reply = api.postBytes(events(stream), "application/json", body);
            assertRejected(reply, 400, "/malformed-json");
        }
    }

    @Nested
    @DisplayName("reading")
    class Reading {

        @Test
        @DisplayName("an unknown stream is a 404 problem")
        void unknownStream() {
            var reply = api.get("/api/streams/" + stream);
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }

        @Test
        @DisplayName("fromVersion and limit select a slice; a limit over the maximum is served as the maximum")
        void slice() {
            String event = "{\"type\": \"T\", \"data\": {}}";
            for (int i = 0; i < 12; i++) {
                api.postJson(events(stream), "{\"events\": [" + String.join(",", java.util.Collections.nCopies(5, event)) + "]}");
            }
            var slice = api.get("/api/streams/" + stream + "?fromVersion=3&limit=2").json();
            assertThat(slice.get("events")).hasSize(2);
            assertThat(slice.get("events").get(0).get("version").asLong()).isEqualTo(3);
            var clamped = api.get("/api/streams/" + stream + "?limit=100000000").json();
            assertThat(clamped.get("events")).hasSize(50);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"/api/streams/x-1?fromVersion=abc", "/api/streams/x-1?limit=0", "/api/streams/x-1?limit=-5",
                "/api/events?after=-1", "/api/events?after=abc", "/api/events?limit=1.5",
                "/api/events?type=bad%20type", "/api/events?category=a-b"})
        @DisplayName("unusable query parameters are a 400 problem")
        void badParameters(String path) {
            var reply = api.get(path);
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }

        @Test
        @DisplayName("the feed pages in position order and filters by category and type")
        void feed() {
            String category = "feed" + UUID.randomUUID().toString().replace("-", "");
            api.postJson(events(category + "-1"), "{\"events\": [{\"type\": \"A\", \"data\": {\"n\": 1}}, {\"type\": \"B\", \"data\": {\"n\": 2}}]}");
            api.postJson(events(category + "-2"), "{\"events\": [{\"type\": \"A\", \"data\": {\"n\": 3}}]}");

            var page = api.get("/api/events?after=0&limit=2&category=" + category).json();
            assertThat(page.get("events")).hasSize(2);
            long next = page.get("next").asLong();
            assertThat(next).isEqualTo(page.get("events").get(1).get("position").asLong());
            var rest = api.get("/api/events?after=" + next + "&category=" + category).json();
            assertThat(rest.get("events")).hasSize(1);
            assertThat(rest.get("events").get(0).get("data").get("n").asInt()).isEqualTo(3);

            var onlyA = api.get("/api/events?category=" + category + "&type=A").json();
            assertThat(onlyA.get("events")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(1, 3);
            var both = api.get("/api/events?category=" + category + "&type=A,B").json();
            assertThat(both.get("events")).hasSize(3);
        }

        @Test
        @DisplayName("an unknown route is a 404 problem, a wrong method a 405 problem")
        void unknownRoute() {
            var missing = api.get("/api/nothing-here");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            var wrongMethod = api.postJson("/api/events", "{}");
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        }
    }
}
