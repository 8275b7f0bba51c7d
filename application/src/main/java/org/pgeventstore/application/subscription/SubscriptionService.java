package org.pgeventstore.application.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.FeedBacklog;
import org.pgeventstore.application.subscription.SubscriptionRejection.AckBeyondDelivered;
import org.pgeventstore.application.subscription.SubscriptionRejection.GroupSizeConflict;
import org.pgeventstore.application.subscription.SubscriptionRejection.InvalidSubscription;
import org.pgeventstore.application.subscription.SubscriptionRejection.TooManyWaitingPolls;
import org.pgeventstore.application.subscription.SubscriptionRejection.UnknownSubscription;

/**
 * The consumer groups' use cases: define, poll, acknowledge.
 *
 * <h2>Delivery</h2>
 * A poll of member {@code i} of {@code N} reads the feed after that member's checkpoint with the
 * subscription's filter, keeps the events of the streams {@link MemberPartition} gives to {@code i},
 * and returns as soon as it has any. The partition is applied here, to each page, rather than in the
 * feed's query: the page's last position is then what the poll scanned, and {@code next} covers the
 * other members' events too. A member whose streams are quiet so keeps its checkpoint up with the
 * feed, which a rescale needs (all members at one position). Unacknowledged events come again to
 * the next poll of that member, in this instance or another, after a restart too: at least once,
 * in feed order per member.
 *
 * <h2>Waiting</h2>
 * A poll without events waits on the {@link AppendSignal} for the rest of its wait, reading the
 * feed again after each signal (and every {@link SubscriptionSettings#pollInterval()} without one).
 * It holds no database connection while it waits, and at most {@link SubscriptionSettings#maxWaitingPolls()}
 * polls wait at once.
 *
 * <h2>Changing the group's size</h2>
 * A {@link #put} with another {@code members} asks for a rescale. When every member's checkpoint
 * is at one position, the new size takes effect at once from there. Otherwise the members of the
 * current size are served only up to the highest checkpoint, and the new size takes effect when
 * the last of them acknowledges it, so it is reached under continuous writes. Polls and
 * acknowledgements of any other size than the one served are refused with {@link GroupSizeConflict},
 * which names each member's position: a consumer of the former size, still running, cannot
 * change the group back.
 */
public final class SubscriptionService {

    private static final int MAX_SCAN_BATCH = 1000;
    private static final int SCAN_PAGES = 10;

    private final Subscriptions subscriptions;
    private final EventStore events;
    private final FeedBacklog backlog;
    private final AppendSignal signal;
    private final Clock clock;
    private final SubscriptionSettings settings;
    private final SubscriptionMetrics metrics;
    private final Semaphore waiting;

    public SubscriptionService(Subscriptions subscriptions, EventStore events, FeedBacklog backlog, AppendSignal signal,
                               Clock clock, SubscriptionSettings settings, SubscriptionMetrics metrics) {
        this.subscriptions = subscriptions;
        this.events = events;
        this.backlog = backlog;
        this.signal = signal;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.waiting = new Semaphore(settings.maxWaitingPolls());
    }

    /** A subscription with its lag: the events after its lowest checkpoint that match its filter, up to {@link FeedBacklog#COUNT_CAP}. */
    public record Status(Subscription subscription, long lag) {
    }

    public record Put(Subscription subscription, boolean created) {
    }

    public SubscriptionSettings settings() {
        return settings;
    }

    /**
     * Creates the subscription, or updates it. A changed filter applies from each member's checkpoint
     * on; the checkpoints are kept. A {@code startFrom} other than the stored one ({@code end} again
     * is the same one) moves every member's checkpoint to it and drops a pending rescale. Another
     * {@code members} than the group's asks for a rescale (see the class comment); none keeps the
     * size (1 for a new subscription).
     *
     * @param startFrom {@code beginning}, {@code end} or a position of the feed, 0 to its last one
     */
    public Put put(String name, Optional<String> category, Set<String> types, String startFrom, OptionalInt members) {
        if (!Subscription.isValidName(name)) {
            throw new InvalidSubscription("name", "a name is 1.." + Subscription.MAX_NAME_LENGTH
                    + " characters of A-Z a-z 0-9 _ . -");
        }
        new EventFilter(category, types);
        if (members.isPresent() && (members.getAsInt() < 1 || members.getAsInt() > settings.maxMembers())) {
            throw new InvalidSubscription("members", "must be 1.." + settings.maxMembers() + "; was " + members.getAsInt());
        }
        long start = resolve(startFrom);
        AtomicBoolean created = new AtomicBoolean();
        Subscription stored = subscriptions.change(name, current -> Optional.of(current
                .map(existing -> {
                    Subscription filtered = existing.withFilter(category, types);
                    int size = members.orElse(existing.members());
                    if (!existing.startFrom().equals(startFrom)) {
                        return filtered.restartedAt(startFrom, start, size);
                    }
                    return members.isPresent() ? filtered.rescaledTo(size) : filtered;
                })
                .orElseGet(() -> {
                    created.set(true);
                    return Subscription.create(name, category, types, startFrom, start)
                            .restartedAt(startFrom, start, members.orElse(1));
                }))).orElseThrow();
        return new Put(stored, created.get());
    }

