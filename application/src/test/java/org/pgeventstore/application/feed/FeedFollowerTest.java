package org.pgeventstore.application.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;

class FeedFollowerTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final AppendSignal signal = new AppendSignal();

    /** The store, counting the pages read. */
    private final List<Integer> pagesRead = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EventStore counting = new EventStore() {
        @Override
        public org.pgeventstore.application.eventstore.AppendResult append(StreamId stream, ExpectedVersion expected,
                                                                            List<NewEvent> events) {
            return store.append(stream, expected, events);
        }

        @Override
        public org.pgeventstore.application.eventstore.StreamSlice read(StreamId stream, long fromVersion, int limit) {
            return store.read(stream, fromVersion, limit);
        }

        @Override
        public FeedPage readAll(long after, int limit, EventFilter filter) {
            FeedPage page = store.readAll(after, limit, filter);
            pagesRead.add(page.events().size());
            return page;
        }

        @Override
        public Optional<RecordedEvent> findEvent(StreamId stream, java.util.UUID eventId) {
            return store.findEvent(stream, eventId);
        }

        @Override
        public long currentVersion(StreamId stream) {
            return store.currentVersion(stream);
        }

        @Override
        public org.pgeventstore.application.eventstore.StreamListPage listStreams(
                org.pgeventstore.application.eventstore.StreamListQuery query) {
            return store.listStreams(query);
        }
    };

    private void append(String stream, int events) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(NewEvent.of("Happened", "{}"));
        }
        store.append(StreamId.of(stream), ExpectedVersion.ANY, batch);
    }

    @Test
    @DisplayName("hands out every event once in feed order, reading a page only when the previous one is consumed")
    void pagesOnDemand() throws Exception {
        append("a-1", 7);
        FeedFollower follower = new FeedFollower(counting, signal, 0, EventFilter.ALL, 3, Duration.ofHours(1));
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            positions.add(follower.next(Duration.ofSeconds(1)).orElseThrow().position());
            assertThat(pagesRead).as("pages read after %d events", i + 1).hasSize(i / 3 + 1);
        }
        assertThat(positions).isSorted().doesNotHaveDuplicates()
                .isEqualTo(store.readAll(0, 100, EventFilter.ALL).events().stream().map(RecordedEvent::position).toList());
        assertThat(follower.position()).isEqualTo(positions.getLast());
    }

    @Test
    @DisplayName("when caught up, it waits for a signal (polling hourly here) and returns the event appended meanwhile")
    void wakesOnSignal() throws Exception {
        FeedFollower follower = new FeedFollower(counting, signal, 0, EventFilter.ALL, 10, Duration.ofHours(1));
        CompletableFuture<Optional<RecordedEvent>> next = waitingNext(follower, Duration.ofSeconds(30));
        assertThat(next).isNotDone();
        append("a-2", 1);
        signal.signal();
        assertThat(next.get().orElseThrow().streamId()).isEqualTo("a-2");
    }

    @Test
    @DisplayName("with nothing new and no signal, it returns empty after the wait it was given")
    void emptyAfterMaxWait() throws Exception {
        FeedFollower follower = new FeedFollower(counting, signal, 0, EventFilter.ALL, 10, Duration.ofMillis(20));
        assertThat(follower.next(Duration.ofMillis(100))).isEmpty();
        assertThat(pagesRead).as("it polled meanwhile").hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("cancelled while it waits (polling hourly here), it returns empty at once, and so does every later call with nothing read")
    void cancelEndsTheWait() throws Exception {
        FeedFollower follower = new FeedFollower(counting, signal, 0, EventFilter.ALL, 10, Duration.ofHours(1));
        CompletableFuture<Optional<RecordedEvent>> next = waitingNext(follower, Duration.ofMinutes(5));
        assertThat(next).isNotDone();
        follower.cancel();
        assertThat(next.get(5, TimeUnit.SECONDS)).isEmpty();
        append("a-3", 1);
        assertThat(follower.next(Duration.ofMinutes(5))).as("after the cancel").isEmpty();
    }

    /** The follower's next event, asked for on another thread, once that call has read the feed and waits. */
    private CompletableFuture<Optional<RecordedEvent>> waitingNext(FeedFollower follower, Duration maxWait)
            throws InterruptedException {
        CompletableFuture<Optional<RecordedEvent>> next = CompletableFuture.supplyAsync(() -> {
            try {
                return follower.next(maxWait);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (pagesRead.isEmpty()) {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        return next;
    }
}
