package org.pgeventstore.application.eventstore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link EventStore} in memory, for tests and for trying the service without a
 * database. One lock orders every append, so positions are handed out in commit
 * order and the feed is trivially gap-free. Positions start at 1 and are dense here,
 * which the contract allows but does not promise.
 */
public final class InMemoryEventStore implements EventStore {

    private final Clock clock;
    private final List<RecordedEvent> log = new ArrayList<>();
    private final Map<String, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byEventId = new HashMap<>();

    public InMemoryEventStore() {
        this(Clock.systemUTC());
    }

    public InMemoryEventStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        List<NewEvent> batch = NewEvent.requireValidBatch(events);
        EventContent.requireStorable(batch);
        AppendResult replay = replayOf(stream, batch);
        if (replay != null) {
            return replay;
        }
        List<RecordedEvent> existing = streams.computeIfAbsent(stream.value(), id -> new ArrayList<>());
        long current = existing.size();
        if (!expected.isSatisfiedBy(current)) {
            if (existing.isEmpty()) {
                streams.remove(stream.value());
            }
            throw new ConcurrencyConflict(stream.value(), expected, current);
        }
        // One clock, and a stream's times never go back, as in PostgreSQL.
        Instant now = clock.instant();
        if (!existing.isEmpty() && existing.getLast().occurredAt().isAfter(now)) {
            now = existing.getLast().occurredAt();
        }
        for (NewEvent event : batch) {
            var recorded = new RecordedEvent(event.eventId(), stream.value(), event.type(), event.schemaVersion(),
                    existing.size() + 1L,
                    log.size() + 1L, event.data(), event.metadata(), now);
            existing.add(recorded);
            log.add(recorded);
            byEventId.put(event.eventId(), recorded);
        }
        return new AppendResult(stream.value(), current + 1, current + batch.size(),
                log.size() - batch.size() + 1L, log.size(), now, false);
    }

    /** The original result when {@code batch} re-sends a committed append of {@code stream}, else null. */
    private AppendResult replayOf(StreamId stream, List<NewEvent> batch) {
        RecordedEvent first = null;
        RecordedEvent previous = null;
        boolean sameContent = true;
        UUID firstDiffering = null;
        for (NewEvent event : batch) {
            RecordedEvent stored = byEventId.get(event.eventId());
            if (stored == null) {
                if (first != null) {
                    throw new DuplicateEventId(stream.value(), first.eventId());
                }
                continue;
            }
            boolean continues = stored.streamId().equals(stream.value())
                    && (previous == null || stored.version() == previous.version() + 1);
            if (!continues || (first == null && event != batch.getFirst())) {
                throw new DuplicateEventId(stream.value(), stored.eventId());
            }
            if (first == null) {
                first = stored;
            }
            if (sameContent && !EventContent.same(stored, event)) {
                sameContent = false;
                firstDiffering = stored.eventId();
            }
            previous = stored;
        }
        if (first == null) {
            return null;
        }
        if (!sameContent) {
            throw new DuplicateEventId(stream.value(), firstDiffering, true);
        }
        return new AppendResult(stream.value(), first.version(), previous.version(), first.position(), previous.position(),
                first.occurredAt(), true);
    }

    @Override
    public synchronized StreamSlice read(StreamId stream, long fromVersion, int limit) {
        List<RecordedEvent> events = streams.getOrDefault(stream.value(), List.of());
        int from = (int) Math.min(Math.max(fromVersion, 1) - 1, events.size());
        int to = (int) Math.min((long) from + Math.max(limit, 0), events.size());
        return new StreamSlice(stream.value(), events.size(), events.subList(from, to));
    }

    @Override
    public synchronized FeedPage readAll(long after, int limit, EventFilter filter) {
        List<RecordedEvent> page = new ArrayList<>();
        int from = (int) Math.min(Math.max(after, 0), log.size());
        for (int i = from; i < log.size() && page.size() < limit; i++) {
            RecordedEvent event = log.get(i);
            if (filter.matches(StreamId.of(event.streamId()).category(), event.type())) {
                page.add(event);
            }
        }
        return new FeedPage(page, page.isEmpty() ? after : page.getLast().position());
    }

    @Override
    public synchronized Optional<RecordedEvent> findEvent(StreamId stream, UUID eventId) {
        return Optional.ofNullable(byEventId.get(eventId)).filter(event -> event.streamId().equals(stream.value()));
    }

    @Override
    public synchronized long currentVersion(StreamId stream) {
        return streams.getOrDefault(stream.value(), List.of()).size();
    }

    private static final Comparator<StreamId> LISTING_ORDER =
            Comparator.comparing(StreamId::category).thenComparing(StreamId::value);

    @Override
    public synchronized StreamListPage listStreams(StreamListQuery query) {
        List<StreamSummary> page = streams.keySet().stream()
                .map(StreamId::of)
                .filter(id -> query.categories().isEmpty() || query.categories().contains(id.category()))
                .filter(id -> query.after().map(after -> LISTING_ORDER.compare(id, after) > 0).orElse(true))
                .sorted(LISTING_ORDER)
                .limit(query.limit() + 1L)
                .map(id -> {
                    RecordedEvent last = streams.get(id.value()).getLast();
                    return new StreamSummary(id.value(), id.category(), last.version(), last.position(), last.occurredAt());
                })
                .toList();
        if (page.size() <= query.limit()) {
            return new StreamListPage(page, Optional.empty());
        }
        List<StreamSummary> shown = page.subList(0, query.limit());
        return new StreamListPage(shown, Optional.of(StreamId.of(shown.getLast().streamId())));
    }
}
