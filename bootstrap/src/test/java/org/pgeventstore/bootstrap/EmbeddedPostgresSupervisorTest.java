package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.aggregate.Sleeper;

/**
 * The supervisor's bounds: how often it tries, how long it pauses, when it gives up. A server whose
 * restarts fail on cue stands in for PostgreSQL; EmbeddedPostgresCrashTest kills a real one.
 */
class EmbeddedPostgresSupervisorTest {

    /** Dead until one of its restarts succeeds: the first {@code failures} of them throw. */
    private static final class FailingServer implements EmbeddedPostgresSupervisor.Server {
        private final int failures;
        private final AtomicInteger restarts = new AtomicInteger();
        private boolean running;
        private boolean closed;

        FailingServer(int failures) {
            this.failures = failures;
        }

        @Override
        public boolean hasDied() {
            return !closed && !running;
        }

        @Override
        public boolean restart() throws IOException {
            if (closed) {
                return false;
            }
            if (restarts.incrementAndGet() <= failures) {
                throw new IOException("Gave up waiting for server to start after 60000ms");
            }
            running = true;
            return true;
        }

        @Override
        public String describe() {
            return "dataDir=/nowhere port=1";
        }
    }

    private final List<Duration> pauses = new ArrayList<>();
    private final Sleeper recordPauses = pauses::add;
    private final AtomicInteger gaveUp = new AtomicInteger();

    private EmbeddedPostgresSupervisor supervising(FailingServer server, int attempts) {
        return new EmbeddedPostgresSupervisor(server, new EmbeddedPostgresSupervisor.RestartPolicy(attempts,
                Duration.ofSeconds(1), Duration.ofSeconds(3)), recordPauses, gaveUp::incrementAndGet);
    }

    @Test
    @DisplayName("a server that comes back on the third try is restarted, after pauses of 1 s and 2 s, and nobody gives up")
    void restartsWithBackoff() {
        FailingServer server = new FailingServer(2);
        try (var supervisor = supervising(server, 5)) {
            supervisor.check();
            assertThat(server.restarts).hasValue(3);
            assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(gaveUp).hasValue(0);
            assertThat(server.hasDied()).isFalse();

            supervisor.check();
            assertThat(server.restarts).as("a running server is left alone").hasValue(3);
        }
    }

    @Test
    @DisplayName("after the last failed try it gives up once, with pauses doubling up to the maximum and none after the last")
    void givesUpAfterTheLastAttempt() {
        FailingServer server = new FailingServer(Integer.MAX_VALUE);
        try (var supervisor = supervising(server, 5)) {
            supervisor.check();
            assertThat(server.restarts).hasValue(5);
            assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                    Duration.ofSeconds(3));
            assertThat(gaveUp).hasValue(1);
        }
    }

    @Test
    @DisplayName("a server closed while it is down is neither restarted nor given up on")
    void closedServer() {
        FailingServer server = new FailingServer(0);
        server.closed = true;
        try (var supervisor = supervising(server, 5)) {
            supervisor.check();
            assertThat(server.restarts).hasValue(0);
            assertThat(gaveUp).hasValue(0);
        }
    }
}
