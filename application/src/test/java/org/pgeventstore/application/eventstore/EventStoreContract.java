package org.pgeventstore.application.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link EventStore} contract. Every adapter runs this suite by extending it and
 * returning its store from {@link #store()}. Each test works on streams and a category
 * of its own, so the suite can share one database with other tests.
 */
public abstract class EventStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 8;

    protected abstract EventStore store();

    private final String category = "c" + UUID.randomUUID().toString().replace("-", "");
    private int streams;

    private StreamId newStream() {
        return StreamId.of(category + "-" + (++streams));
    }

    private static NewEvent event(String type, int n) {
        return new NewEvent(UUID.randomUUID(), type, "{\"n\": " + n + "}", "{\"correlationId\": \"corr-" + n + "\"}");
    }

    private static List<NewEvent> events(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> event("Happened", n)).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private List<RecordedEvent> feed(EventFilter filter) {
        return feed(filter, 7);
    }

    private List<RecordedEvent> feed(EventFilter filter, int pageSize) {
        List<RecordedEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store().readAll(after, pageSize, filter);
            if (page.events().isEmpty()) {
                assertThat(page.next()).isEqualTo(after);
                return all;
            }
            assertThat(page.next()).isEqualTo(page.events().getLast().position());
            all.addAll(page.events());
            after = page.next();
        }
    }

    private List<RecordedEvent> ownFeed() {
        return feed(EventFilter.category(category));
    }


    @Test
    @DisplayName("noStream creates a stream whose versions start at 1")
    void noStreamCreates() {
        var stream = newStream();
        AppendResult result = store().append(stream, ExpectedVersion.NO_STREAM, events(3));
        assertThat(result.firstVersion()).isEqualTo(1);
        assertThat(result.lastVersion()).isEqualTo(3);
        assertThat(result.replayed()).isFalse();
        assertThat(store().currentVersion(stream)).isEqualTo(3);
    }

    @Test
    @DisplayName("noStream on an existing stream is a conflict that names the actual version")
    void noStreamOnExisting() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.ANY, events(2));
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.NO_STREAM, events(1)))
                .isInstanceOfSatisfying(ConcurrencyConflict.class, conflict -> {
                    assertThat(conflict.actualVersion()).isEqualTo(2);
                    assertThat(conflict.expected()).isEqualTo(ExpectedVersion.NO_STREAM);
                    assertThat(conflict.streamId()).isEqualTo(stream.value());
                });
        assertThat(store().currentVersion(stream)).isEqualTo(2);
    }

    @Test
    @DisplayName("an exact version 0 means the stream must not exist")
    void exactZero() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.exactly(0), events(1));
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.exactly(0), events(1)))
                .isInstanceOf(ConcurrencyConflict.class);
    }

    @Test
    @DisplayName("an exact version that matches appends right after it")
    void exactMatch() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.NO_STREAM, events(2));
        AppendResult result = store().append(stream, ExpectedVersion.exactly(2), events(2));
        assertThat(result.firstVersion()).isEqualTo(3);
        assertThat(result.lastVersion()).isEqualTo(4);
    }

    @Test
    @DisplayName("an exact version behind or ahead of the stream is a conflict and appends nothing")
    void exactMismatch() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.NO_STREAM, events(2));
        for (long expected : new long[] {1, 3, 10}) {
            assertThatThrownBy(() -> store().append(stream, ExpectedVersion.exactly(expected), events(1)))
                    .isInstanceOfSatisfying(ConcurrencyConflict.class, conflict -> {
                        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(expected));
                        assertThat(conflict.actualVersion()).isEqualTo(2);
                    });
        }
        assertThat(store().currentVersion(stream)).isEqualTo(2);
        assertThat(ownFeed()).hasSize(2);
    }

    @Test
    @DisplayName("an exact version on a stream that does not exist is a conflict with actual version 0")
    void exactOnMissing() {
        var stream = newStream();
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.exactly(4), events(1)))
                .isInstanceOfSatisfying(ConcurrencyConflict.class,
                        conflict -> assertThat(conflict.actualVersion()).isZero());
        assertThat(store().read(stream, 1, 10).events()).isEmpty();
    }

    @Test
    @DisplayName("exists fails on a missing stream and succeeds on an existing one")
    void exists() {
        var stream = newStream();
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.EXISTS, events(1)))
                .isInstanceOfSatisfying(ConcurrencyConflict.class,
                        conflict -> assertThat(conflict.actualVersion()).isZero());
        store().append(stream, ExpectedVersion.NO_STREAM, events(1));
        assertThat(store().append(stream, ExpectedVersion.EXISTS, events(1)).lastVersion()).isEqualTo(2);
    }

    @Test
    @DisplayName("any appends to new and existing streams")
    void any() {
        var stream = newStream();
        assertThat(store().append(stream, ExpectedVersion.ANY, events(1)).firstVersion()).isEqualTo(1);
        assertThat(store().append(stream, ExpectedVersion.ANY, events(2)).lastVersion()).isEqualTo(3);
    }


    @Test
    @DisplayName("a stream reads back with ids, types, data, metadata, versions, positions and times")
    void readBack() {
        var stream = newStream();
        Instant before = Instant.now().minusSeconds(5);
        List<NewEvent> written = List.of(
                new NewEvent(UUID.randomUUID(), "OrderPlaced", "{\"total\": 12.5, \"items\": [1, 2]}",
                        "{\"correlationId\": \"c-1\", \"causationId\": \"k-1\", \"userId\": \"u-1\"}"),
                new NewEvent(UUID.randomUUID(), "OrderPaid", "{\"amount\": 12.5}", "{}"));
        AppendResult result = store().append(stream, ExpectedVersion.NO_STREAM, written);

        StreamSlice slice = store().read(stream, 1, 100);
        assertThat(slice.streamId()).isEqualTo(stream.value());
        assertThat(slice.version()).isEqualTo(2);
        assertThat(slice.events()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            RecordedEvent read = slice.events().get(i);
            assertThat(read.eventId()).isEqualTo(written.get(i).eventId());
            assertThat(read.type()).isEqualTo(written.get(i).type());
            assertThat(json(read.data())).isEqualTo(json(written.get(i).data()));
            assertThat(json(read.metadata())).isEqualTo(json(written.get(i).metadata()));
            assertThat(read.streamId()).isEqualTo(stream.value());
            assertThat(read.version()).isEqualTo(i + 1);
            assertThat(read.occurredAt()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        }
        assertThat(slice.events().get(0).position()).isEqualTo(result.firstPosition());
        assertThat(slice.events().get(1).position()).isEqualTo(result.lastPosition());
        assertThat(result.lastPosition()).isGreaterThan(result.firstPosition());
    }

    @Test
    @DisplayName("each event keeps the schema version of its shape, 1 unless given")
    void schemaVersions() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.NO_STREAM, List.of(
                new NewEvent(UUID.randomUUID(), "Shaped", 3, "{\"v\": 3}", "{}"),
                NewEvent.of("Plain", "{}")));
        assertThat(store().read(stream, 1, 10).events()).extracting(RecordedEvent::schemaVersion).containsExactly(3, 1);
        assertThat(ownFeed()).extracting(RecordedEvent::schemaVersion).containsExactly(3, 1);
        assertThatThrownBy(() -> new NewEvent(UUID.randomUUID(), "Bad", 0, "{}", "{}"))
                .isInstanceOf(InvalidEventData.class);
    }

    @Test
    @DisplayName("a slice starts at fromVersion and holds at most limit events")
    void slice() {
        var stream = newStream();
        store().append(stream, ExpectedVersion.NO_STREAM, events(10));
        StreamSlice slice = store().read(stream, 4, 3);
        assertThat(slice.events()).extracting(RecordedEvent::version).containsExactly(4L, 5L, 6L);
        assertThat(slice.version()).isEqualTo(10);
        assertThat(store().read(stream, 11, 5).events()).isEmpty();
    }

    @Test
    @DisplayName("a stream without events reads as version 0 and empty")
    void missingStream() {
        var stream = newStream();
        StreamSlice slice = store().read(stream, 1, 10);
        assertThat(slice.version()).isZero();
        assertThat(slice.events()).isEmpty();
        assertThat(store().currentVersion(stream)).isZero();
    }

    @Test
    @DisplayName("the feed hands out every event once, in position order, filtered by category and type")
    void feedFilters() {
        var first = newStream();
        var second = newStream();
        store().append(first, ExpectedVersion.ANY, List.of(event("Placed", 1), event("Paid", 2)));
        store().append(second, ExpectedVersion.ANY, List.of(event("Placed", 3), event("Shipped", 4)));
        store().append(first, ExpectedVersion.ANY, List.of(event("Shipped", 5)));

        List<RecordedEvent> all = ownFeed();
        assertThat(all).extracting(e -> json(e.data()).get("n").asInt()).containsExactly(1, 2, 3, 4, 5);
        assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();

        var placedOrShipped = new EventFilter(java.util.Optional.of(category), Set.of("Placed", "Shipped"));
        assertThat(feed(placedOrShipped)).extracting(e -> json(e.data()).get("n").asInt())
                .containsExactly(1, 3, 4, 5);

        String onlyHere = "Paid" + category;
        store().append(second, ExpectedVersion.ANY, List.of(event(onlyHere, 6)));
        assertThat(feed(EventFilter.types(onlyHere))).extracting(RecordedEvent::streamId)
                .containsExactly(second.value());
    }

    @Test
    @DisplayName("the feed filtered by several categories, with and without types, gives theirs in position order")
    void severalCategories() {
        String other = "o" + category;
        String third = "t" + category;
        var mine = newStream();
        var theirs = StreamId.of(other + "-1");
        var neither = StreamId.of(third + "-1");
        store().append(mine, ExpectedVersion.ANY, List.of(event("Placed", 1)));
        store().append(neither, ExpectedVersion.ANY, List.of(event("Placed", 2)));
        store().append(theirs, ExpectedVersion.ANY, List.of(event("Paid", 3), event("Placed", 4)));
        store().append(mine, ExpectedVersion.ANY, List.of(event("Paid", 5)));

        var both = new EventFilter(Set.of(category, other), Set.of());
        assertThat(feed(both)).extracting(e -> json(e.data()).get("n").asInt()).containsExactly(1, 3, 4, 5);
        var bothPaid = new EventFilter(Set.of(category, other), Set.of("Paid"));
        assertThat(feed(bothPaid)).extracting(e -> json(e.data()).get("n").asInt()).containsExactly(3, 5);
    }

    @Test
    @DisplayName("an empty feed page keeps the reader where it was")
    void emptyPage() {
        var stream = newStream();
        AppendResult result = store().append(stream, ExpectedVersion.ANY, events(1));
        FeedPage page = store().readAll(result.lastPosition(), 10, EventFilter.category(category));
        assertThat(page.events()).isEmpty();
        assertThat(page.next()).isEqualTo(result.lastPosition());
    }


    @Test
    @DisplayName("re-sending a committed append returns the original result and appends nothing")
    void resend() {
        var stream = newStream();
        List<NewEvent> batch = events(3);
        AppendResult original = store().append(stream, ExpectedVersion.NO_STREAM, batch);
        AppendResult again = store().append(stream, ExpectedVersion.NO_STREAM, batch);
        assertThat(again.replayed()).isTrue();
        assertThat(again).usingRecursiveComparison().ignoringFields("replayed").isEqualTo(original);
        assertThat(store().currentVersion(stream)).isEqualTo(3);
        assertThat(ownFeed()).hasSize(3);
    }

    @Test
    @DisplayName("a re-send is recognised even after the stream moved on")
    void resendAfterMore() {
        var stream = newStream();
        List<NewEvent> batch = events(2);
        AppendResult original = store().append(stream, ExpectedVersion.exactly(0), batch);
        store().append(stream, ExpectedVersion.ANY, events(2));
        AppendResult again = store().append(stream, ExpectedVersion.exactly(0), batch);
        assertThat(again.firstVersion()).isEqualTo(original.firstVersion());
        assertThat(again.lastPosition()).isEqualTo(original.lastPosition());
        assertThat(store().currentVersion(stream)).isEqualTo(4);
    }

    @Test
    @DisplayName("a re-send with another type, data, schema version or metadata is a duplicate, not a replay")
    void resendWithOtherContent() {
        var stream = newStream();
        NewEvent stored = new NewEvent(UUID.randomUUID(), "Happened", 1, "{\"n\": 1, \"tags\": [\"a\"]}",
                "{\"source\": \"web\", \"correlationId\": \"c-1\"}");
        store().append(stream, ExpectedVersion.NO_STREAM, List.of(stored));
        List<NewEvent> others = List.of(
                new NewEvent(stored.eventId(), "Other", 1, stored.data(), stored.metadata()),
                new NewEvent(stored.eventId(), "Happened", 2, stored.data(), stored.metadata()),
                new NewEvent(stored.eventId(), "Happened", 1, "{\"n\": 2, \"tags\": [\"a\"]}", stored.metadata()),
                new NewEvent(stored.eventId(), "Happened", 1, stored.data(), "{\"source\": \"batch\", \"correlationId\": \"c-1\"}"));
        for (NewEvent other : others) {
            for (ExpectedVersion expected : List.of(ExpectedVersion.NO_STREAM, ExpectedVersion.ANY, ExpectedVersion.exactly(1))) {
                assertThatThrownBy(() -> store().append(stream, expected, List.of(other)))
                        .as("re-send of %s expecting %s", other, expected)
                        .isInstanceOfSatisfying(DuplicateEventId.class, duplicate -> {
                            assertThat(duplicate.eventId()).isEqualTo(stored.eventId());
                            assertThat(duplicate.contentDiffers()).isTrue();
                        });
            }
        }
        assertThat(store().currentVersion(stream)).isEqualTo(1);
        assertThat(json(store().read(stream, 1, 10).events().getFirst().data())).isEqualTo(json(stored.data()));
    }

    @Test
    @DisplayName("a re-send is the same append whatever its JSON layout and request metadata (correlation, causation, user)")
    void resendIgnoresLayoutAndRequestKeys() {
        var stream = newStream();
        NewEvent stored = new NewEvent(UUID.randomUUID(), "Happened", 1, "{\"n\": 1.50, \"m\": {\"a\": 1, \"b\": 2}}",
                "{\"source\": \"web\", \"correlationId\": \"c-1\", \"userId\": \"u-1\"}");
        AppendResult original = store().append(stream, ExpectedVersion.NO_STREAM, List.of(stored));
        NewEvent resent = new NewEvent(stored.eventId(), "Happened", 1, "{ \"m\": {\"b\": 2, \"a\": 1}, \"n\": 1.5 }",
                "{\"correlationId\": \"c-2\", \"source\": \"web\", \"causationId\": \"x\"}");
        AppendResult again = store().append(stream, ExpectedVersion.NO_STREAM, List.of(resent));
        assertThat(again.replayed()).isTrue();
        assertThat(again).usingRecursiveComparison().ignoringFields("replayed").isEqualTo(original);
        assertThat(store().currentVersion(stream)).isEqualTo(1);
    }

    @Test
    @DisplayName("an append's time is the time its events read back with, the same for all of them, never going back in a stream")
    void appendTime() {
        var stream = newStream();
        List<AppendResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(store().append(stream, ExpectedVersion.ANY, events(2)));
        }
        List<RecordedEvent> stored = store().read(stream, 1, 100).events();
        assertThat(stored).hasSize(10);
        for (int i = 0; i < results.size(); i++) {
            assertThat(stored.get(2 * i).occurredAt()).isEqualTo(results.get(i).occurredAt());
            assertThat(stored.get(2 * i + 1).occurredAt()).isEqualTo(results.get(i).occurredAt());
        }
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).occurredAt()).isAfterOrEqualTo(stored.get(i - 1).occurredAt());
        }
        AppendResult again = store().append(stream, ExpectedVersion.ANY, List.of(
                new NewEvent(stored.get(2).eventId(), stored.get(2).type(), stored.get(2).data(), stored.get(2).metadata()),
                new NewEvent(stored.get(3).eventId(), stored.get(3).type(), stored.get(3).data(), stored.get(3).metadata())));
        assertThat(again.replayed()).isTrue();
        assertThat(again.occurredAt()).isEqualTo(results.get(1).occurredAt());
    }

    @Test
    @DisplayName("an event is found by its id in its own stream, and only there")
    void findEvent() {
        var stream = newStream();
        var other = newStream();
        List<NewEvent> batch = events(3);
        store().append(stream, ExpectedVersion.NO_STREAM, batch);
        store().append(other, ExpectedVersion.NO_STREAM, events(1));
        RecordedEvent found = store().findEvent(stream, batch.get(1).eventId()).orElseThrow();
        assertThat(found.version()).isEqualTo(2);
        assertThat(found.streamId()).isEqualTo(stream.value());
        assertThat(found).isEqualTo(store().read(stream, 2, 1).events().getFirst());
        assertThat(store().findEvent(other, batch.get(1).eventId())).isEmpty();
        assertThat(store().findEvent(stream, UUID.randomUUID())).isEmpty();
    }

    @Test
    @DisplayName("an event id stored in another stream is a duplicate, and nothing is appended")
    void otherStream() {
        var first = newStream();
        var second = newStream();
        NewEvent shared = event("Happened", 1);
        store().append(first, ExpectedVersion.ANY, List.of(shared));
        assertThatThrownBy(() -> store().append(second, ExpectedVersion.ANY, List.of(event("Happened", 2), shared)))
                .isInstanceOfSatisfying(DuplicateEventId.class,
                        duplicate -> assertThat(duplicate.eventId()).isEqualTo(shared.eventId()));
        assertThat(store().currentVersion(second)).isZero();
    }

    @Test
    @DisplayName("a stored event id at another place in the same stream is a duplicate")
    void samesStreamOtherPlace() {
        var stream = newStream();
        List<NewEvent> batch = events(2);
        store().append(stream, ExpectedVersion.ANY, batch);
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY, List.of(event("Happened", 9), batch.get(0))))
                .isInstanceOf(DuplicateEventId.class);
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY, List.of(batch.get(1), batch.get(0))))
                .isInstanceOf(DuplicateEventId.class);
        assertThat(store().currentVersion(stream)).isEqualTo(2);
    }

    @Test
    @DisplayName("one event id twice in one append, or an empty append, is rejected as invalid")
    void invalidBatches() {
        var stream = newStream();
        NewEvent once = event("Happened", 1);
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY, List.of(once, once)))
                .isInstanceOf(InvalidEventData.class);
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY, List.of()))
                .isInstanceOf(InvalidEventData.class);
        assertThat(store().currentVersion(stream)).isZero();
    }



    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "[1, 2]", "\"text\"", "{\"nul\": \"a\\u0000b\"}", "{\"a\\u0000\": 1}",
            "{\"half\": \"\\ud800\"}", "{\"deep\": [{\"half\": \"x\\udc00\"}]}"})
    @DisplayName("data or metadata that is not a JSON object, or holds text no store can keep, is invalid and stores nothing")
    void unstorableJson(String json) {
        var stream = newStream();
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY,
                List.of(new NewEvent(UUID.randomUUID(), "Happened", json, "{}"))))
                .isInstanceOf(InvalidEventData.class);
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.ANY,
                List.of(new NewEvent(UUID.randomUUID(), "Happened", "{}", json))))
                .isInstanceOf(InvalidEventData.class);
        assertThat(store().currentVersion(stream)).isZero();
        AppendResult kept = store().append(stream, ExpectedVersion.ANY,
                List.of(new NewEvent(UUID.randomUUID(), "Happened", "{\"pair\": \"\\ud83d\\ude00\"}", "{}")));
        assertThat(kept.firstVersion()).as("a whole surrogate pair is text like any other").isEqualTo(1);
    }

    @Test
    @DisplayName("an append of 65,536 events is stored whole, in order, before the next append; one more event "
            + "is refused and stores nothing")
    void largestAppend() {
        var stream = newStream();
        int most = EventStore.MAX_EVENTS_PER_APPEND;
        assertThatThrownBy(() -> store().append(stream, ExpectedVersion.NO_STREAM, events(most + 1)))
                .isInstanceOf(InvalidEventData.class)
                .hasMessageContaining("at most " + most);
        assertThat(store().currentVersion(stream)).isZero();

        AppendResult largest = store().append(stream, ExpectedVersion.NO_STREAM, events(most));
        assertThat(largest.firstVersion()).isEqualTo(1);
        assertThat(largest.lastVersion()).isEqualTo(most);
        AppendResult next = store().append(newStream(), ExpectedVersion.NO_STREAM, events(1));
        assertThat(next.firstPosition()).isGreaterThan(largest.lastPosition());

        List<RecordedEvent> stored = feed(EventFilter.category(category), 5000);
        assertThat(stored).hasSize(most + 1);
        assertThat(stored.subList(0, most)).extracting(RecordedEvent::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, most).mapToObj(Long::valueOf).toList());
        assertThat(stored.getFirst().position()).isEqualTo(largest.firstPosition());
        assertThat(stored.get(most - 1).position()).isEqualTo(largest.lastPosition());
        assertThat(stored.getLast().position()).isEqualTo(next.firstPosition());
    }

    @Test
    @DisplayName("writers racing on one stream with exact versions: one winner per version, versions contiguous")
    void exactVersionRace() throws Exception {
        var stream = newStream();
        int rounds = 25;
        // Every round, all threads read the version, wait for each other, then append at it.
        CyclicBarrier allHaveRead = new CyclicBarrier(THREADS);
        List<AppendResult> wins = new CopyOnWriteArrayList<>();
        List<ConcurrencyConflict> conflicts = new CopyOnWriteArrayList<>();
        runConcurrently(THREADS, thread -> {
            for (int round = 0; round < rounds; round++) {
                long seen = store().currentVersion(stream);
                allHaveRead.await(30, TimeUnit.SECONDS);
                try {
                    wins.add(store().append(stream, ExpectedVersion.exactly(seen), List.of(event("Raced", thread))));
                } catch (ConcurrencyConflict conflict) {
                    assertThat(conflict.actualVersion()).isGreaterThan(seen);
                    conflicts.add(conflict);
                }
                allHaveRead.await(30, TimeUnit.SECONDS);
            }
        });
        assertThat(wins).as("exactly one winner per round").hasSize(rounds);
        assertThat(conflicts).hasSize(rounds * (THREADS - 1));
        List<Long> wonVersions = wins.stream().map(AppendResult::firstVersion).sorted().toList();
        assertThat(wonVersions).containsExactlyElementsOf(
                IntStream.rangeClosed(1, rounds).mapToObj(Long::valueOf).toList());
        assertStreamIsContiguous(stream, rounds);
    }

    @Test
    @DisplayName("writers racing on one stream with any: every append succeeds with its own contiguous versions")
    void anyVersionRace() throws Exception {
        var stream = newStream();
        int appendsPerThread = 20;
        List<AppendResult> results = new CopyOnWriteArrayList<>();
        runConcurrently(THREADS, thread -> {
            for (int i = 0; i < appendsPerThread; i++) {
                results.add(store().append(stream, ExpectedVersion.ANY, events(1 + (i % 3))));
            }
        });
        assertThat(results).hasSize(THREADS * appendsPerThread);
        long total = results.stream().mapToLong(r -> r.lastVersion() - r.firstVersion() + 1).sum();
        Set<Long> versions = new HashSet<>();
        for (AppendResult result : results) {
            for (long v = result.firstVersion(); v <= result.lastVersion(); v++) {
                assertThat(versions.add(v)).as("version %d handed out twice", v).isTrue();
            }
        }
        assertThat(versions).hasSize((int) total);
        assertStreamIsContiguous(stream, total);
    }

    @Test
    @DisplayName("writers racing on one existing stream with exists: every append succeeds, even beside exact writers")
    void existsVersionRace() throws Exception {
        var stream = newStream();
        store().append(stream, ExpectedVersion.NO_STREAM, events(1));
        int appendsPerThread = 20;
        List<AppendResult> existsResults = new CopyOnWriteArrayList<>();
        List<AppendResult> exactWins = new CopyOnWriteArrayList<>();
        runConcurrently(THREADS, thread -> {
            for (int i = 0; i < appendsPerThread; i++) {
                if (thread < THREADS - 2) {
                    existsResults.add(store().append(stream, ExpectedVersion.EXISTS, events(1 + (i % 2))));
                } else {
                    try {
                        exactWins.add(store().append(stream, ExpectedVersion.exactly(store().currentVersion(stream)), events(1)));
                    } catch (ConcurrencyConflict expectedLoss) {
                        // exact writers may lose; writers with exists on an existing stream may not
                    }
                }
            }
        });
        assertThat(existsResults).hasSize((THREADS - 2) * appendsPerThread);
        long total = 1 + existsResults.stream().mapToLong(r -> r.lastVersion() - r.firstVersion() + 1).sum() + exactWins.size();
        assertStreamIsContiguous(stream, total);
    }

    @Test
    @DisplayName("writers with any never fail, even racing writers with exact versions on the same stream")
    void anyRacingExact() throws Exception {
        var stream = newStream();
        int rounds = 30;
        List<AppendResult> anyResults = new CopyOnWriteArrayList<>();
        List<AppendResult> exactWins = new CopyOnWriteArrayList<>();
        runConcurrently(THREADS, thread -> {
            for (int i = 0; i < rounds; i++) {
                if (thread % 2 == 0) {
                    anyResults.add(store().append(stream, ExpectedVersion.ANY, events(1)));
                } else {
                    try {
                        exactWins.add(store().append(stream, ExpectedVersion.exactly(store().currentVersion(stream)), events(1)));
                    } catch (ConcurrencyConflict expectedLoss) {
                        // exact writers may lose; writers with any may not
                    }
                }
            }
        });
        assertThat(anyResults).hasSize(THREADS / 2 * rounds);
        assertStreamIsContiguous(stream, anyResults.size() + exactWins.size());
    }

    @Test
    @DisplayName("a reader paging the feed while writers commit sees every event once, streams in version order")
    void feedUnderConcurrency() throws Exception {
        int appendsPerWriter = 40;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<?> reading = reader.submit(() -> {
            long after = 0;
            while (true) {
                boolean wasWriting = writing.get();
                FeedPage page = store().readAll(after, 13, EventFilter.category(category));
                seen.addAll(page.events());
                after = page.next();
                if (page.events().isEmpty() && !wasWriting) {
                    return null;
                }
            }
        });
        List<StreamId> writerStreams = IntStream.range(0, THREADS).mapToObj(i -> newStream()).toList();
        runConcurrently(THREADS, thread -> {
            for (int i = 0; i < appendsPerWriter; i++) {
                StreamId stream = writerStreams.get((thread + i) % THREADS);
                store().append(stream, ExpectedVersion.ANY, events(1 + (i % 2)));
            }
        });
        writing.set(false);
        reading.get(60, TimeUnit.SECONDS);
        reader.shutdownNow();

        assertFeedIsExactlyOnce(seen, ownFeed());
    }

    /** Every page of {@code query}'s listing, checking each page's size and {@code next}. */
    private List<StreamSummary> listing(StreamListQuery query) {
        List<StreamSummary> all = new ArrayList<>();
        while (true) {
            StreamListPage page = store().listStreams(query);
            assertThat(page.streams()).hasSizeLessThanOrEqualTo(query.limit());
            all.addAll(page.streams());
            if (page.next().isEmpty()) {
                return all;
            }
            assertThat(page.streams()).hasSize(query.limit());
            assertThat(page.next()).contains(StreamId.of(page.streams().getLast().streamId()));
            query = query.after(page.next().get());
        }
    }

    @Test
    @DisplayName("a category's streams are listed in stream id order with their version and last event, page by page")
    void listsStreamsOfACategory() {
        String listed = category + "a";
        Map<String, AppendResult> lastAppends = new HashMap<>();
        for (int n = 1; n <= 5; n++) {
            StreamId stream = StreamId.of(listed + "-" + n);
            store().append(stream, ExpectedVersion.ANY, events(n));
            lastAppends.put(stream.value(), store().append(stream, ExpectedVersion.ANY, events(1)));
        }
        store().append(StreamId.of(category + "b-1"), ExpectedVersion.ANY, events(1));

        List<StreamSummary> streams = listing(new StreamListQuery(Set.of(listed), java.util.Optional.empty(), 2));

        assertThat(streams).extracting(StreamSummary::streamId)
                .containsExactly(listed + "-1", listed + "-2", listed + "-3", listed + "-4", listed + "-5");
        for (StreamSummary stream : streams) {
            AppendResult last = lastAppends.get(stream.streamId());
            assertThat(stream.category()).isEqualTo(listed);
            assertThat(stream.version()).isEqualTo(last.lastVersion());
            assertThat(stream.lastPosition()).isEqualTo(last.lastPosition());
            assertThat(stream.updatedAt()).isEqualTo(last.occurredAt());
        }
    }

    @Test
    @DisplayName("streams of several categories, or of all, are listed category by category")
    void listsCategoryByCategory() {
        store().append(StreamId.of(category + "b-1"), ExpectedVersion.ANY, events(1));
        store().append(StreamId.of(category + "a-2"), ExpectedVersion.ANY, events(1));
        store().append(StreamId.of(category + "a-1"), ExpectedVersion.ANY, events(2));
        store().append(StreamId.of(category + "c-1"), ExpectedVersion.ANY, events(1));
        List<String> expected = List.of(category + "a-1", category + "a-2", category + "b-1");

        assertThat(listing(new StreamListQuery(Set.of(category + "b", category + "a"), java.util.Optional.empty(), 1)))
                .extracting(StreamSummary::streamId).containsExactlyElementsOf(expected);
        // Unfiltered, from right before these categories: other tests' streams sort elsewhere.
        StreamListPage all = store().listStreams(StreamListQuery.first(3).after(StreamId.of(category + "a")));
        assertThat(all.streams()).extracting(StreamSummary::streamId).containsExactlyElementsOf(expected);
        assertThat(all.next()).contains(StreamId.of(category + "b-1"));
    }

    @Test
    @DisplayName("a listed stream shows its latest append, and a category without streams lists none")
    void listingFollowsAppends() {
        StreamId stream = newStream();
        store().append(stream, ExpectedVersion.ANY, events(1));
        AppendResult last = store().append(stream, ExpectedVersion.exactly(1), events(3));

        StreamListPage page = store().listStreams(StreamListQuery.first(10).inCategories(Set.of(category)));

        assertThat(page.streams()).singleElement().satisfies(summary -> {
            assertThat(summary.version()).isEqualTo(4);
            assertThat(summary.lastPosition()).isEqualTo(last.lastPosition());
        });
        assertThat(page.next()).isEmpty();
        assertThat(store().listStreams(StreamListQuery.first(10).inCategories(Set.of(category + "none"))).streams()).isEmpty();
    }

    /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                body.run(thread);
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> future : futures) {
                future.get(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    protected interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** The stream holds exactly versions 1..{@code expected}, in order, with increasing positions. */
    protected void assertStreamIsContiguous(StreamId stream, long expected) {
        List<RecordedEvent> events = new ArrayList<>();
        long from = 1;
        while (true) {
            StreamSlice slice = store().read(stream, from, 100);
            if (slice.events().isEmpty()) {
                break;
            }
            events.addAll(slice.events());
            from = slice.events().getLast().version() + 1;
        }
        assertThat(events).extracting(RecordedEvent::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, (int) expected).mapToObj(Long::valueOf).toList());
        assertThat(events).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
        assertThat(store().currentVersion(stream)).isEqualTo(expected);
    }

    /**
     * What a concurrent reader saw is exactly the committed feed: every event once, positions
     * strictly increasing, each stream's events in version order without gaps.
     */
    public static void assertFeedIsExactlyOnce(List<RecordedEvent> seen, List<RecordedEvent> committed) {
        assertThat(seen).extracting(RecordedEvent::eventId).doesNotHaveDuplicates();
        assertThat(seen).extracting(RecordedEvent::position).isSorted();
        assertThat(seen).extracting(RecordedEvent::eventId)
                .containsExactlyElementsOf(committed.stream().map(RecordedEvent::eventId).toList());
        Map<String, Long> lastVersion = new HashMap<>();
        for (RecordedEvent event : seen) {
            long previous = lastVersion.getOrDefault(event.streamId(), 0L);
            assertThat(event.version()).as("stream %s out of order in the feed", event.streamId()).isEqualTo(previous + 1);
            lastVersion.put(event.streamId(), event.version());
        }
    }
}
