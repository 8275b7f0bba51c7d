package org.pgeventstore.application.stats;

/**
 * Counts an operator asks for: events and streams, by type and category, the largest streams,
 * and how many streams have a snapshot. All figures of one answer are taken at one moment.
 *
 * <p>May throw {@code EventStoreUnavailable} when the storage is out of reach.
 */
public interface StoreStatistics {

    /** How many of the largest streams an answer lists. */
    int LARGEST_STREAMS = 10;

    StoreStats collect();
}
