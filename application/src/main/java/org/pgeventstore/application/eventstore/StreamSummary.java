package org.pgeventstore.application.eventstore;

import java.time.Instant;

/** One stream as a listing shows it: its current version and the position and time of its last event. */
public record StreamSummary(String streamId, String category, long version, long lastPosition, Instant updatedAt) {
}
