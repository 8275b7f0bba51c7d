package org.pgeventstore.application.aggregate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.ConcurrencyConflict;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;

/**
 * Runs commands on any aggregate: loads its current state, lets the {@link Decider} turn the
 * command into events, appends them expecting the version it loaded, and offers the new state to
 * the snapshot writer. Every event carries {@link EventMetadata} of the command's
 * {@link CommandHeaders}.
 *
 * <p><b>Concurrency.</b> A lost race to append ({@link ConcurrencyConflict}) retries the whole
 * load-decide-append under the {@link RetryPolicy}, so the command is decided again on the state
 * that won; once the attempts are used up the last conflict is thrown. Under a condition that
 * does not allow a retry (an exact expected version) nothing is retried, and a state at another
 * version, or a lost race, throws the aggregate's {@link Refusals#staleVersion}.
 *
 * <p><b>Idempotency.</b> A command sent with an {@link Idempotency} appends events whose ids it
 * derives, with the key's and the request's hash in their metadata. Sent again, the command finds
 * its first event by id, appends nothing and returns the state as that first run left it, with
 * {@link AppendResult#replayed()} set; another request under the same key throws
 * {@link Refusals#keyReused}. Rejections of {@code decide} are thrown as they are, never retried.
 *
 * <p>Thread-safe: it holds no state between calls.
 *
 * @param <C> the aggregate's commands
 * @param <E> its events
 * @param <S> its state
 */
public final class CommandRunner<C, E, S> {

    /** How an aggregate words the two refusals of the runner, e.g. with its own id in them. */
    public interface Refusals<C> {

        /** {@code command}'s condition does not hold: the aggregate is at {@code actualVersion}. */
        RuntimeException staleVersion(C command, VersionCondition condition, long actualVersion);

        /** {@code command}'s idempotency key was first used for another request, by {@code earlierCommand}. */
        RuntimeException keyReused(C command, String earlierCommand);
    }

    /**
     * A command's idempotency key, as the aggregate derives it.
     *
     * @param keyHash the key's hash, stored in the metadata instead of the key
     * @param requestHash the request's hash: equal for requests that ask the same thing
     * @param eventIds the id of the {@code i}-th event (from 0) the command appends; the same for every run
     */
    public record Idempotency(String keyHash, String requestHash, IntFunction<UUID> eventIds) {

        public Idempotency {
            Objects.requireNonNull(keyHash, "keyHash");
            Objects.requireNonNull(requestHash, "requestHash");
            Objects.requireNonNull(eventIds, "eventIds");
        }
    }

    /**
     * One command to run.
     *
     * @param stream the aggregate's stream
     * @param command what {@code decide} gets
     * @param name the command's name, stored in the metadata
     * @param headers who asked, and under which condition
     * @param idempotency the key's derived ids and hashes, empty without a key
     */
    public record Request<C>(StreamId stream, C command, String name, CommandHeaders headers,
                             Optional<Idempotency> idempotency) {

        public Request {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(idempotency, "idempotency");
        }
    }

    /**
     * What a command reached: the state at {@code version} and what was appended (replayed for a
     * repeated idempotent command).
     */
    public record Outcome<S>(S state, long version, AppendResult appended) {
    }

    private final EventStore store;
    private final AggregateLoader<E, S> loader;
    private final Decider<C, E, S> decider;
    private final Refusals<C> refusals;
    private final Supplier<UUID> ids;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;

