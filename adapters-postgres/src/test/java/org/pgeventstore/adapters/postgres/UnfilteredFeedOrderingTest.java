package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The unfiltered feed (every category) under transactions that commit late and out of order,
 * checked by what it delivers: a reader paging it while writers run gets every stored event exactly
 * once, in position order, each stream in version order, the same rows the events table holds. On
 * a database of its own, so that the whole feed is this test's.
 */
class UnfilteredFeedOrderingTest {

    private static final int WRITERS = 6;
    private static final int APPENDS_PER_WRITER = 24;
    private static final List<String> CATEGORIES = List.of("alpha", "beta", "gamma");
    /** How long the late writer keeps each of its transactions open while the others commit. */
    private static final Duration HOLD = Duration.ofMillis(150);
    /**
     * The feed withholds events while any older transaction on the server runs, another database's
     * included; a reader waits this long at most for the last committed ones.
     */
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(30);

    private static ScratchDatabase database;
    private static PostgresEventStore store;

    @BeforeAll
    static void createDatabase() {
        database = ScratchDatabase.create("unfiltered_feed");
        store = new PostgresEventStore(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static long lastStoredPosition() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(max(position), 0) FROM events")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The events table after {@code position}, read directly, in position order. */
    private static List<RecordedEvent> storedAfter(long position) throws SQLException {
        String sql = "SELECT " + EventRows.COLUMNS + " FROM events e WHERE e.position > ? ORDER BY e.position";
        List<RecordedEvent> events = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, position);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(EventRows.recordedEvent(rows));
                }
            }
        }
        return events;
    }

    /** Pages the unfiltered feed after {@code after} until it is empty. */
    private static List<RecordedEvent> readToEnd(long after) {
        List<RecordedEvent> events = new ArrayList<>();
        while (true) {
            FeedPage page = store.readAll(after, 7, EventFilter.ALL);
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
            after = page.next();
        }
    }

    private static List<NewEvent> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> NewEvent.of("Quick", "{\"i\": " + i + "}")).toList();
    }

    @Test
    @DisplayName("an event committed after a later-positioned one of another category is withheld until it commits, then comes first")
    void lateCommitIsWithheldThenDeliveredFirst() throws Exception {
        long start = lastStoredPosition();
        try (var pool = database.newPool(2); var early = new OpenAppend(pool, "alpha-early", 1)) {
            List<NewEvent> later = events(1);
            var appended = store.append(StreamId.of("beta-later"), ExpectedVersion.ANY, later);

            assertThat(readToEnd(start)).as("nothing is handed out while an older transaction may still commit").isEmpty();

            List<UUID> earlyIds = early.commit();
            long deadline = System.nanoTime() + DELIVERY_BOUND.toNanos();
            List<RecordedEvent> delivered = readToEnd(start);
            while (delivered.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                delivered = readToEnd(start);
            }
            assertThat(delivered).extracting(RecordedEvent::eventId)
                    .containsExactly(earlyIds.getFirst(), later.getFirst().eventId());
            assertThat(delivered.getLast().position()).isEqualTo(appended.lastPosition());
            assertThat(delivered).containsExactlyElementsOf(storedAfter(start));
        }
    }

    @RepeatedTest(3)
    @DisplayName("6 writers in 3 categories, one holding its transactions open, 1 reader paging every category: each stored event once, in order")
    void concurrentWritersAndReader() throws Exception {
        long start = lastStoredPosition();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        List<RecordedEvent> seen = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch writersDone = new CountDownLatch(WRITERS);
        CountDownLatch allWritten = new CountDownLatch(1);
        int[] deliveredWhileWriting = new int[1];

        try (var pool = database.newPool(WRITERS + 2)) {
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2);
            try {
                Future<?> reader = threads.submit(() -> {
                    go.await();
                    long after = start;
                    while (allWritten.getCount() > 0) {
                        FeedPage page = store.readAll(after, 17, EventFilter.ALL);
                        seen.addAll(page.events());
                        deliveredWhileWriting[0] += page.events().size();
                        after = page.next();
                    }
                    // The writers are done: read on until the last stored event has come.
                    long last = lastStoredPosition();
                    long deadline = System.nanoTime() + DELIVERY_BOUND.toNanos();
                    while (after < last && System.nanoTime() < deadline) {
                        FeedPage page = store.readAll(after, 17, EventFilter.ALL);
                        seen.addAll(page.events());
                        after = page.next();
                    }
                    return null;
                });
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(threads.submit(() -> {
                        go.await();
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        try {
                            for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                                // Half the appends share streams across writers, so versions interleave.
                                String stream = CATEGORIES.get((writer + i) % CATEGORIES.size()) + "-" + run
                                        + (i % 2 == 0 ? "w" + writer : "shared" + (i % 3));
                                if (i % 3 == 0) {
                                    List<NewEvent> quick = events(1 + random.nextInt(3));
                                    store.append(StreamId.of(stream), ExpectedVersion.ANY, quick);
                                    quick.forEach(event -> committed.add(event.eventId()));
                                    continue;
                                }
                                try (var append = new OpenAppend(pool, stream, 1 + random.nextInt(3))) {
                                    Thread.sleep(random.nextInt(10));
                                    if (random.nextInt(10) == 0) {
                                        append.rollback();
                                        rolledBack.addAll(append.ids());
                                    } else {
                                        committed.addAll(append.commit());
                                    }
                                }
                            }
                        } finally {
                            writersDone.countDown();
                        }
                        return null;
                    }));
                }
                // The late writer: each of its transactions stays open while the others commit after it.
                writers.add(threads.submit(() -> {
                    go.await();
                    do {
                        try (var held = new OpenAppend(pool, "delta-" + run + "late", 2)) {
                            Thread.sleep(HOLD.toMillis());
                            committed.addAll(held.commit());
                        }
                    } while (writersDone.getCount() > 0);
                    return null;
                }));
                go.countDown();
                for (Future<?> writer : writers) {
                    writer.get(2, TimeUnit.MINUTES);
                }
                allWritten.countDown();
                reader.get(DELIVERY_BOUND.plusMinutes(1).toSeconds(), TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }

        List<RecordedEvent> stored = storedAfter(start);
        assertThat(stored).extracting(RecordedEvent::eventId).as("the table holds every committed append and nothing else")
                .containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seen).extracting(RecordedEvent::eventId).doesNotContainAnyElementsOf(rolledBack);
        EventStoreContract.assertFeedIsExactlyOnce(seen, stored);
        assertThat(seen).as("the rows delivered are the rows stored, position for position").containsExactlyElementsOf(stored);
        System.out.printf("event=unfiltered_feed_done stored=%d rolledBack=%d deliveredWhileWriting=%d%n",
                stored.size(), rolledBack.size(), deliveredWhileWriting[0]);
    }

}
