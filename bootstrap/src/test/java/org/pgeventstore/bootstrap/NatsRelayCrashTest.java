package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariDataSource;
import io.nats.client.api.MessageInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.nats.JetStreamEventPublisher;
import org.pgeventstore.adapters.nats.JetStreamSettings;
import org.pgeventstore.adapters.nats.NatsTestServer;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.adapters.postgres.projection.PostgresFeedBacklog;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.adapters.postgres.relay.PostgresRelayCheckpoint;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.relay.EventPublisher;
import org.pgeventstore.application.relay.EventRelay;
import org.pgeventstore.application.relay.PublishFailed;
import org.pgeventstore.application.relay.RelayMessage;
import org.pgeventstore.application.relay.RelayMessages;
import org.pgeventstore.application.relay.RelaySettings;

/**
 * A relay that dies mid-batch while 8 writers append on real PostgreSQL, and a second instance
 * that takes over: the JetStream stream ends up with every event of the feed once, in feed order.
 */
class NatsRelayCrashTest {

    private static final int WRITERS = 8;
    private static final int EVENTS_PER_WRITER = 150;
    private static final int CRASH_AFTER_APPENDS = 400;
    private static final String RELAY = "nats-relay";

    /**
     * Relay A's publisher: on the first batch once {@link #CRASH_AFTER_APPENDS} events were
     * appended, it has the first half of the batch acknowledged, then the instance dies: its NATS
     * connection is closed, its lease session is ended by the server, and its thread never comes back.
     */
    private static final class DyingInstance implements EventPublisher {
        private final JetStreamEventPublisher publisher;
        private final Runnable endLeaseSession;
        private final AtomicInteger appended;
        private final CountDownLatch died = new CountDownLatch(1);
        private volatile int appendedAtDeath = -1;

        DyingInstance(JetStreamEventPublisher publisher, Runnable endLeaseSession, AtomicInteger appended) {
            this.publisher = publisher;
            this.endLeaseSession = endLeaseSession;
            this.appended = appended;
        }

        @Override
        public int publish(List<RelayMessage> batch) {
            if (died.getCount() == 0) {
                throw new PublishFailed("this instance is dead");
            }
            if (appended.get() < CRASH_AFTER_APPENDS || batch.size() < 2) {
                return publisher.publish(batch);
            }
            publisher.publish(batch.subList(0, batch.size() / 2));
            publisher.close();
            endLeaseSession.run();
            appendedAtDeath = appended.get();
            died.countDown();
            try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
                throw new PublishFailed("died mid-batch");
            }
        }

        private static EventRelay relay(DataSource pool, EventPublisher publisher, JetStreamSettings settings,
                                        AppendSignal signal) {
            RelaySettings relaySettings = RelaySettings.DEFAULT.withBatchSize(50)
                    .withRetryDelays(Duration.ofMillis(20), Duration.ofMillis(200))
                    .withTakeoverInterval(Duration.ofMillis(100));
            return new EventRelay(new PostgresRelayCheckpoint(pool, RELAY), new PostgresEventStore(pool), publisher,
                    new RelayMessages(settings.subjectPrefix()), relaySettings,
                    new PostgresProjectionLeases(pool, Duration.ofSeconds(1)), signal, new PostgresFeedBacklog(pool),
                    "test");
        }

        /** What the server does when the instance holding a lease is gone: it ends the lease's session. */
        private static void endLeaseSession(DataSource database) {
            try (Connection connection = database.getConnection();
                 PreparedStatement statement = connection.prepareStatement("""
                         SELECT pg_terminate_backend(pid) FROM pg_locks
                          WHERE locktype = 'advisory' AND classid = ?::oid AND objid = hashtext(?)::oid AND granted
                            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                         """)) {
                statement.setInt(1, PostgresProjectionLeases.LOCK_CLASS);
                statement.setString(2, RELAY);
                statement.executeQuery().close();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("end the lease session of relay A", e);
            }
        }

        private static void append(PostgresEventStore store, String stream, int events, int writer, AtomicInteger appended,
                               AppendSignal signal) {
        List<NewEvent> batch = new ArrayList<>();
        for (int e = 0; e < events; e++) {
            batch.add(new NewEvent(UUID.randomUUID(), "Noted", "{\"writer\": " + writer + ", \"e\": " + e + "}",
                    "{\"correlationId\": \"w" + writer + "\"}"));
        }
        store.append(StreamId.of(stream), ExpectedVersion.ANY, batch);
        appended.addAndGet(events);
        signal.signal();
    }