    /**
     * @param ids supplies the ids of events appended without an idempotency key
     * @param sleeper waits between retries
     */
    public CommandRunner(EventStore store, AggregateLoader<E, S> loader, Decider<C, E, S> decider,
                         Refusals<C> refusals, Supplier<UUID> ids, RetryPolicy retryPolicy, Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Runs {@code request}, retrying lost races unless its condition forbids it. */
    public Outcome<S> run(Request<C> request) {
        Objects.requireNonNull(request, "request");
        Optional<VersionCondition> condition = request.headers().condition();
        if (condition.isPresent() && !condition.get().allowsRetry()) {
            return runOnce(request);
        }
        return retrying(() -> runOnce(request));
    }

    private Outcome<S> runOnce(Request<C> request) {
        StreamId stream = request.stream();
        Optional<Idempotency> idempotency = request.idempotency();
        Optional<UUID> firstId = idempotency.map(i -> i.eventIds().apply(0));
        if (firstId.isPresent()) {
            Optional<RecordedEvent> earlier = store.findEvent(stream, firstId.get());
            if (earlier.isPresent()) {
                return repeated(request, earlier.get());
            }
        }
        Loaded<S> loaded = loader.load(stream, LoadTarget.CURRENT);
        Optional<VersionCondition> condition = request.headers().condition();
        if (condition.isPresent() && !condition.get().heldBy(loaded.version())) {
            throw refusals.staleVersion(request.command(), condition.get(), loaded.version());
        }
        List<E> events = decider.decide(loaded.state(), request.command());
        String metadata = idempotency
                .map(i -> EventMetadata.ofIdempotent(request.headers(), request.name(), i.keyHash(), i.requestHash()))
                .orElseGet(() -> EventMetadata.of(request.headers(), request.name()));
        EventCodec<E> codec = loader.type().events();
        List<NewEvent> newEvents = IntStream.range(0, events.size())
                .mapToObj(i -> codec.encode(events.get(i),
                        idempotency.map(k -> k.eventIds().apply(i)).orElseGet(ids), metadata))
                .toList();
        AppendResult appended;
        try {
            appended = store.append(stream, ExpectedVersion.exactly(loaded.version()), newEvents);
        } catch (DuplicateEventId | ConcurrencyConflict lost) {
            if (firstId.isPresent()) {
                // A concurrent request under the same key may have run the command first.
                Optional<RecordedEvent> earlier = store.findEvent(stream, firstId.get());
                if (earlier.isPresent()) {
                    return repeated(request, earlier.get());
                }
            }
            if (lost instanceof ConcurrencyConflict conflict && condition.isPresent() && !condition.get().allowsRetry()) {
                throw refusals.staleVersion(request.command(), condition.get(), conflict.actualVersion());
            }
            throw lost;
        }
        if (appended.replayed()) {
            if (firstId.isPresent()) {
                // A concurrent request under the same key appended these very events first.
                return repeated(request, store.findEvent(stream, firstId.get()).orElseThrow());
            }
            throw eventIdsReused(stream);
        }
        S changed = recorded(loaded.state(), newEvents, appended);
        long version = loaded.version() + newEvents.size();
        loader.offerSnapshot(stream, loaded, changed, version, appended);
        return new Outcome<>(changed, version, appended);
    }

    /**
     * The outcome an idempotent command had when it first ran, whose first event is
     * {@code earlier}: the state as that run left it, and what it appended.
     */
    private Outcome<S> repeated(Request<C> request, RecordedEvent earlier) {
        Idempotency idempotency = request.idempotency().orElseThrow();
        Optional<String> storedHash = EventMetadata.requestHashOf(earlier, loader.type().events());
        if (!storedHash.equals(Optional.of(idempotency.requestHash()))) {
            throw refusals.keyReused(request.command(), EventMetadata.commandOf(earlier));
        }
        RecordedEvent last = earlier;
        for (RecordedEvent next : store.read(request.stream(), earlier.version() + 1, 16).events()) {
            if (!next.eventId().equals(idempotency.eventIds().apply((int) (next.version() - earlier.version())))) {
                break;
            }
            last = next;
        }
        Loaded<S> then = loader.load(request.stream(), new LoadTarget.AtVersion(last.version()));
        AppendResult original = new AppendResult(earlier.streamId(), earlier.version(), last.version(),
                earlier.position(), last.position(), earlier.occurredAt(), true);
        return new Outcome<>(then.state(), then.version(), original);
    }

    /**
     * {@code state} with {@code appended} events folded in as the store recorded them: the state a
     * later load rebuilds, with the store's time for each event rather than this instance's clock.
     */
    public S recorded(S state, List<NewEvent> appended, AppendResult result) {
        List<RecordedEvent> events = new ArrayList<>(appended.size());
        for (int i = 0; i < appended.size(); i++) {
            NewEvent event = appended.get(i);
            long position = Math.min(result.firstPosition() + i, result.lastPosition());
            events.add(new RecordedEvent(event.eventId(), result.streamId(), event.type(), event.schemaVersion(),
                    result.firstVersion() + i, position, event.data(), event.metadata(), result.occurredAt()));
        }
        return loader.fold(state, events);
    }

    /** {@code attempt}, tried again after a {@link ConcurrencyConflict} as the retry policy allows. */
    public <T> T retrying(Supplier<T> attempt) {
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (ConcurrencyConflict conflict) {
                if (attempts >= retryPolicy.maxAttempts()) {
                    throw conflict;
                }
                pause(retryPolicy.delayBefore(attempts, ThreadLocalRandom.current()), conflict);
            }
        }
    }

    private void pause(Duration delay, ConcurrencyConflict conflict) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
            // Stop retrying and keep the interrupt for the caller; the conflict is the honest answer.
            Thread.currentThread().interrupt();
            conflict.addSuppressed(interrupted);
            throw conflict;
        }
    }

    /**
     * The store took fresh events for a re-send of stored ones and appended nothing: the id
     * supplier handed out an id twice. Reporting success would silently lose the command.
     */
    public static IllegalStateException eventIdsReused(StreamId stream) {
        return new IllegalStateException("the event ids supplied for an append to " + stream
                + " were already stored there, so nothing was appended; the id supplier must not repeat ids");
    }
}
