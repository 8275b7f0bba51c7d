package org.pgeventstore.application.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The {@link SnapshotStore} contract. Every adapter runs this suite by extending it and
 * returning its store from {@link #store()}. Each test works on streams of a category of its
 * own, so the suite can share one database with other tests. Instants are whole microseconds,
 * the precision every store keeps.
 */
public abstract class SnapshotStoreContract {

    private static final int SCHEMA = 3;
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected abstract SnapshotStore store();

    private final String category = "s" + UUID.randomUUID().toString().replace("-", "");
    private int streams;

    private StreamId newStream() {
        return StreamId.of(category + "-" + (++streams));
    }

    private static Snapshot snapshot(StreamId stream, long version, int schemaVersion) {
        return new Snapshot(stream, version, 1_000 + version, T0.plusSeconds(version), T0.plusSeconds(version + 1),
                schemaVersion, bytes("{\"at\": " + version + ", \"schema\": " + schemaVersion + "}"));
    }

    private static Snapshot snapshot(StreamId stream, long version) {
        return snapshot(stream, version, SCHEMA);
    }

    @Test
    @DisplayName("a stream without snapshots has none, whatever is asked")
    void none() {
        StreamId stream = newStream();

        assertThat(store().latest(stream, SCHEMA, Long.MAX_VALUE)).isEmpty();
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(1_000_000))).isEmpty();
        assertThat(store().prune(stream, 1)).isZero();
    }

    @Test
    @DisplayName("a saved snapshot reads back whole: version, position, times, schema version and state")
    void roundTrip() {
        StreamId stream = newStream();
        Snapshot saved = new Snapshot(stream, 42, 987_654_321_012L, T0, T0.plusMillis(1500), SCHEMA,
                bytes("{\"id\": \"o-1\", \"items\": [{\"sku\": \"A\", \"price\": 12.50}], \"note\": \"caf\\u00e9 \u2615\"}"));

        assertThat(store().save(saved)).isTrue();

        Snapshot read = store().latest(stream, SCHEMA, Long.MAX_VALUE).orElseThrow();
        assertThat(read.stream()).isEqualTo(stream);
        assertThat(read.version()).isEqualTo(42);
        assertThat(read.position()).isEqualTo(987_654_321_012L);
        assertThat(read.latestEventTime()).isEqualTo(T0);
        assertThat(read.takenAt()).isEqualTo(T0.plusMillis(1500));
        assertThat(read.schemaVersion()).isEqualTo(SCHEMA);
        assertThat(read.state()).isEqualTo(saved.state());
        assertThat(read).isEqualTo(saved);
    }

    @Test
    @DisplayName("a state is bytes, kept byte for byte: every byte value, and hundreds of kilobytes of them")
    void anyBytes() {
        StreamId stream = newStream();
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        byte[] large = new byte[400_000];
        new Random(7).nextBytes(large);

        store().save(new Snapshot(stream, 1, 1, T0, T0, SCHEMA, every));
        store().save(new Snapshot(stream, 2, 2, T0, T0, SCHEMA, large));

        assertThat(store().latest(stream, SCHEMA, 1).orElseThrow().state()).isEqualTo(every);
        assertThat(store().latest(stream, SCHEMA, 2).orElseThrow().state()).isEqualTo(large);
    }

    @Test
    @DisplayName("the latest snapshot is the highest version, and never one above the version asked for")
    void latestAtMost() {
        StreamId stream = newStream();
        for (long version : new long[] {100, 300, 200}) {
            store().save(snapshot(stream, version));
        }

        assertThat(store().latest(stream, SCHEMA, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(300L);
        assertThat(store().latest(stream, SCHEMA, 300)).get().extracting(Snapshot::version).isEqualTo(300L);
        assertThat(store().latest(stream, SCHEMA, 299)).get().extracting(Snapshot::version).isEqualTo(200L);
        assertThat(store().latest(stream, SCHEMA, 150)).get().extracting(Snapshot::version).isEqualTo(100L);
        assertThat(store().latest(stream, SCHEMA, 99)).isEmpty();
    }

    @Test
    @DisplayName("a read sees only snapshots of the schema version it asks for, even when another shape is newer")
    void otherSchemasAreInvisible() {
        StreamId stream = newStream();
        store().save(snapshot(stream, 100, SCHEMA));
        store().save(snapshot(stream, 200, SCHEMA + 1));
        store().save(snapshot(stream, 300, SCHEMA - 1));

        assertThat(store().latest(stream, SCHEMA, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(100L);
        assertThat(store().latest(stream, SCHEMA + 1, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(200L);
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(10_000))).get()
                .extracting(Snapshot::version).isEqualTo(100L);
        assertThat(store().latest(stream, SCHEMA + 7, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("as of an instant: the highest version whose latest event time is not after it, the bound included")
    void asOf() {
        StreamId stream = newStream();
        for (long version : new long[] {10, 20, 30}) {
            store().save(snapshot(stream, version));
        }

        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(20))).get().extracting(Snapshot::version).isEqualTo(20L);
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(20).minusNanos(1000))).get()
                .extracting(Snapshot::version).isEqualTo(10L);
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(31))).get().extracting(Snapshot::version).isEqualTo(30L);
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(9))).isEmpty();
    }

    @Test
    @DisplayName("an instant between two microseconds never picks a snapshot whose events came after it")
    void asOfBelowTheMicrosecond() {
        StreamId stream = newStream();
        store().save(snapshot(stream, 10));

        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(10).minusNanos(1))).isEmpty();
        assertThat(store().latestAsOf(stream, SCHEMA, T0.plusSeconds(10).plusNanos(999))).isPresent();
    }

    @Nested
    @DisplayName("saving")
    class Saving {

        @Test
        @DisplayName("inserts if absent: a second snapshot at the same version and schema is refused and the first kept")
        void insertIfAbsent() {
            StreamId stream = newStream();
            Snapshot first = snapshot(stream, 5);
            Snapshot second = new Snapshot(stream, 5, 77, T0, T0, SCHEMA, bytes("{\"second\": true}"));

            assertThat(store().save(first)).isTrue();
            assertThat(store().save(second)).isFalse();

            assertThat(store().latest(stream, SCHEMA, 5).orElseThrow()).isEqualTo(first);
        }

        @Test
        @DisplayName("a newer schema version replaces an older one at the same version; an older one never replaces a newer")
        void newerShapeReplaces() {
            StreamId stream = newStream();
            assertThat(store().save(snapshot(stream, 5, SCHEMA))).isTrue();

            assertThat(store().save(snapshot(stream, 5, SCHEMA + 1))).isTrue();
            assertThat(store().save(snapshot(stream, 5, SCHEMA))).isFalse();

            assertThat(store().latest(stream, SCHEMA + 1, 5)).get().extracting(Snapshot::schemaVersion).isEqualTo(SCHEMA + 1);
            assertThat(store().latest(stream, SCHEMA, 5)).isEmpty();
        }

        @Test
        @DisplayName("many writers saving the same version at once: exactly one stores it, none fails")
        void concurrentSaves() throws Exception {
            StreamId stream = newStream();
            int writers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> saves = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    saves.add(pool.submit(() -> {
                        go.await();
                        return store().save(snapshot(stream, 9));
                    }));
                }
                go.countDown();
                int stored = 0;
                for (Future<Boolean> save : saves) {
                    stored += save.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(stored).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("streams are independent: a snapshot of one is never found for another")
        void streamsAreIndependent() {
            StreamId one = newStream();
            StreamId other = newStream();
            store().save(snapshot(one, 50));

            assertThat(store().latest(other, SCHEMA, Long.MAX_VALUE)).isEmpty();
            assertThat(store().save(snapshot(other, 50))).isTrue();
            assertThat(store().latest(one, SCHEMA, Long.MAX_VALUE)).get().extracting(Snapshot::stream).isEqualTo(one);
        }
    }

    @Nested
    @DisplayName("pruning")
    class Pruning {

        @Test
        @DisplayName("keeps the highest versions of the stream, whatever their schema, and touches no other stream")
        void keepsLatest() {
            StreamId stream = newStream();
            StreamId other = newStream();
            for (long version = 1; version <= 5; version++) {
                store().save(snapshot(stream, version * 10, version == 5 ? SCHEMA + 1 : SCHEMA));
                store().save(snapshot(other, version * 10));
            }

            assertThat(store().prune(stream, 2)).isEqualTo(3);

            assertThat(store().latest(stream, SCHEMA, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(40L);
            assertThat(store().latest(stream, SCHEMA, 39)).isEmpty();
            assertThat(store().latest(stream, SCHEMA + 1, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(50L);
            assertThat(store().latest(other, SCHEMA, 10)).isPresent();
            assertThat(store().prune(stream, 2)).isZero();
        }

        @Test
        @DisplayName("keeping more than there are deletes nothing; keeping fewer than one is refused")
        void bounds() {
            StreamId stream = newStream();
            store().save(snapshot(stream, 1));

            assertThat(store().prune(stream, 3)).isZero();
            assertThat(store().latest(stream, SCHEMA, 1)).isPresent();
            assertThatThrownBy(() -> store().prune(stream, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
