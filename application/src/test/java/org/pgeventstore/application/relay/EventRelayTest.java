package org.pgeventstore.application.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.ScannedFeedBacklog;
import org.pgeventstore.application.projection.ProjectionLeases;

class EventRelayTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryRelayCheckpoint checkpoint = new InMemoryRelayCheckpoint("nats-relay");
    private final FakeBroker broker = new FakeBroker(checkpoint::position);
    private final AppendSignal signal = new AppendSignal();

    private EventRelay relay(int batchSize) {
        RelaySettings settings = RelaySettings.DEFAULT.withBatchSize(batchSize)
                .withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(4));
        return new EventRelay(checkpoint, store, broker, new RelayMessages("eventstore"), settings,
                ProjectionLeases.UNCONTENDED, signal, new ScannedFeedBacklog(store), "fake broker");
    }

    private void append(int events) {
        for (int i = 0; i < events; i++) {
            store.append(StreamId.of("order-" + (i % 3)), ExpectedVersion.ANY, List.of(
                    new NewEvent(UUID.randomUUID(), "OrderNoted", "{\"n\":" + i + "}", "{}")));
        }
        signal.signal();
    }

    private List<Long> feedPositions() {
        List<Long> positions = new ArrayList<>();
        for (RecordedEvent event : store.readAll(0, 10_000, EventFilter.ALL).events()) {
            positions.add(event.position());
        }
        return positions;
    }

    @Test
    @DisplayName("each batch is published from the checkpoint, which moves past it only once the batch is acknowledged")
    void checkpointMovesOnlyAfterTheAcknowledgements() {
        append(10);
        EventRelay relay = relay(4);

        assertThat(relay.catchUp()).isEqualTo(10);

        List<Long> feed = feedPositions();
        // Three batches (4, 4, 2): each arrived while the checkpoint was still before it.
        assertThat(broker.checkpointAtPublish()).containsExactly(0L, feed.get(3), feed.get(7));
        assertThat(checkpoint.position()).isEqualTo(feed.get(9));
        assertThat(broker.storedPositions()).isEqualTo(feed);
        assertThat(relay.lagEvents()).isZero();
    }

    @Test
    @DisplayName("a batch not acknowledged whole leaves the checkpoint before it, and is sent again from there")
    void failedBatchIsRetriedFromTheCheckpoint() {
        append(10);
        EventRelay relay = relay(4);
        List<Long> feed = feedPositions();
        relay.catchUp();
        append(6);
        List<Long> all = feedPositions();
        broker.failNext(1, 2);

        assertThatThrownBy(relay::catchUp).isInstanceOf(PublishFailed.class);
        assertThat(checkpoint.position()).as("not moved past the failed batch").isEqualTo(feed.get(9));
        assertThat(relay.lagEvents()).isEqualTo(6);
        assertThat(relay.failedBatches()).isEqualTo(1);

        assertThat(relay.catchUp()).isEqualTo(6);
        assertThat(broker.checkpointAtPublish()).containsSubsequence(feed.get(9), feed.get(9), all.get(13));
        assertThat(broker.storedPositions()).as("each event once, in feed order").isEqualTo(all);
        assertThat(relay.duplicateEvents()).as("the two stored before the failure were sent again").isEqualTo(2);
        assertThat(checkpoint.position()).isEqualTo(all.get(15));
    }

    @Test
    @DisplayName("the running relay rides out an outage of the broker and catches up when it returns")
    void runningRelayRetriesUntilTheBrokerAnswers() {
        EventRelay relay = relay(5);
        broker.failNext(20, 1);
        relay.start();
        try {
            append(12);
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (relay.failedBatches() < 20 || relay.lagEvents() > 0) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            });
            assertThat(relay.isActive()).isTrue();
            assertThat(relay.brokerReachable()).isTrue();
            assertThat(broker.storedPositions()).isEqualTo(feedPositions());
            assertThat(relay.status().orElseThrow().lagEvents()).isZero();
        } finally {
            relay.stop();
        }
    }

    @Test
    @DisplayName("status reports the outage and the lag while the broker does not acknowledge")
    void statusShowsTheOutage() {
        append(3);
        EventRelay relay = relay(5);
        broker.failNext(1, 0);

        assertThatThrownBy(relay::catchUp).isInstanceOf(PublishFailed.class);

        RelayStatus status = relay.status().orElseThrow();
        assertThat(status.lagEvents()).isEqualTo(3);
        assertThat(status.position()).isZero();
        assertThat(status.failedBatches()).isEqualTo(1);
        assertThat(status.active()).isFalse();
    }
}
