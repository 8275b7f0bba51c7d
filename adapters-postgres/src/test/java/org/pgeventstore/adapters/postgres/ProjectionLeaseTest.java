package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.application.projection.ProjectionLease;

/**
 * Projection leases when their holder goes silent without closing its socket, and behind a
 * transaction-pooling proxy.
 *
 * <p>The silent holder is a JVM of its own stopped with SIGSTOP: its socket stays open and its
 * kernel still acknowledges TCP, so keepalives alone would never end its session (a host that is
 * gone fails those too, sooner). Only the holder's silence is left to detect.
 */
class ProjectionLeaseTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TAKEOVER_POLL = Duration.ofMillis(200);

    private final PostgresTestDatabase database = PostgresTestDatabase.shared();
    private final String projection = "lease-test-" + UUID.randomUUID();

    /** The lease holder in a JVM of its own, whose output lines arrive in {@link #lines}. */
    private static final class HolderProcess implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        HolderProcess(List<String> arguments) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    LeaseHolder.class.getName()));
            command.addAll(arguments);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    reader.lines().forEach(lines::add);
                } catch (IOException ignored) {
                    // The process ended.
                }
            });
        }

        void awaitLine(String wanted, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                assertThat(left).as("the holder prints %s within %s", wanted, timeout).isPositive();
                String line = lines.poll(left, TimeUnit.MILLISECONDS);
                if (wanted.equals(line)) {
                    return;
                }
            }
        }

        void signal(String signal) throws IOException, InterruptedException {
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor())
                    .as("kill -%s", signal).isZero();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    @DisplayName("a holder frozen with SIGSTOP (socket open, kernel still answering) loses its lease within its timeout")
    void frozenHolderIsTakenOver() throws Exception {
        try (HolderProcess holder = new HolderProcess(List.of(database.jdbcUrl(), database.username(),
                database.password(), projection, TIMEOUT.toString()));
             HikariDataSource standbyPool = database.newPool(3)) {
            holder.awaitLine("lease_held", Duration.ofSeconds(30));
            PostgresProjectionLeases standby = new PostgresProjectionLeases(standbyPool, TIMEOUT);
            assertThat(standby.tryAcquire(projection)).as("held by the other process").isEmpty();

            holder.signal("STOP");
            Instant frozen = Instant.now();
            // The server ends the silent session after TIMEOUT; the standby tries every TAKEOVER_POLL.
            Instant deadline = frozen.plus(TIMEOUT).plus(TAKEOVER_POLL).plusSeconds(3);
            Optional<ProjectionLease> taken = Optional.empty();
            while (taken.isEmpty()) {
                assertThat(Instant.now()).as("the standby takes the lease over within %s of the freeze, plus slack",
                        TIMEOUT).isBefore(deadline);
                Thread.sleep(TAKEOVER_POLL.toMillis());
                taken = standby.tryAcquire(projection);
            }
            // The server counts the timeout from the holder's last heartbeat, up to a quarter of it
            // before the freeze.
            assertThat(Duration.between(frozen, Instant.now())).as("not before the timeout since the last heartbeat")
                    .isGreaterThanOrEqualTo(TIMEOUT.minus(TIMEOUT.dividedBy(4)));
            try (ProjectionLease lease = taken.get()) {
                holder.signal("CONT");
                holder.awaitLine("lease_lost", Duration.ofSeconds(10));
                assertThat(lease.isHeld()).as("the standby holds it").isTrue();
                assertThat(standby.tryAcquire(projection)).as("and only the standby").isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a holder that goes on speaking keeps its lease well past the timeout, even when its runner is busy")
    void liveHolderKeepsItsLease() throws Exception {
        try (HikariDataSource holderPool = database.newPool(3); HikariDataSource standbyPool = database.newPool(3)) {
            PostgresProjectionLeases holder = new PostgresProjectionLeases(holderPool, Duration.ofSeconds(1));
            PostgresProjectionLeases standby = new PostgresProjectionLeases(standbyPool, Duration.ofSeconds(1));
            try (ProjectionLease lease = holder.tryAcquire(projection).orElseThrow()) {
                Instant until = Instant.now().plusSeconds(4);
                while (Instant.now().isBefore(until)) {
                    assertThat(standby.tryAcquire(projection)).as("still held").isEmpty();
                    Thread.sleep(250);
                }
                assertThat(lease.isHeld()).isTrue();
            }
            try (ProjectionLease next = standby.tryAcquire(projection).orElseThrow()) {
                assertThat(next.isHeld()).as("given up on close, taken at once").isTrue();
            }
        }
    }

    @Test
    @DisplayName("behind a transaction-pooling proxy, leases are refused, naming the cause; a direct pool passes")
    void transactionPoolerIsRefused() throws Exception {
        try (TransactionPoolingProxy proxy = new TransactionPoolingProxy(database.jdbcUrl(), database.username());
             HikariDataSource first = pool(proxy.jdbcUrl());
             HikariDataSource second = pool(proxy.jdbcUrl());
             HikariDataSource direct = database.newPool(2)) {
            PostgresProjectionLeases pooled = new PostgresProjectionLeases(first);
            assertThatThrownBy(pooled::requireOwnSessions).isInstanceOf(PostgresProjectionLeases.SessionsShared.class)
                    .hasMessageContaining("transaction-pooling proxy").hasMessageContaining("pool_mode=session");
            assertThatThrownBy(() -> new PostgresProjectionLeases(second).tryAcquire(projection))
                    .as("no lease through it either").isInstanceOf(PostgresProjectionLeases.SessionsShared.class);

            PostgresProjectionLeases own = new PostgresProjectionLeases(direct);
            own.requireOwnSessions();
            try (ProjectionLease lease = own.tryAcquire(projection).orElseThrow()) {
                assertThat(lease.isHeld()).isTrue();
            }
        }
    }

    private HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
