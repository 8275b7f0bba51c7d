package org.pgeventstore.adapters.postgres.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.ScratchDatabase;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.application.projection.CheckpointMoved;

class PostgresRelayCheckpointTest {

    @Test
    @DisplayName("starts at 0, moves only from where it is, and keeps its position beside the projections' checkpoints")
    void compareAndSet() {
        try (ScratchDatabase database = ScratchDatabase.create("relay_checkpoint")) {
            PostgresRelayCheckpoint checkpoint = new PostgresRelayCheckpoint(database.dataSource(), "nats-relay");
            assertThat(checkpoint.position()).isZero();

            checkpoint.moveTo(0, 42);
            assertThatThrownBy(() -> checkpoint.moveTo(0, 99)).isInstanceOf(CheckpointMoved.class)
                    .hasMessageContaining("at 42");

            assertThat(new PostgresRelayCheckpoint(database.dataSource(), "nats-relay").position()).isEqualTo(42);
            assertThat(PostgresProjectionCheckpoints.position(database.dataSource(), "nats-relay")).isEqualTo(42);
        }
    }

    @Test
    @DisplayName("of 8 relays moving the checkpoint from the same position at once, exactly one succeeds")
    void oneOfConcurrentMovesWins() throws Exception {
        try (ScratchDatabase database = ScratchDatabase.create("relay_checkpoint")) {
            new PostgresRelayCheckpoint(database.dataSource(), "nats-relay").moveTo(0, 10);
            ExecutorService relays = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> moves = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long next = 20 + i;
                Callable<Boolean> move = () -> {
                    start.await();
                    try {
                        new PostgresRelayCheckpoint(database.dataSource(), "nats-relay").moveTo(10, next);
                        return true;
                    } catch (CheckpointMoved lost) {
                        return false;
                    }
                };
                moves.add(relays.submit(move));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> move : moves) {
                won += move.get() ? 1 : 0;
            }
            relays.shutdown();
            assertThat(won).isEqualTo(1);
            assertThat(new PostgresRelayCheckpoint(database.dataSource(), "nats-relay").position()).isBetween(20L, 27L);
        }
    }

    @Test
    @DisplayName("a name outside a-z 0-9 _ - is refused")
    void invalidName() {
        assertThatThrownBy(() -> new PostgresRelayCheckpoint(null, "Nats Relay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nats Relay");
    }
}
