package org.pgeventstore.application.order;

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
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotMetrics.Lookup;
import org.pgeventstore.application.snapshot.SnapshotOffer;
import org.pgeventstore.application.snapshot.SnapshotStore;
import org.pgeventstore.application.snapshot.Snapshotting;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;
import org.pgeventstore.domain.order.Order;
import org.pgeventstore.domain.order.OrderEvent;
import org.pgeventstore.domain.order.OrderId;
import org.pgeventstore.domain.order.OrderPlaced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an order's stream and folds it into an {@link Order}. With snapshots on, a load of the
 * current state starts from the latest state this instance rebuilt ({@link RecentStates}), else
 * any load from the latest snapshot that fits what it rebuilds (one lookup), and reads only the events
 * after it, in pages (one page when fewer than a page follow). Any trouble with a snapshot (the
 * store fails, the state does not decode, it is ahead of its stream) makes the load replay from
 * the first event instead, so a snapshot can make a load faster but never different.
 */
final class OrderStreamReader {

    private static final Logger LOG = LoggerFactory.getLogger(OrderStreamReader.class);

    static final int DEFAULT_PAGE_SIZE = 500;

    /** A stream's recent event rate is measured over at most this many of its latest events. */
    static final int RATE_WINDOW = 32;

    /** Events read from a stream, oldest first, and the stream's version as of the last page read. */
    record Read(List<RecordedEvent> events, long streamVersion) {
    }

    /** Which state of the order a load rebuilds. */
    sealed interface Target {

        Target CURRENT = new Current();

        /** Every event. */
        record Current() implements Target {
        }

        /** Events 1 to {@code version} (1 or more), fewer if the stream is shorter. */
        record AtVersion(long version) implements Target {

            public AtVersion {
                if (version < 1) {
                    throw new IllegalArgumentException("an order is loaded at version 1 or more, not " + version);
                }
            }
        }

        /** The longest run of events from the first that all occurred at or before {@code instant}. */
        record AsOf(Instant instant) implements Target {

            public AsOf {
                Objects.requireNonNull(instant, "instant");
            }
        }
    }

    /**
     * An order as a load rebuilt it.
     *
     * @param order the state, {@link Order#initial()} when no event was folded
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
    record Loaded(Order order, long position, long streamVersion, long snapshotVersion, Instant latestEventTime,
                  int recentEvents, Instant recentSince, long snapshotBase) {

        /** What a load of a stream without events rebuilds; a placement starts from it. */
        static Loaded nothing() {
            return new Loaded(Order.initial(), 0, 0, 0, null, 0, null, 0);
        }

