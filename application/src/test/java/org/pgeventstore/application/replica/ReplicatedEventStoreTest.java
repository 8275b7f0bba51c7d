package org.pgeventstore.application.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;

/**
 * Where {@link ReplicatedEventStore} reads, with two in-memory stores standing for primary and
 * replica (the replica "replays" by copying appends over) and a replica status the test controls.
 * The real standby is in bootstrap's StreamingReplicaTest.
 */
class ReplicatedEventStoreTest {

    private static final StreamId STREAM = StreamId.of("order-1");

    private final InMemoryEventStore primary = new InMemoryEventStore();
    private final InMemoryEventStore replicaStore = new InMemoryEventStore();
    private final AtomicBoolean replicaDown = new AtomicBoolean();
    private final AtomicLong replicaBound = new AtomicLong();
    private final List<String> counted = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    /** A wait of the routing replays the replica after {@code replayAfterPauses} pauses; -1 never. */
    private int replayAfterPauses = -1;

    private final ReplicaStatus status = new ReplicaStatus() {
        @Override
        public long visibleBound() {
            unavailableWhenDown();
            return replicaBound.get();
        }

        @Override
        public ReplicaLag lag() {
            unavailableWhenDown();
            return new ReplicaLag(Duration.ZERO, 0, replicaBound.get());
        }
    };

    private final EventStore replica = new EventStore() {
        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            throw new AssertionError("nothing is appended to the replica");
        }

        @Override
        public StreamSlice read(StreamId stream, long fromVersion, int limit) {
            unavailableWhenDown();
            return replicaStore.read(stream, fromVersion, limit);
        }

        @Override
        public FeedPage readAll(long after, int limit, EventFilter filter) {
            unavailableWhenDown();
            return replicaStore.readAll(after, limit, filter);
        }

        @Override
        public Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
            unavailableWhenDown();
            return replicaStore.findEvent(stream, eventId);
        }

        @Override
        public long currentVersion(StreamId stream) {
            unavailableWhenDown();
            return replicaStore.currentVersion(stream);
        }

        @Override
        public org.pgeventstore.application.eventstore.StreamListPage listStreams(
                org.pgeventstore.application.eventstore.StreamListQuery query) {
            unavailableWhenDown();
            return replicaStore.listStreams(query);
        }
    };

    private final Sleeper sleeper = pause -> {
        pauses.add(pause);
        if (pauses.size() == replayAfterPauses) {
            replay();
        }
    };

    private final ReplicaRouting routing = new ReplicaRouting(status, Duration.ofSeconds(2), sleeper, Clock.systemUTC(),
            new ReplicaMetrics() {
                @Override
                public void waited(boolean caughtUp) {
                    counted.add(caughtUp ? "waited:caught_up" : "waited:timed_out");
                }

                @Override
                public void fellBack(Fallback reason) {
                    counted.add("fell_back:" + reason);
                }
            });

    private final ReplicatedEventStore store = new ReplicatedEventStore(primary, replica, routing);

    private void unavailableWhenDown() {
        if (replicaDown.get()) {
            throw new EventStoreUnavailable("the replica is down", null);
        }
    }

    private AppendResult appendOnPrimary() {
        return store.append(STREAM, ExpectedVersion.ANY, List.of(NewEvent.of("Made", "{}")));
    }

    /** The replica catches up with the primary. */
    private void replay() {
        long after = replicaStore.readAll(0, 10_000, EventFilter.ALL).events().size();
        primary.readAll(0, 10_000, EventFilter.ALL).events().stream().skip(after)
                .forEach(event -> replicaStore.append(StreamId.of(event.streamId()), ExpectedVersion.ANY,
                        List.of(NewEvent.of(event.type(), event.data()))));
        replicaBound.set(primary.readAll(0, 10_000, EventFilter.ALL).events().getLast().position() + 1);
    }

    @Test
    @DisplayName("appends go to the primary and reads to the replica, which may trail")
    void appendsToThePrimaryReadsFromTheReplica() {
        appendOnPrimary();
        assertThat(store.read(STREAM, 1, 10).version()).as("not replayed yet").isZero();
        replay();
        assertThat(store.read(STREAM, 1, 10).version()).isEqualTo(1);
        assertThat(counted).isEmpty();
    }

    @Nested
    @DisplayName("a read with a position to reflect")
    class ReadYourWrites {

        @Test
        @DisplayName("waits for the replica while it replays, then reads there")
        void waitsForTheReplica() {
            long position = appendOnPrimary().lastPosition();
            replayAfterPauses = 3;
            assertThat(store.reflecting(position).read(STREAM, 1, 10).version()).isEqualTo(1);
            assertThat(pauses).hasSize(3);
            assertThat(counted).containsExactly("waited:caught_up");
        }

        @Test
        @DisplayName("reads the primary when the replica has not replayed it within the wait")
        void fallsBackToThePrimaryWhenBehind() {
            long position = appendOnPrimary().lastPosition();
            assertThat(store.reflecting(position).read(STREAM, 1, 10).version()).isEqualTo(1);
            assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(2));
            assertThat(counted).containsExactly("waited:timed_out", "fell_back:BEHIND");
        }

        @Test
        @DisplayName("does not wait for a position the replica has")
        void noWaitWhenReplayed() {
            long position = appendOnPrimary().lastPosition();
            replay();
            assertThat(store.reflecting(position).read(STREAM, 1, 10).version()).isEqualTo(1);
            assertThat(pauses).isEmpty();
            assertThat(counted).isEmpty();
        }
    }

    @Nested
    @DisplayName("an unreachable replica")
    class Outage {

        @Test
        @DisplayName("hands the failed read and the reads after it to the primary, until a look finds it again")
        void readsGoToThePrimary() {
            appendOnPrimary();
            replicaDown.set(true);
            assertThat(store.read(STREAM, 1, 10).version()).as("served by the primary").isEqualTo(1);
            assertThat(routing.condition().reachable()).isFalse();
            assertThat(store.readAll(0, 10, EventFilter.ALL).events()).hasSize(1);
            assertThat(counted).containsExactly("fell_back:UNREACHABLE", "fell_back:UNREACHABLE");

            replicaDown.set(false);
            assertThat(routing.probe().reachable()).isTrue();
            assertThat(store.read(STREAM, 1, 10).version()).as("the replica again, not replayed yet").isZero();
        }

        @Test
        @DisplayName("is not assumed by a read whose own thread was interrupted")
        void interruptedReadIsNoOutage() {
            replicaDown.set(true);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> store.read(STREAM, 1, 10)).isInstanceOf(EventStoreUnavailable.class);
            } finally {
                Thread.interrupted();
            }
            assertThat(routing.condition().reachable()).isTrue();
            assertThat(counted).isEmpty();
        }
    }
}