    private long resolve(String startFrom) {
        if ("beginning".equals(startFrom)) {
            return 0;
        }
        long last = backlog.lastPosition();
        if ("end".equals(startFrom)) {
            return last;
        }
        long position;
        try {
            position = Long.parseLong(startFrom);
        } catch (NumberFormatException e) {
            throw new InvalidSubscription("startFrom", "must be \"beginning\", \"end\" or a position (a whole number)");
        }
        if (position < 0 || position > last) {
            throw new InvalidSubscription("startFrom", "a position must be 0.." + last + " (the feed's last position); was "
                    + position);
        }
        return position;
    }

    public List<Status> list() {
        return subscriptions.list().stream().map(this::status).toList();
    }

    public Optional<Status> find(String name) {
        return subscriptions.find(name).map(this::status);
    }

    private Status status(Subscription subscription) {
        return new Status(subscription, backlog.eventsAfter(subscription.position(), subscription.filter()));
    }

    /** @return whether there was one to delete */
    public boolean delete(String name) {
        AtomicBoolean existed = new AtomicBoolean();
        subscriptions.change(name, current -> {
            existed.set(current.isPresent());
            return Optional.empty();
        });
        return existed.get();
    }

    /**
     * Up to {@code limit} events for member {@code member} of {@code members}, waiting up to
     * {@code wait} for the first.
     *
     * @throws UnknownSubscription when there is none of that name
     * @throws GroupSizeConflict when the group does not serve {@code members} members now
     * @throws TooManyWaitingPolls when {@code wait} is not zero and the most polls that may wait already do
     */
    public Delivery poll(String name, int member, int members, int limit, Duration wait) throws InterruptedException {
        requireMember(member, members);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        boolean waits = !wait.isZero() && !wait.isNegative();
        if (waits && !waiting.tryAcquire()) {
            throw new TooManyWaitingPolls(settings.maxWaitingPolls());
        }
        try {
            long deadline = System.nanoTime() + Math.min(wait.toNanos(), settings.maxWait().toNanos());
            long scanned = -1;
            while (true) {
                long seen = signal.generation();
                Subscription subscription = served(name, members);
                long from = Math.max(scanned, subscription.member(member).position());
                Scan scan = scan(subscription, member, from, limit);
                scanned = scan.next();
                long remaining = deadline - System.nanoTime();
                if (!scan.events().isEmpty() || remaining <= 0) {
                    return delivered(name, member, members, scan);
                }
                if (!scan.more()) {
                    signal.await(seen, Duration.ofNanos(Math.min(remaining, settings.pollInterval().toNanos())));
                }
            }
        } finally {
            if (waits) {
                waiting.release();
            }
        }
    }

    private record Scan(List<RecordedEvent> events, long next, boolean more) {
    }

    /** The member's events after {@code from}, from at most {@value #SCAN_PAGES} pages, never past a pending rescale's position. */
    private Scan scan(Subscription subscription, int member, long from, int limit) {
        long bound = subscription.rescale().map(Subscription.Rescale::at).orElse(Long.MAX_VALUE);
        int batch = (int) Math.min(MAX_SCAN_BATCH, (long) limit * subscription.members());
        EventFilter filter = subscription.filter();
        List<RecordedEvent> mine = new ArrayList<>();
        long next = from;
        for (int page = 0; page < SCAN_PAGES && next < bound; page++) {
            FeedPage read = events.readAll(next, batch, filter);
            for (RecordedEvent event : read.events()) {
                if (event.position() > bound) {
                    return new Scan(mine, bound, false);
                }
                next = event.position();
                if (MemberPartition.memberOf(event.streamId(), subscription.members()) == member) {
                    mine.add(event);
                    if (mine.size() == limit) {
                        return new Scan(mine, next, false);
                    }
                }
            }
            if (read.events().size() < batch || !mine.isEmpty()) {
                return new Scan(mine, next, false);
            }
        }
        return new Scan(mine, next, next < bound);
    }

