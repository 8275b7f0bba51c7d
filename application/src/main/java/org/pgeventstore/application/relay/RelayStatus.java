package org.pgeventstore.application.relay;

import java.util.Optional;

/**
 * A relay as an operator sees it, from this instance.
 *
 * @param name the relay's checkpoint and lease name
 * @param target where it publishes, e.g. {@code nats://host:4222 stream EVENTS}
 * @param active whether this instance holds the lease and relays right now
 * @param brokerReachable false from a batch the broker did not acknowledge until one it did
 * @param position the checkpoint: every event up to it is acknowledged by the broker
 * @param lagEvents events of the feed after the checkpoint (capped; -1 when the database did not answer)
 * @param publishedEvents events this instance had acknowledged, duplicates included
 * @param duplicateEvents of those, the ones the broker already held (a retried or overlapping batch)
 * @param failedBatches batches this instance sent that were not acknowledged whole
 * @param lastError why the last failed batch failed, while the broker is out of reach
 */
public record RelayStatus(String name, String target, boolean active, boolean brokerReachable, long position,
                          long lagEvents, long publishedEvents, long duplicateEvents, long failedBatches,
                          Optional<String> lastError) {
}
