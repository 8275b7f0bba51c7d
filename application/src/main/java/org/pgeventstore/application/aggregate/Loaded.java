package org.pgeventstore.application.aggregate;

import java.time.Instant;

/**
 * An aggregate as a load rebuilt it.
 *
 * @param state the state, the initial one when no event was folded
 * @param version the version of the last event folded, 0 when none
 * @param position the global position of the last event folded, 0 when none
 * @param streamVersion the stream's version as the load's last read of it saw it
 * @param snapshotVersion the version of the snapshot the load started from, 0 when none
 * @param latestEventTime the latest {@code occurredAt} among the events folded into the
 *     state, the snapshot's included; {@code null} when none
 * @param recentEvents events after {@code recentSince} among the latest ones, for the stream's rate
 * @param recentSince when the first event of the rate window occurred; {@code null} when none
 * @param snapshotBase the version of the latest snapshot known to this load, which the
 *     snapshot policy counts events from (a kept recent state carries its own)
 */
public record Loaded<S>(S state, long version, long position, long streamVersion, long snapshotVersion,
                        Instant latestEventTime, int recentEvents, Instant recentSince, long snapshotBase) {

    /** What a load of a stream without events rebuilds. */
    public static <S> Loaded<S> nothing(S initial) {
        return new Loaded<>(initial, 0, 0, 0, 0, null, 0, null, 0);
    }

    /** Whether any event was folded. */
    public boolean exists() {
        return version > 0;
    }

    /** Events folded on top of the snapshot, or from the first event. */
    public long replayed() {
        return version - snapshotVersion;
    }
}