    private Delivery delivered(String name, int member, int members, Scan scan) {
        Instant now = now();
        subscriptions.change(name, current -> current.map(subscription -> {
            if (subscription.members() != members) {
                return subscription;
            }
            Subscription.Member was = subscription.member(member);
            return subscription.withMember(new Subscription.Member(member, was.position(),
                    Math.max(was.delivered(), scan.next()), Optional.of(now)));
        }));
        metrics.delivered(name, scan.events().size());
        return new Delivery(scan.events(), scan.next());
    }

    /** The subscription, when it serves groups of {@code members} now. */
    private Subscription served(String name, int members) {
        Subscription subscription = subscriptions.find(name).orElseThrow(() -> new UnknownSubscription(name));
        if (subscription.members() != members) {
            throw conflict(subscription, members);
        }
        return subscription;
    }

    private static GroupSizeConflict conflict(Subscription subscription, int asked) {
        StringBuilder positions = new StringBuilder();
        subscription.checkpoints().forEach(member -> positions.append(positions.isEmpty() ? "" : ", ")
                .append("member ").append(member.index()).append(" at ").append(member.position()));
        String message = subscription.rescale()
                .map(rescale -> rescale.members() == asked
                        ? subscription.name() + " is changing from " + subscription.members() + " to " + asked
                                + " members, from position " + rescale.at() + " which not every member reached (" + positions
                                + "); keep polling and acknowledging with members=" + subscription.members()
                                + " until each reached " + rescale.at() + " (they are served up to there), then use members=" + asked
                        : subscription.name() + " is changing from " + subscription.members() + " to " + rescale.members()
                                + " members (" + positions + "); finish that first (poll and acknowledge with members="
                                + subscription.members() + " up to " + rescale.at() + "), then ask for " + asked)
                .orElse(subscription.name() + " has " + subscription.members() + " members (" + positions
                        + "); use members=" + subscription.members() + ", or change its size with PUT /api/subscriptions/"
                        + subscription.name() + " {..., \"members\": " + asked + "}");
        return new GroupSizeConflict(subscription, asked, message);
    }

    /**
     * Moves member {@code member}'s checkpoint to {@code position}. An acknowledgement at or before
     * the checkpoint changes nothing (a late or repeated one); one past what that member was handed is refused.
     *
     * @throws AckBeyondDelivered when {@code position} passes what was handed out to the member
     * @throws GroupSizeConflict when the group has another size than {@code members}
     */
    public void ack(String name, int member, int members, long position) {
        requireMember(member, members);
        Instant now = now();
        AtomicBoolean resized = new AtomicBoolean();
        subscriptions.change(name, current -> {
            resized.set(false);
            Subscription subscription = current.orElseThrow(() -> new UnknownSubscription(name));
            if (subscription.members() != members) {
                throw conflict(subscription, members);
            }
            Subscription.Member was = subscription.member(member);
            // While the size changes, no member may pass the position the new size starts from.
            long allowed = Math.min(was.delivered(), subscription.rescale().map(Subscription.Rescale::at).orElse(Long.MAX_VALUE));
            if (position > allowed) {
                throw new AckBeyondDelivered(name, member, position, allowed);
            }
            if (position <= was.position()) {
                return Optional.of(subscription.withMember(was.seen(now)));
            }
            Subscription moved = subscription.withMember(new Subscription.Member(member, position, was.delivered(),
                    Optional.of(now)));
            Optional<Subscription> resizedNow = moved.rescale()
                    .filter(rescale -> moved.converged() && moved.position() == rescale.at())
                    .map(rescale -> moved.resized(rescale.members(), rescale.at()));
            resized.set(resizedNow.isPresent());
            return Optional.of(resizedNow.orElse(moved));
        });
        metrics.acknowledged(name, member, position);
        if (resized.get()) {
            // Polls of the old size waiting in this instance learn at once that the size changed.
            signal.signal();
        }
    }

    private void requireMember(int member, int members) {
        if (members < 1 || members > settings.maxMembers()) {
            throw new InvalidSubscription("members", "must be 1.." + settings.maxMembers() + "; was " + members);
        }
        if (member < 0 || member >= members) {
            throw new InvalidSubscription("member", "must be 0.." + (members - 1) + " with members=" + members + "; was " + member);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
