package org.pgeventstore.adapters.postgres.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.adapters.postgres.TransactionPoolingProxy;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The append notifications on a real PostgreSQL: the notifier's NOTIFY reaches a listener, the
 * listener comes back after its backend is terminated, a burst of appends costs few notifications,
 * and behind a transaction-pooling proxy the listener says it cannot listen instead of pretending.
 * Each test has a channel of its own, so that tests running at once do not wake each other.
 */
class AppendNotificationsTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final NotificationChannel channel = new NotificationChannel(
            "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
            database.jdbcUrl(), database.username(), database.password());

    private static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s: %s", bound, what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    @DisplayName("a notification sent after an append reaches the listener of another connection within 2 s")
    void notificationReachesListener() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        try (var listener = new PostgresAppendListener(channel, woken::incrementAndGet);
             var notifier = new PostgresAppendNotifier(channel, Duration.ofMillis(5))) {
            await("the listener is connected", Duration.ofSeconds(20), listener::connected);
            long before = listener.received();
            int wokenBefore = woken.get();
            notifier.appended();
            await("the notification arrives", Duration.ofSeconds(2), () -> listener.received() > before);
            assertThat(woken.get()).isGreaterThan(wokenBefore);
            assertThat(notifier.sent()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("after pg_terminate_backend of its backend, the listener reconnects, wakes the readers once, and "
            + "receives notifications again")
    void listenerReconnects() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        try (var listener = new PostgresAppendListener(channel, woken::incrementAndGet);
             var notifier = new PostgresAppendNotifier(channel, Duration.ofMillis(5))) {
            await("the listener is connected", Duration.ofSeconds(20), listener::connected);
            int first = listener.backendPid();
            terminate(first);
            await("the listener is connected to another backend", Duration.ofSeconds(20),
                    () -> listener.connected() && listener.backendPid() != first);
            int wokenAfterReconnect = woken.get();
            assertThat(wokenAfterReconnect).as("woken at the first connection and again after reconnecting")
                    .isGreaterThanOrEqualTo(2);
            long before = listener.received();
            notifier.appended();
            await("a notification after the reconnection arrives", Duration.ofSeconds(2),
                    () -> listener.received() > before);
            assertThat(woken.get()).isGreaterThan(wokenAfterReconnect);
        }
    }

    @Test
    @DisplayName("1000 appends from 8 threads are announced with far fewer notifications, the last after the last append")
    void burstIsCoalesced() throws Exception {
        // An interval well above an append's time, even on a loaded machine (at 10 ms, 1000 appends that took
        // over 2 s were allowed more than 200 notifications by the very rule under test).
        Duration minInterval = Duration.ofMillis(100);
        try (var listener = new PostgresAppendListener(channel, () -> { });
             var notifier = new PostgresAppendNotifier(channel, minInterval)) {
            await("the listener is connected", Duration.ofSeconds(20), listener::connected);
            var store = new PostgresEventStore(database.dataSource(), notifier::appended);
            String stream = "burst-" + UUID.randomUUID();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                tasks.add(() -> {
                    for (int i = 0; i < 125; i++) {
                        store.append(StreamId.of(stream), ExpectedVersion.ANY, List.of(NewEvent.of("Burst", "{}")));
                    }
                    return null;
                });
            }
            long started = System.nanoTime();
            for (Future<Void> done : writers.invokeAll(tasks)) {
                done.get();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            writers.shutdown();
            long receivedAfterBurst = listener.received();
            long sentAfterBurst = notifier.sent();
            assertThat(store.currentVersion(StreamId.of(stream))).isEqualTo(1000);
            await("the burst's trailing notification is sent", Duration.ofSeconds(2),
                    () -> notifier.sent() > 0 && listener.received() > 0);
            Thread.sleep(200);
            long sent = notifier.sent();
            assertThat(sent).as("notifications for 1000 appends in %s", took)
                    .isLessThanOrEqualTo(1000 / 5)
                    .isLessThanOrEqualTo(took.toMillis() / minInterval.toMillis() + 2);
            assertThat(sent - sentAfterBurst).as("at most one trailing notification after the last append").isLessThanOrEqualTo(1);
            assertThat(listener.received()).isGreaterThanOrEqualTo(receivedAfterBurst);
        }
    }

    @Test
    @DisplayName("behind a transaction-pooling proxy the listener reports that it cannot receive notifications and "
            + "does not fail; the notifier still sends")
    void poolerDegradesToPolling() throws Exception {
        try (var proxy = new TransactionPoolingProxy(database.jdbcUrl(), database.username())) {
            var proxied = new NotificationChannel(channel.name(), proxy.jdbcUrl(), database.username(), database.password());
            try (var listener = new PostgresAppendListener(proxied, () -> { });
                 var notifier = new PostgresAppendNotifier(proxied, Duration.ofMillis(5))) {
                notifier.appended();
                await("the notifier sends through the proxy", Duration.ofSeconds(10), () -> notifier.sent() == 1);
                Thread.sleep(5_000);
                assertThat(listener.connected()).as("a probe cannot come back through the proxy").isFalse();
            }
        }
    }

    private void terminate(int pid) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.execute();
        }
    }
}
