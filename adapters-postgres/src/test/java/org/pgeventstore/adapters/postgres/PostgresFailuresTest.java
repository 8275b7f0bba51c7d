package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InvalidEventData;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * What the translator makes of the errors a real PostgreSQL raises: a statement the server gave up
 * on may be retried (503), data that is not storable JSON is the client's fault (4xx), anything else
 * is the server's (500).
 */
class PostgresFailuresTest {

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    private SQLException failureOf(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected PostgreSQL to refuse: " + sql);
    }

    private static long randomLockKey() {
        return ThreadLocalRandom.current().nextLong();
    }

    @Nested
    @DisplayName("a statement PostgreSQL gave up on is a retryable unavailability")
    class GaveUp {

        @Test
        @DisplayName("57014: cancelled by statement_timeout")
        void statementTimeout() throws SQLException {
            SQLException e;
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = '50ms'");
                e = catchSql(() -> statement.execute("SELECT pg_sleep(5)"));
            }
            assertThat(e.getSQLState()).isEqualTo("57014");
            assertThat(PostgresFailures.translate("read", e)).isInstanceOf(EventStoreUnavailable.class)
                    .hasMessageContaining("57014");
        }

        @Test
        @DisplayName("55P03: lock_timeout while another connection holds the lock")
        void lockTimeout() throws SQLException {
            long key = randomLockKey();
            SQLException e;
            try (Connection holder = connect(); Statement holding = holder.createStatement();
                 Connection waiter = connect(); Statement waiting = waiter.createStatement()) {
                holding.execute("SELECT pg_advisory_lock(" + key + ")");
                waiting.execute("SET lock_timeout = '100ms'");
                e = catchSql(() -> waiting.execute("SELECT pg_advisory_lock(" + key + ")"));
            }
            assertThat(e.getSQLState()).isEqualTo("55P03");
            assertThat(PostgresFailures.translate("append", e)).isInstanceOf(EventStoreUnavailable.class)
                    .hasMessageContaining("55P03");
        }

        @Test
        @DisplayName("40P01: one of two connections that wait for each other's lock is chosen as the deadlock victim")
        void deadlock() throws Exception {
            long first = randomLockKey();
            long second = randomLockKey();
            CyclicBarrier bothHoldOne = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<SQLException>> outcomes = new ArrayList<>();
                outcomes.add(threads.submit(() -> lockBoth(first, second, bothHoldOne)));
                outcomes.add(threads.submit(() -> lockBoth(second, first, bothHoldOne)));
                List<SQLException> failures = new ArrayList<>();
                for (Future<SQLException> outcome : outcomes) {
                    SQLException failure = outcome.get(30, TimeUnit.SECONDS);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
                assertThat(failures).as("exactly one victim").hasSize(1);
                SQLException e = failures.getFirst();
                assertThat(e.getSQLState()).isEqualTo("40P01");
                assertThat(PostgresFailures.translate("append", e)).isInstanceOf(EventStoreUnavailable.class)
                        .hasMessageContaining("40P01");
            } finally {
                threads.shutdownNow();
            }
        }

        /** Takes {@code mine}, waits until the other thread holds its own, then asks for {@code theirs}. */
        private SQLException lockBoth(long mine, long theirs, CyclicBarrier bothHoldOne) throws Exception {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("BEGIN");
                statement.execute("SELECT pg_advisory_xact_lock(" + mine + ")");
                bothHoldOne.await(10, TimeUnit.SECONDS);
                try {
                    statement.execute("SELECT pg_advisory_xact_lock(" + theirs + ")");
                    statement.execute("COMMIT");
                    return null;
                } catch (SQLException victim) {
                    return victim;
                }
            }
        }
    }

    @Nested
    @DisplayName("data that is not JSON PostgreSQL can store is invalid event data")
    class NotJson {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
                "SELECT '{not json'::jsonb",                   // 22P02 invalid input syntax for type json
                "SELECT '{\"a\": \"\\x\"}'::jsonb",            // 22P02 invalid escape in a JSON string
                "SELECT '{\"a\": \"\\u0000\"}'::jsonb"})       // 22P05 \u0000 has no text form in jsonb
        void jsonParseErrors(String sql) throws SQLException {
            SQLException e = failureOf(sql);
            assertThat(e.getSQLState()).startsWith("22");
            assertThat(PostgresFailures.translate("append", e)).isInstanceOf(InvalidEventData.class);
        }

        @Test
        @DisplayName("an append whose data holds \\u0000 is refused as invalid data, and nothing is stored")
        void nulCharacterThroughTheStore() {
            var store = new PostgresEventStore(database.dataSource());
            var stream = StreamId.of("failures-" + UUID.randomUUID());
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.ANY,
                    List.of(NewEvent.of("Nul", "{\"text\": \"a\\u0000b\"}"))))
                    .isInstanceOf(InvalidEventData.class);
            assertThat(store.currentVersion(stream)).isZero();
        }

        @Test
        @DisplayName("data that is JSON but not an object breaks the events_data_is_object check")
        void dataNotAnObject() {
            var store = new PostgresEventStore(database.dataSource());
            var stream = StreamId.of("failures-" + UUID.randomUUID());
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.ANY, List.of(NewEvent.of("List", "[1, 2]"))))
                    .isInstanceOf(InvalidEventData.class)
                    .satisfies(e -> assertThat(((InvalidEventData) e).field()).isEqualTo("data"));
        }
    }

    @Nested
    @DisplayName("other data exceptions are faults of the server, not of the client's data")
    class ServerFaults {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
                "SELECT 'x'::int",                          // 22P02, but for an integer, not JSON
                "SELECT 1/0",                               // 22012 division by zero
                "SELECT 'a' LIKE 'a' ESCAPE 'ab'",          // 22025, an invalid LIKE escape, not JSON
                "SELECT (2147483647 + 1)::int"})            // 22003 integer out of range
        void otherDataExceptions(String sql) throws SQLException {
            SQLException e = failureOf(sql);
            assertThat(e.getSQLState()).startsWith("22");
            assertThat(PostgresFailures.translate("append", e)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("a check constraint other than the events' JSON-object checks")
        void otherCheckViolation() throws SQLException {
            SQLException e;
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE failures_probe (n int CONSTRAINT failures_probe_positive CHECK (n > 0))");
                e = catchSql(() -> statement.execute("INSERT INTO failures_probe VALUES (0)"));
            }
            assertThat(e.getSQLState()).isEqualTo("23514");
            assertThat(PostgresFailures.translate("save", e)).isInstanceOf(IllegalStateException.class);
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static SQLException catchSql(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected PostgreSQL to refuse the statement");
    }
}
