package org.pgeventstore.application.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

class SnapshotWriterTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final InMemoryEventStore events = new InMemoryEventStore(clock);
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SnapshotWriter writer;

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private SnapshotWriter writer(SnapshotStore store, SnapshotPolicy policy, int queueCapacity, int keep) {
        writer = new SnapshotWriter(events, store, policy, new SnapshotMetrics(registry), clock, queueCapacity, keep);
        return writer;
    }

    /** Appends {@code count} events to {@code stream}, each a minute after the previous one. */
    private AppendResult append(StreamId stream, int count) {
        AppendResult last = null;
        for (int i = 0; i < count; i++) {
            now.set(now.get().plus(Duration.ofMinutes(1)));
            last = events.append(stream, ExpectedVersion.ANY, List.of(NewEvent.of("Happened", "{}")));
        }
        return last;
    }

    private static SnapshotOffer offer(StreamId stream, AppendResult at, long timedUpTo, Instant latestEventTime) {
        return new SnapshotOffer(stream, at.lastVersion(), at.lastPosition(), at.lastVersion(), 0, timedUpTo,
                latestEventTime, 1, () -> new byte[] {(byte) at.lastVersion()});
    }

    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @DisplayName("writes the offered state when the policy agrees, with the times of the events the offer had not read")
    void writes() {
        StreamId stream = StreamId.of("cart-1");
        AppendResult three = append(stream, 3);
        Instant firstEventTime = T0.plus(Duration.ofMinutes(1));
        var writer = writer(snapshots, SnapshotPolicy.everyEvents(3), 10, 3);

        assertThat(writer.offer(offer(stream, three, 1, firstEventTime))).isTrue();
        assertThat(writer.awaitIdle(WAIT)).isTrue();

        Snapshot snapshot = snapshots.latest(stream, 1, Long.MAX_VALUE).orElseThrow();
        assertThat(snapshot.version()).isEqualTo(3);
        assertThat(snapshot.position()).isEqualTo(three.lastPosition());
        assertThat(snapshot.latestEventTime()).as("the third event's time, read by the writer").isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(snapshot.takenAt()).isEqualTo(now.get());
        assertThat(snapshot.state()).containsExactly(3);
        assertThat(count("eventstore.snapshot.written", "category", "cart")).isEqualTo(1);
    }

    @Test
    @DisplayName("the policy says no: nothing is encoded, queued or written")
    void policySaysNo() {
        StreamId stream = StreamId.of("cart-2");
        AppendResult two = append(stream, 2);
        AtomicInteger encoded = new AtomicInteger();
        var writer = writer(snapshots, SnapshotPolicy.everyEvents(3), 10, 3);

        boolean queued = writer.offer(new SnapshotOffer(stream, 2, two.lastPosition(), 2, 0, 0, null, 1, () -> {
            encoded.incrementAndGet();
            return new byte[] {2};
        }));

        assertThat(queued).isFalse();
        assertThat(writer.awaitIdle(WAIT)).isTrue();
        assertThat(encoded).hasValue(0);
        assertThat(snapshots.latest(stream, 1, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("an offer whose position is not the one of its version is not written, and counted as a failure")
    void wrongPosition() {
        StreamId stream = StreamId.of("cart-3");
        AppendResult two = append(stream, 2);
        var writer = writer(snapshots, SnapshotPolicy.everyEvents(1), 10, 3);

        writer.offer(new SnapshotOffer(stream, 2, two.lastPosition() + 99, 2, 0, 0, null, 1, () -> new byte[] {2}));
        assertThat(writer.awaitIdle(WAIT)).isTrue();

        assertThat(snapshots.latest(stream, 1, Long.MAX_VALUE)).isEmpty();
        assertThat(count("eventstore.snapshot.failures", "operation", "write")).isEqualTo(1);
    }

    @Test
    @DisplayName("a store that throws: the offer still returns normally, the failure is counted, and later offers are written")
    void failingStore() {
        StreamId stream = StreamId.of("cart-4");
        AppendResult one = append(stream, 1);
        AtomicInteger calls = new AtomicInteger();
        SnapshotStore flaky = new ForwardingSnapshotStore(snapshots) {
            @Override
            public boolean save(Snapshot snapshot) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("disk full");
                }
                return super.save(snapshot);
            }
        };
        var writer = writer(flaky, SnapshotPolicy.everyEvents(1), 10, 3);

        assertThat(writer.offer(offer(stream, one, 1, T0.plus(Duration.ofMinutes(1))))).isTrue();
        assertThat(writer.awaitIdle(WAIT)).isTrue();
        assertThat(count("eventstore.snapshot.failures", "category", "cart", "operation", "write")).isEqualTo(1);

        AppendResult two = append(stream, 1);
        writer.offer(offer(stream, two, 0, null));
        assertThat(writer.awaitIdle(WAIT)).isTrue();
        assertThat(snapshots.latest(stream, 1, Long.MAX_VALUE)).get().extracting(Snapshot::version).isEqualTo(2L);
    }

    @Test
    @DisplayName("a store that blocks: offers return at once, one per stream is queued, and beyond the queue they are dropped")
    // An offer that waited for the store would wait for ever: the timeout makes that a failure
    // (a hang detector, not a speed threshold).
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void blockedStore() throws InterruptedException {
        BlockingSnapshotStore blocked = new BlockingSnapshotStore(snapshots);
        var writer = writer(blocked, SnapshotPolicy.everyEvents(1), 2, 3);
        StreamId first = StreamId.of("cart-10");
        assertThat(writer.offer(offer(first, append(first, 1), 1, now.get()))).isTrue();
        assertThat(blocked.awaitBlocked(10)).as("the writer is stuck in save").isTrue();

        int queued = 0;
        for (int i = 11; i < 21; i++) {
            StreamId stream = StreamId.of("cart-" + i);
            queued += writer.offer(offer(stream, append(stream, 1), 1, now.get())) ? 1 : 0;
        }
        assertThat(writer.offer(offer(StreamId.of("cart-11"), events.append(StreamId.of("cart-11"), ExpectedVersion.ANY,
                List.of(NewEvent.of("Happened", "{}"))), 0, null))).as("cart-11 is already queued").isFalse();

        assertThat(queued).isEqualTo(2);
        assertThat(count("eventstore.snapshot.failures", "operation", "dropped")).isEqualTo(8);
        blocked.release();
        assertThat(writer.awaitIdle(WAIT)).isTrue();
        assertThat(snapshots.all()).hasSize(3);
    }

    @Test
    @DisplayName("after writing, the stream keeps only its latest snapshots")
    void prunes() {
        StreamId stream = StreamId.of("cart-5");
        var writer = writer(snapshots, SnapshotPolicy.everyEvents(1), 10, 2);
        for (int i = 0; i < 5; i++) {
            AppendResult at = append(stream, 1);
            writer.offer(offer(stream, at, at.lastVersion(), now.get()));
            assertThat(writer.awaitIdle(WAIT)).isTrue();
        }

        assertThat(snapshots.all()).extracting(Snapshot::version).containsExactly(4L, 5L);
    }

    @Test
    @DisplayName("once closed, offers are dropped rather than refused with an exception")
    void closed() {
        StreamId stream = StreamId.of("cart-6");
        var writer = writer(snapshots, SnapshotPolicy.everyEvents(1), 10, 2);
        writer.close();

        assertThat(writer.offer(offer(stream, append(stream, 1), 1, now.get()))).isFalse();
        assertThat(count("eventstore.snapshot.failures", "operation", "dropped")).isEqualTo(1);
    }
}
