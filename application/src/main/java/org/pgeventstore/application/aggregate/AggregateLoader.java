package org.pgeventstore.application.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.EventStoreUnavailable;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import org.pgeventstore.application.snapshot.RecentStates;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.SnapshotMetrics.Lookup;
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotOffer;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an aggregate's stream and folds it into its state, for any aggregate. With snapshots on,
 * a load of the current state starts from the latest state this instance rebuilt
 * ({@link RecentStates}), else any load from the latest snapshot that fits what it rebuilds (one
 * lookup), and reads only the events after it, in pages (one page when fewer than a page follow).
 * Any trouble with a snapshot (the store fails, the state does not decode, it is ahead of its
 * stream) makes the load replay from the first event instead, so a snapshot can make a load
 * faster but never different.
 *
 * <p>Thread-safe: it holds no state between calls.
 */
public final class AggregateLoader<E, S> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateLoader.class);

    /**
     * Events read per statement. Each page is a round trip and a lookup of the stream's version:
     * with pages of 500 instead, a 10,000-event order loaded about 15% slower and a 100,000-event
     * one about 40% (docs/benchmarks). A page of 2,000 events holds about 2 MB at once; a stream
     * loaded from a recent snapshot reads one short page.
     */
    public static final int DEFAULT_PAGE_SIZE = 2_000;

    /** A stream's recent event rate is measured over at most this many of its latest events. */
    static final int RATE_WINDOW = 32;

    /** Events read from a stream, oldest first, and the stream's version as of the last page read. */
    public record Read(List<RecordedEvent> events, long streamVersion) {
    }

    /** Where a load starts: a kept recent state, a snapshot's state, or the initial state. */
    private record Start<S>(Lookup lookup, S state, long version, long position, Instant latestEventTime,
                            long snapshotBase) {
    }

    private final EventStore store;
    private final AggregateType<E, S> type;
    private final Snapshotting snapshotting;
    private final SnapshotMetrics metrics;
    private final int pageSize;

    public AggregateLoader(EventStore store, AggregateType<E, S> type, int pageSize, Snapshotting snapshotting) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive, was " + pageSize);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.type = Objects.requireNonNull(type, "type");
        this.snapshotting = Objects.requireNonNull(snapshotting, "snapshotting");
        this.metrics = snapshotting.metrics();
        this.pageSize = pageSize;
    }

    public AggregateType<E, S> type() {
        return type;
    }

    /** What a load of a stream without events rebuilds; a creating command starts from it. */
    public Loaded<S> nothing() {
        return Loaded.nothing(type.evolution().initial());
    }

    /** Every event of the stream, for its history. */
    public Read readAll(StreamId stream) {
        List<RecordedEvent> events = new ArrayList<>();
        long streamVersion = 0;
        while (true) {
            long from = events.size() + 1L;
            StreamSlice slice = store.read(stream, from, pageSize);
            streamVersion = slice.version();
            for (RecordedEvent event : slice.events()) {
                requireNext(stream, from, event, events.size() + 1L);
                events.add(event);
            }
            // The stream's version, not a short page, says when to stop: a store may cap pages below the size asked.
            if (slice.events().isEmpty() || events.size() >= streamVersion) {
                return new Read(events, streamVersion);
            }
        }
    }

    /** The stream's current version, 0 when it has no event. */
    public long currentVersion(StreamId stream) {
        return store.currentVersion(stream);
    }

    /**
     * Rebuilds the aggregate as {@code target} asks, from the latest snapshot that fits it when
     * snapshots are on, and records the load's time and replayed events.
     *
     * @throws RuntimeException the codec's {@link EventCodec#unreadable} when an event cannot be
     *     read or cannot follow the ones before it
     */
    public Loaded<S> load(StreamId stream, LoadTarget target) {
        long started = System.nanoTime();
        Start<S> start = start(stream, target);
        Optional<Loaded<S>> loaded = replay(stream, target, start);
        if (loaded.isEmpty()) {
            snapshotting.recent().forget(stream);
            metrics.failed(stream.category(), "verify");
            LOG.warn("event=snapshot_ahead_of_stream stream={} snapshot_version={}", stream, start.version());
            start = initial(Lookup.MISS);
            loaded = replay(stream, target, start);
        }
        Loaded<S> result = loaded.orElseThrow();
        metrics.loaded(stream.category(), start.lookup(), Duration.ofNanos(System.nanoTime() - started), result.replayed());
        if (target instanceof LoadTarget.Current && result.exists()) {
            remember(stream, result.state(), result.version(), result.position(), result.latestEventTime(),
                    result.snapshotBase());
        }
        return result;
    }

    private void remember(StreamId stream, S state, long version, long position, Instant latestEventTime,
                          long snapshotBase) {
        snapshotting.recent().remember(stream,
                new RecentStates.Entry<>(state, version, position, latestEventTime, snapshotBase));
    }

    /** Offers the state a load of the current state rebuilt to the snapshot writer, whose policy decides. */
    public void offerSnapshot(StreamId stream, Loaded<S> loaded) {
        if (loaded.exists()) {
            long base = offer(stream, loaded, loaded.state(), loaded.version(), loaded.position());
            remember(stream, loaded.state(), loaded.version(), loaded.position(), loaded.latestEventTime(), base);
        }
    }

    /**
     * Offers the state a command reached to the snapshot writer: {@code loaded} is what the
     * command was decided on, {@code after} the state at {@code afterVersion} once {@code appended} was written.
     */
    public void offerSnapshot(StreamId stream, Loaded<S> loaded, S after, long afterVersion, AppendResult appended) {
        if (!appended.replayed() && appended.lastVersion() == afterVersion) {
            long base = offer(stream, loaded, after, afterVersion, appended.lastPosition());
            Instant latest = loaded.latestEventTime() == null || appended.occurredAt().isAfter(loaded.latestEventTime())
                    ? appended.occurredAt() : loaded.latestEventTime();
            remember(stream, after, afterVersion, appended.lastPosition(), latest, base);
        }
    }

    /**
     * {@code state} is {@code loaded}'s state with the events of a command, if any, folded in.
     *
     * @return the version the snapshot policy counts from next: {@code version} when a snapshot
     *     of {@code state} was queued, else the one it counted from so far
     */
    private long offer(StreamId stream, Loaded<S> loaded, S state, long version, long position) {
        long added = version - loaded.version();
        StateCodec<S> codec = type.states();
        boolean queued = snapshotting.offer(new SnapshotOffer(stream, version, position,
                version - loaded.snapshotBase(), eventsPerSecond(loaded, added), loaded.version(),
                loaded.latestEventTime(), codec.schemaVersion(), () -> codec.encode(state)));
        return queued ? version : loaded.snapshotBase();
    }

    /**
     * Events per second over the load's rate window, plus {@code added} events of a command that
     * happened just now; the window counts as at least a second long.
     */
    private double eventsPerSecond(Loaded<S> loaded, long added) {
        Instant now = snapshotting.now();
        Instant since = loaded.recentSince() == null ? now : loaded.recentSince();
        double seconds = Math.max(1.0, Duration.between(since, now).toMillis() / 1000.0);
        return (loaded.recentEvents() + added) / seconds;
    }

    private Start<S> initial(Lookup lookup) {
        return new Start<>(lookup, type.evolution().initial(), 0, 0, null, 0);
    }

    private Start<S> start(StreamId stream, LoadTarget target) {
        Optional<SnapshotStore> snapshots = snapshotting.store();
        if (snapshots.isEmpty()) {
            return initial(Lookup.OFF);
        }
        if (target instanceof LoadTarget.Current) {
            Optional<RecentStates.Entry<S>> recent = snapshotting.recent().latest(stream, type.stateType());
            if (recent.isPresent()) {
                RecentStates.Entry<S> kept = recent.get();
                return new Start<>(Lookup.HIT, kept.state(), kept.version(), kept.position(), kept.latestEventTime(),
                        kept.snapshotBase());
            }
        }
        int schema = type.states().schemaVersion();
        Optional<Snapshot> found;
        try {
            found = switch (target) {
                case LoadTarget.Current current -> snapshots.get().latest(stream, schema, Long.MAX_VALUE);
                case LoadTarget.AtVersion at -> snapshots.get().latest(stream, schema, at.version());
                case LoadTarget.AsOf asOf -> snapshots.get().latestAsOf(stream, schema, asOf.instant());
            };
        } catch (EventStoreUnavailable unavailable) {
            // The snapshots live in the events' database: if it did not answer, neither will the
            // events, and replaying would make the caller wait twice as long for the same failure.
            metrics.failed(stream.category(), "read");
            throw unavailable;
        } catch (RuntimeException failure) {
            // A snapshot only saves time; the events are the truth, so the load goes on without one.
            metrics.failed(stream.category(), "read");
            LOG.warn("event=snapshot_read_failed stream={} error=\"{}\"", stream, failure.toString());
            return initial(Lookup.MISS);
        }
        if (found.isEmpty()) {
            return initial(Lookup.MISS);
        }
        Snapshot snapshot = found.get();
        try {
            S state = type.states().decode(snapshot);
            return new Start<>(Lookup.HIT, state, snapshot.version(), snapshot.position(), snapshot.latestEventTime(),
                    snapshot.version());
        } catch (RuntimeException unreadable) {
            // UnreadableSnapshot, or anything else a damaged state provokes: either way the events are read instead.
            metrics.failed(stream.category(), "decode");
            LOG.warn("event=snapshot_unreadable stream={} version={} error=\"{}\"", stream, snapshot.version(),
                    unreadable.getMessage());
            return initial(Lookup.MISS);
        }
    }

    /** Folds the events after {@code start} that {@code target} wants; empty when the start is ahead of the stream. */
    private Optional<Loaded<S>> replay(StreamId stream, LoadTarget target, Start<S> start) {
        long last = target instanceof LoadTarget.AtVersion at ? at.version() : Long.MAX_VALUE;
        Instant until = target instanceof LoadTarget.AsOf asOf ? asOf.instant() : null;
        long startVersion = start.version();
        S state = start.state();
        long version = startVersion;
        long position = start.position();
        Instant latest = start.latestEventTime();
        ArrayDeque<Instant> window = new ArrayDeque<>(RATE_WINDOW + 1);
        if (latest != null) {
            window.add(latest);
        }
        long streamVersion;
        // A start from a snapshot or a remembered state is only as new as the events read after it:
        // a store that reads from a replica must have replayed the start's position first.
        EventStore reads = store.reflecting(position);
        while (true) {
            long from = version + 1;
            // At least one read, even for no event, so that a snapshot ahead of its stream is always caught.
            StreamSlice slice = reads.read(stream, from, (int) Math.min(pageSize, Math.max(0, last - version)));
            streamVersion = slice.version();
            if (streamVersion < startVersion) {
                return Optional.empty();
            }
            boolean reachedInstant = false;
            for (RecordedEvent event : slice.events()) {
                if (until != null && event.occurredAt().isAfter(until)) {
                    reachedInstant = true;
                    break;
                }
                requireNext(stream, from, event, version + 1);
                state = evolve(state, event);
                version = event.version();
                position = event.position();
                latest = latest == null || event.occurredAt().isAfter(latest) ? event.occurredAt() : latest;
                if (window.size() > RATE_WINDOW) {
                    window.removeFirst();
                }
                window.addLast(event.occurredAt());
            }
            if (reachedInstant || slice.events().isEmpty() || version >= streamVersion || version >= last) {
                break;
            }
        }
        return Optional.of(new Loaded<>(state, version, position, Math.max(streamVersion, version), startVersion,
                latest, Math.max(window.size() - 1, 0), window.peekFirst(), start.snapshotBase()));
    }

    private static void requireNext(StreamId stream, long from, RecordedEvent event, long due) {
        if (event.version() != due) {
            throw new IllegalStateException("reading stream " + stream + " from version " + from
                    + " returned version " + event.version() + " where " + due + " was due");
        }
    }

    /** {@code from} with {@code events}, the ones right after it, folded in. */
    public S fold(S from, List<RecordedEvent> events) {
        S state = from;
        for (RecordedEvent recorded : events) {
            state = evolve(state, recorded);
        }
        return state;
    }

    private S evolve(S state, RecordedEvent recorded) {
        E event = type.events().decode(recorded);
        try {
            return type.evolution().evolve(state, event);
        } catch (IllegalStateException impossible) {
            throw type.events().unreadable(recorded, impossible.getMessage(), impossible);
        }
    }
}
