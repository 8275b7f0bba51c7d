package org.pgeventstore.application.relay;

import java.util.List;

/**
 * Where the {@link EventRelay} hands the feed's events on to: a message broker that stores what it
 * acknowledges (JetStream, in production).
 *
 * <h2>Contract</h2>
 * {@link #publish} sends the messages of one batch in the order given and returns only once the
 * broker has acknowledged every one of them as stored. When any of them is not acknowledged (the
 * broker is out of reach, refuses it, or does not answer in time) it throws
 * {@link PublishFailed}, and the caller must assume none of the batch was stored: it sends the
 * whole batch again. So the broker must drop a message whose {@link RelayMessage#messageId()} it
 * has already stored (JetStream does, within its duplicate window), and must refuse a message of a
 * batch whose predecessor in the batch it does not hold, so that a retried batch never stores a
 * later event before an earlier one.
 *
 * <p>An implementation is used by one relay thread at a time.
 */
public interface EventPublisher {

    /**
     * Publishes {@code batch} and waits for every acknowledgement.
     *
     * @return how many of the messages the broker had already stored (dropped as duplicates)
     * @throws PublishFailed when any message of the batch was not acknowledged
     */
    int publish(List<RelayMessage> batch);
}