        /** Events folded on top of the snapshot, or from the first event. */
        long replayed() {
            return order.version() - snapshotVersion;
        }
    }

    /** Where a load starts: a kept recent state, a snapshot's state, or the initial state. */
    private record Start(Lookup lookup, Order order, long position, Instant latestEventTime, long snapshotBase) {

        static Start initial(Lookup lookup) {
            return new Start(lookup, Order.initial(), 0, null, 0);
        }
    }

    private final EventStore store;
    private final OrderEventRegistry registry;
    private final OrderSnapshotCodec codec = new OrderSnapshotCodec();
    private final Snapshotting snapshotting;
    private final SnapshotMetrics metrics;
    private final int pageSize;

    OrderStreamReader(EventStore store, OrderEventRegistry registry, int pageSize) {
        this(store, registry, pageSize, Snapshotting.off());
    }

    OrderStreamReader(EventStore store, OrderEventRegistry registry, int pageSize, Snapshotting snapshotting) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive, was " + pageSize);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.snapshotting = Objects.requireNonNull(snapshotting, "snapshotting");
        this.metrics = snapshotting.metrics();
        this.pageSize = pageSize;
    }

    /** Every event of the stream, for its history. */
    Read readAll(StreamId stream) {
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

    /** The stream's current version, 0 when the order was never placed. */
    long currentVersion(OrderId orderId) {
        return store.currentVersion(OrderStreams.streamOf(orderId));
    }

    /**
     * Rebuilds the order as {@code target} asks, from the latest snapshot that fits it when
     * snapshots are on, and records the load's time and replayed events.
     *
     * @throws UnreadableOrderEvent when an event cannot be read or cannot follow the ones before it
     */
    Loaded load(OrderId orderId, Target target) {
        long started = System.nanoTime();
        StreamId stream = OrderStreams.streamOf(orderId);
        Start start = start(stream, orderId, target);
        Optional<Loaded> loaded = replay(stream, orderId, target, start);
        if (loaded.isEmpty()) {
            snapshotting.recent().forget(stream);
            metrics.failed(stream.category(), "verify");
            LOG.warn("event=snapshot_ahead_of_stream stream={} snapshot_version={}", stream, start.order().version());
            start = Start.initial(Lookup.MISS);
            loaded = replay(stream, orderId, target, start);
        }
        Loaded result = loaded.orElseThrow();
        metrics.loaded(stream.category(), start.lookup(), Duration.ofNanos(System.nanoTime() - started), result.replayed());
        if (target instanceof Target.Current && result.order().exists()) {
            remember(stream, result.order(), result.position(), result.latestEventTime(), result.snapshotBase());
        }
        return result;
    }

    private void remember(StreamId stream, Order state, long position, Instant latestEventTime, long snapshotBase) {
        snapshotting.recent().remember(stream,
                new RecentStates.Entry(state, state.version(), position, latestEventTime, snapshotBase));
    }

    /** Offers the state a load of the current order rebuilt to the snapshot writer, whose policy decides. */
    void offerSnapshot(OrderId orderId, Loaded loaded) {
        if (loaded.order().exists()) {
            long base = offer(orderId, loaded, loaded.order(), loaded.position());
            remember(OrderStreams.streamOf(orderId), loaded.order(), loaded.position(), loaded.latestEventTime(), base);
        }
    }

    /**
     * Offers the state a command reached to the snapshot writer: {@code loaded} is what the
     * command was decided on, {@code after} the state once {@code appended} was written.
     */
    void offerSnapshot(OrderId orderId, Loaded loaded, Order after, AppendResult appended) {
        if (!appended.replayed() && appended.lastVersion() == after.version()) {
            long base = offer(orderId, loaded, after, appended.lastPosition());
            Instant latest = loaded.latestEventTime() == null || appended.occurredAt().isAfter(loaded.latestEventTime())
                    ? appended.occurredAt() : loaded.latestEventTime();
            remember(OrderStreams.streamOf(orderId), after, appended.lastPosition(), latest, base);
        }
    }

    /**
     * {@code state} is {@code loaded}'s order with the events of a command, if any, folded in.
     *
     * @return the version the snapshot policy counts from next: {@code state}'s when a snapshot
     *     of it was queued, else the one it counted from so far
     */
    private long offer(OrderId orderId, Loaded loaded, Order state, long position) {
        long added = state.version() - loaded.order().version();
        boolean queued = snapshotting.offer(new SnapshotOffer(OrderStreams.streamOf(orderId), state.version(), position,
                state.version() - loaded.snapshotBase(), eventsPerSecond(loaded, added), loaded.order().version(),
                loaded.latestEventTime(), OrderSnapshotCodec.SCHEMA_VERSION, () -> codec.encode(state)));
        return queued ? state.version() : loaded.snapshotBase();
    }

    /**
     * Events per second over the load's rate window, plus {@code added} events of a command that
     * happened just now; the window counts as at least a second long.
     */
    private double eventsPerSecond(Loaded loaded, long added) {
        Instant now = snapshotting.now();
        Instant since = loaded.recentSince() == null ? now : loaded.recentSince();
        double seconds = Math.max(1.0, Duration.between(since, now).toMillis() / 1000.0);
        return (loaded.recentEvents() + added) / seconds;
    }

    private Start start(StreamId stream, OrderId orderId, Target target) {
        Optional<SnapshotStore> snapshots = snapshotting.store();
        if (snapshots.isEmpty()) {
            return Start.initial(Lookup.OFF);
        }
        if (target instanceof Target.Current) {
            Optional<RecentStates.Entry> recent = snapshotting.recent().latest(stream);
            if (recent.isPresent() && recent.get().state() instanceof Order order && orderId.equals(order.id())) {
                return new Start(Lookup.HIT, order, recent.get().position(), recent.get().latestEventTime(),
                        recent.get().snapshotBase());
            }
        }
        int schema = OrderSnapshotCodec.SCHEMA_VERSION;
        Optional<Snapshot> found;
        try {
            found = switch (target) {
                case Target.Current current -> snapshots.get().latest(stream, schema, Long.MAX_VALUE);
                case Target.AtVersion at -> snapshots.get().latest(stream, schema, at.version());
                case Target.AsOf asOf -> snapshots.get().latestAsOf(stream, schema, asOf.instant());
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
            return Start.initial(Lookup.MISS);
        }
        if (found.isEmpty()) {
            return Start.initial(Lookup.MISS);
        }
        Snapshot snapshot = found.get();
        try {
            Order order = codec.decode(snapshot);
            if (!orderId.equals(order.id())) {
                throw new UnreadableSnapshot("the snapshot of stream " + stream + " at version " + snapshot.version()
                        + " holds order " + order.id(), null);
            }
            return new Start(Lookup.HIT, order, snapshot.position(), snapshot.latestEventTime(), snapshot.version());
        } catch (RuntimeException unreadable) {
            // UnreadableSnapshot, or anything else a damaged state provokes: either way the events are read instead.
            metrics.failed(stream.category(), "decode");
            LOG.warn("event=snapshot_unreadable stream={} version={} error=\"{}\"", stream, snapshot.version(),
                    unreadable.getMessage());
            return Start.initial(Lookup.MISS);
        }
    }

    /** Folds the events after {@code start} that {@code target} wants; empty when the start is ahead of the stream. */
    private Optional<Loaded> replay(StreamId stream, OrderId orderId, Target target, Start start) {
        long last = target instanceof Target.AtVersion at ? at.version() : Long.MAX_VALUE;
        Instant until = target instanceof Target.AsOf asOf ? asOf.instant() : null;
        long startVersion = start.order().version();
        Order state = start.order();
        long position = start.position();
        Instant latest = start.latestEventTime();
        ArrayDeque<Instant> window = new ArrayDeque<>(RATE_WINDOW + 1);
        if (latest != null) {
            window.add(latest);
        }
        long streamVersion;
        while (true) {
            long from = state.version() + 1;
            // At least one read, even for no event, so that a snapshot ahead of its stream is always caught.
            StreamSlice slice = store.read(stream, from, (int) Math.min(pageSize, Math.max(0, last - state.version())));
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
                requireNext(stream, from, event, state.version() + 1);
                state = evolve(orderId, state, event);
                position = event.position();
                latest = latest == null || event.occurredAt().isAfter(latest) ? event.occurredAt() : latest;
                if (window.size() > RATE_WINDOW) {
                    window.removeFirst();
                }
                window.addLast(event.occurredAt());
            }
            if (reachedInstant || slice.events().isEmpty() || state.version() >= streamVersion || state.version() >= last) {
                break;
            }
        }
        return Optional.of(new Loaded(state, position, Math.max(streamVersion, state.version()), startVersion, latest,
                Math.max(window.size() - 1, 0), window.peekFirst(), start.snapshotBase()));
    }

    private static void requireNext(StreamId stream, long from, RecordedEvent event, long due) {
        if (event.version() != due) {
            throw new IllegalStateException("reading stream " + stream + " from version " + from
                    + " returned version " + event.version() + " where " + due + " was due");
        }
    }

    /**
     * The order that {@code events}, the stream of {@code orderId} from version 1, record.
     *
     * @throws UnreadableOrderEvent when an event cannot be read or cannot follow the ones before it
     */
    Order fold(OrderId orderId, List<RecordedEvent> events) {
        return fold(orderId, Order.initial(), events);
    }

    /** {@code state} with {@code events}, the ones right after it, folded in. */
    Order fold(OrderId orderId, Order from, List<RecordedEvent> events) {
        Order state = from;
        for (RecordedEvent recorded : events) {
            state = evolve(orderId, state, recorded);
        }
        return state;
    }

    private Order evolve(OrderId orderId, Order state, RecordedEvent recorded) {
        OrderEvent event = registry.fromRecorded(recorded);
        if (event instanceof OrderPlaced placed && !placed.orderId().equals(orderId)) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                    "it places order " + placed.orderId() + " in the stream of order " + orderId, null);
        }
        try {
            return Order.evolve(state, event);
        } catch (IllegalStateException impossible) {
            throw new CorruptEvent(recorded.streamId(), recorded.version(), recorded.type(),
                    impossible.getMessage(), impossible);
        }
    }
}
