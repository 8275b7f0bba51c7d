package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStoreContract;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The global feed's guarantee under transactions that commit late and out of order:
 * a reader paging concurrently sees every committed event exactly once, in position
 * order, each stream in version order, and never an event of a rolled-back append.
 */
class GlobalFeedOrderingTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final PostgresEventStore store = new PostgresEventStore(database.dataSource());
    private final String category = "feed" + UUID.randomUUID().toString().replace("-", "");

    private List<RecordedEvent> readToEnd(long after) {
        List<RecordedEvent> events = new ArrayList<>();
        while (true) {
            FeedPage page = store.readAll(after, 50, EventFilter.category(category));
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
            after = page.next();
        }
    }

    @Test
    @DisplayName("an event committed after a later-positioned one is not skipped: the later one waits for it")
    void lateCommitIsNotSkipped() throws Exception {
        try (var pool = database.newPool(4)) {
            var early = new OpenAppend(pool, category + "-early", 1);
            store.append(StreamId.of(category + "-late"), ExpectedVersion.ANY, List.of(NewEvent.of("Done", "{}")));

            assertThat(readToEnd(0)).as("the committed event must wait while an older transaction runs").isEmpty();

            List<UUID> earlyIds = early.commit();
            early.close();
            List<RecordedEvent> seen = readToEnd(0);
            assertThat(seen).hasSize(2);
            assertThat(seen.getFirst().eventId()).isEqualTo(earlyIds.getFirst());
            assertThat(seen.get(1).streamId()).isEqualTo(category + "-late");
        }
    }

    @Test
    @DisplayName("a rolled-back append never appears and does not hold the feed back")
    void rollbackNeverAppears() throws Exception {
        try (var pool = database.newPool(4)) {
            var doomed = new OpenAppend(pool, category + "-doomed", 3);
            doomed.rollback();
            doomed.close();
            store.append(StreamId.of(category + "-kept"), ExpectedVersion.ANY, List.of(NewEvent.of("Kept", "{}")));
            assertThat(readToEnd(0)).extracting(RecordedEvent::streamId).containsExactly(category + "-kept");
        }
    }

    @RepeatedTest(3)
    @DisplayName("8 writers holding transactions open for random times, 1 reader paging: every committed event once, in order")
    void concurrentWritersAndReader() throws Exception {
        int writers = 8;
        int appendsPerWriter = 30;
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);

        try (var pool = database.newPool(writers + 2)) {
            ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
            Future<?> reader = threads.submit(() -> {
                long after = 0;
                while (true) {
                    boolean wasWriting = writing.get();
                    FeedPage page = store.readAll(after, 17, EventFilter.category(category));
                    seen.addAll(page.events());
                    after = page.next();
                    if (page.events().isEmpty() && !wasWriting) {
                        return null;
                    }
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writing8 = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing8.add(threads.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < appendsPerWriter; i++) {
                        // Half the appends share streams across writers, so versions interleave.
                        String stream = category + "-" + (i % 2 == 0 ? "w" + writer : "shared" + (i % 3));
                        try (var append = new OpenAppend(pool, stream, 1 + random.nextInt(3))) {
                            Thread.sleep(random.nextInt(12));
                            if (random.nextInt(10) == 0) {
                                append.rollback();
                                rolledBack.addAll(append.ids());
                            } else {
                                committed.addAll(append.commit());
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : writing8) {
                w.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            reader.get(1, TimeUnit.MINUTES);
            threads.shutdownNow();
        }

        List<RecordedEvent> all = readToEnd(0);
        assertThat(all).extracting(RecordedEvent::eventId).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seen).extracting(RecordedEvent::eventId).doesNotContainAnyElementsOf(rolledBack);
        EventStoreContract.assertFeedIsExactlyOnce(seen, all);
    }
}