    private static List<RecordedEvent> feed(DataSource database) {
            PostgresEventStore store = new PostgresEventStore(database);
            List<RecordedEvent> events = new ArrayList<>();
            long after = 0;
            for (FeedPage page = store.readAll(after, 1000, EventFilter.ALL); !page.events().isEmpty();
                 page = store.readAll(page.next(), 1000, EventFilter.ALL)) {
                events.addAll(page.events());
            }
            return events;
        }

        @Test
        @DisplayName("8 writers append, the relaying instance dies mid-batch and another takes over: JetStream holds "
                + "each event of the feed once, in feed order")
        void takeoverAfterACrashPublishesEachEventOnceInOrder() throws Exception {
            String url = NatsTestServer.url();
            JetStreamSettings settings = NatsTestServer.uniqueStream(url, "crash");
            AppendSignal signal = new AppendSignal();
            AtomicInteger appended = new AtomicInteger();
            EventRelay a = null;
            EventRelay b = null;
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try (ScratchDatabase database = ScratchDatabase.create("relay_crash");
                 HikariDataSource writerPool = database.newPool(WRITERS);
                 HikariDataSource poolA = database.newPool(3);
                 HikariDataSource poolB = database.newPool(3);
                 JetStreamEventPublisher publisherB = new JetStreamEventPublisher(settings)) {
                try {
                DyingInstance dying = new DyingInstance(new JetStreamEventPublisher(settings),
                        () -> endLeaseSession(database.dataSource()), appended);
                EventRelay relayA = relay(poolA, dying, settings, signal);
                a = relayA;
                b = relay(poolB, publisherB, settings, signal);
                a.start();
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    while (!relayA.isActive()) {
                        Thread.sleep(5);
                    }
                });
                b.start();

                PostgresEventStore store = new PostgresEventStore(writerPool);
                List<Future<?>> writing = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writing.add(writers.submit(() -> {
                        for (int i = 0; i < EVENTS_PER_WRITER; i++) {
                            if (i == EVENTS_PER_WRITER / 2 && !dying.died.await(60, TimeUnit.SECONDS)) {
                                throw new AssertionError("relay A did not die within 60 s");
                            }
                            append(store, "order-w" + writer + "x" + (i % 4), 1, writer, appended, signal);
                        }
                        return null;
                    }));
                }
                // The writers wait half-way for A to die; should A have caught up with them by then,
                // bursts of events committed together hand it a batch of several to die in.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (dying.died.getCount() > 0) {
                    assertThat(System.nanoTime()).as("relay A dies within 60 s").isLessThan(deadline);
                    if (appended.get() >= WRITERS * EVENTS_PER_WRITER / 2) {
                        append(store, "order-burst", 10, -1, appended, signal);
                    }
                    dying.died.await(50, TimeUnit.MILLISECONDS);
                }
                for (Future<?> writer : writing) {
                    writer.get(120, TimeUnit.SECONDS);
                }
                EventRelay relayB = b;
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    while (!relayB.isActive() || relayB.lagEvents() > 0) {
                        Thread.sleep(20);
                    }
                }, "relay B takes over and catches up");

                List<String> feedIds = feed(database.dataSource()).stream().map(e -> e.eventId().toString()).toList();
                List<MessageInfo> stored = NatsTestServer.messages(url, settings.streamName());
                assertThat(feedIds).hasSize(appended.get());
                assertThat(stored.stream().map(m -> m.getHeaders().getFirst("Nats-Msg-Id")).toList())
                        .as("each event once, in feed order").isEqualTo(feedIds);
                assertThat(stored.stream().map(m -> m.getHeaders().getFirst(RelayMessages.POSITION))
                        .map(Long::parseLong).toList()).isSorted();
                assertThat(dying.appendedAtDeath).as("A died while the writers were appending")
                        .isLessThanOrEqualTo(appended.get() - WRITERS * EVENTS_PER_WRITER / 2);
                assertThat(relayA.publishedEvents()).as("A published before it died").isPositive();
                assertThat(relayB.duplicateEvents()).as("B sent again the half batch A had stored but not checkpointed")
                        .isPositive();
            } finally {
                // Before the pools close, so that no relay finds its database gone.
                writers.shutdownNow();
                if (a != null) {
                    a.stop();
                }
                if (b != null) {
                    b.stop();
                }
            }
        } finally {
            NatsTestServer.deleteStream(url, settings.streamName());
        }
    }
}
