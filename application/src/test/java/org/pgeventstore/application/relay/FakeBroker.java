package org.pgeventstore.application.relay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A broker in memory that behaves as the {@link EventPublisher} contract asks of JetStream: it
 * stores messages in the order received, drops one whose id it holds, and can be told to fail the
 * next batches after storing only their first messages (an acknowledgement lost mid-batch).
 * It notes where the relay's checkpoint was when each batch arrived.
 */
final class FakeBroker implements EventPublisher {

    private final Map<String, RelayMessage> stored = new LinkedHashMap<>();
    private final List<Long> checkpointAtPublish = new ArrayList<>();
    private final LongSupplier checkpoint;
    private int failingBatches;
    private int storedBeforeFailure;

    FakeBroker(LongSupplier checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** The next {@code batches} publishes store their first {@code storedFirst} messages, then fail. */
    synchronized void failNext(int batches, int storedFirst) {
        failingBatches = batches;
        storedBeforeFailure = storedFirst;
    }

    @Override
    public synchronized int publish(List<RelayMessage> batch) {
        checkpointAtPublish.add(checkpoint.getAsLong());
        int limit = failingBatches > 0 ? Math.min(storedBeforeFailure, batch.size()) : batch.size();
        int duplicates = 0;
        for (RelayMessage message : batch.subList(0, limit)) {
            if (stored.putIfAbsent(message.messageId(), message) != null) {
                duplicates++;
            }
        }
        if (failingBatches > 0) {
            failingBatches--;
            throw new PublishFailed("no acknowledgement for message " + (limit + 1) + " of " + batch.size());
        }
        return duplicates;
    }

    synchronized List<Long> storedPositions() {
        return stored.values().stream().map(RelayMessage::position).toList();
    }

    synchronized List<Long> checkpointAtPublish() {
        return List.copyOf(checkpointAtPublish);
    }
}
