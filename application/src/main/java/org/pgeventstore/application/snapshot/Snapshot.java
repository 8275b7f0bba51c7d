package org.pgeventstore.application.snapshot;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * The state of one stream as it stood right after its event {@code version}, stored so that a
 * load can start there instead of at the first event.
 *
 * @param stream the stream the state was folded from
 * @param version the version of the last event folded in, from 1
 * @param position the global position of that event, which a load reports with the state
 * @param latestEventTime the latest {@code occurredAt} among events 1 to {@code version}: a read
 *     as of an instant may start from this snapshot only when this is not after the instant
 * @param takenAt when the snapshot was taken
 * @param schemaVersion the shape of {@code state}; a reader uses only snapshots of the shape it knows
 * @param state the state's bytes, in the shape {@code schemaVersion} names (a codec's own encoding,
 *     binary or the UTF-8 of a text); not copied, so neither its writer nor its readers change it
 */
public record Snapshot(
        StreamId stream,
        long version,
        long position,
        Instant latestEventTime,
        Instant takenAt,
        int schemaVersion,
        byte[] state) {

    public Snapshot {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(latestEventTime, "latestEventTime");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(state, "state");
        if (version < 1) {
            throw new IllegalArgumentException("a snapshot is taken after an event, at version 1 or more; was " + version);
        }
    }

    /** Equal when every component is, the state byte for byte. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that
                && stream.equals(that.stream) && version == that.version && position == that.position
                && latestEventTime.equals(that.latestEventTime) && takenAt.equals(that.takenAt)
                && schemaVersion == that.schemaVersion && Arrays.equals(state, that.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, version, position, latestEventTime, takenAt, schemaVersion, Arrays.hashCode(state));
    }

    /** The state's size and first bytes, not all of it: a long order's state is hundreds of kilobytes. */
    @Override
    public String toString() {
        return "Snapshot[stream=" + stream + ", version=" + version + ", position=" + position + ", latestEventTime="
                + latestEventTime + ", takenAt=" + takenAt + ", schemaVersion=" + schemaVersion + ", state="
                + state.length + " bytes " + HexFormat.of().formatHex(state, 0, Math.min(state.length, 16))
                + (state.length > 16 ? "..." : "") + "]";
    }
}
