package org.pgeventstore.application.subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.pgeventstore.application.eventstore.EventFilter;

/**
 * A durable consumer group: which events of the global feed it wants ({@code category}, {@code types}),
 * where it started, how many members share it, and each member's checkpoint.
 *
 * @param startFrom how it was asked to start: {@code beginning}, {@code end} or a position, as given
 * @param startPosition the position that start resolved to when it was set
 * @param members the group's size: member {@code i} receives the streams {@link MemberPartition} gives it
 * @param rescale a change of size asked for and not yet reached, if any
 * @param checkpoints one per member, in member order
 */
public record Subscription(String name, Optional<String> category, Set<String> types, String startFrom, long startPosition,
                           int members, Optional<Rescale> rescale, List<Member> checkpoints) {

    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_LENGTH + "}");

    /**
     * One member's progress.
     *
     * @param position its checkpoint: every event of its share up to here was acknowledged
     * @param delivered the highest {@code next} handed out to it; an acknowledgement may not pass it
     * @param lastSeen when it last polled or acknowledged; empty when it never did
     */
    public record Member(int index, long position, long delivered, Optional<Instant> lastSeen) {
        public Member {
            Objects.requireNonNull(lastSeen, "lastSeen");
        }

        Member seen(Instant at) {
            return new Member(index, position, delivered, Optional.of(at));
        }
    }

    /**
     * A change of the group's size on its way: members of the current size are served only up to
     * {@code at} (the highest checkpoint when it was asked for); once each acknowledged {@code at},
     * the group has {@code members} members, each with its checkpoint at {@code at}.
     */
    public record Rescale(int members, long at) {
    }

    public Subscription {
        Objects.requireNonNull(category, "category");
        types = Set.copyOf(types);
        Objects.requireNonNull(rescale, "rescale");
        checkpoints = List.copyOf(checkpoints);
        if (checkpoints.size() != members) {
            throw new IllegalArgumentException("a group of " + members + " members has " + checkpoints.size() + " checkpoints");
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A new subscription of one member, at {@code startPosition}. */
    static Subscription create(String name, Optional<String> category, Set<String> types, String startFrom, long startPosition) {
        return new Subscription(name, category, types, startFrom, startPosition, 1, Optional.empty(),
                fresh(1, startPosition));
    }

    private static List<Member> fresh(int members, long position) {
        return IntStream.range(0, members).mapToObj(i -> new Member(i, position, position, Optional.empty())).toList();
    }

    /** The events it wants. */
    public EventFilter filter() {
        return new EventFilter(category, types);
    }

    /** The lowest checkpoint: every event it wants up to here was acknowledged by the member it went to. */
    public long position() {
        return checkpoints.stream().mapToLong(Member::position).min().orElse(startPosition);
    }

    public Member member(int index) {
        return checkpoints.get(index);
    }

    /** Whether every member's checkpoint is at one position, from which any size may start. */
    boolean converged() {
        return checkpoints.stream().mapToLong(Member::position).distinct().count() == 1;
    }

    Subscription withFilter(Optional<String> newCategory, Set<String> newTypes) {
        return new Subscription(name, newCategory, newTypes, startFrom, startPosition, members, rescale, checkpoints);
    }

    /** A group of {@code newMembers}, every member back (or forward) to {@code position}; a pending rescale is dropped. */
    Subscription restartedAt(String newStartFrom, long position, int newMembers) {
        return new Subscription(name, category, types, newStartFrom, position, newMembers, Optional.empty(),
                fresh(newMembers, position));
    }

    /** The group with {@code newMembers} members, all at the common checkpoint {@code at}. */
    Subscription resized(int newMembers, long at) {
        return new Subscription(name, category, types, startFrom, startPosition, newMembers, Optional.empty(),
                fresh(newMembers, at));
    }

    /**
     * The group on its way to {@code newMembers}: immediately when every member is at one
     * checkpoint, else from the highest checkpoint (kept when a rescale is on its way already);
     * asking for the current size drops a pending rescale.
     */
    Subscription rescaledTo(int newMembers) {
        if (newMembers == members) {
            return new Subscription(name, category, types, startFrom, startPosition, members, Optional.empty(), checkpoints);
        }
        if (converged()) {
            return resized(newMembers, position());
        }
        long at = rescale.map(Rescale::at)
                .orElseGet(() -> checkpoints.stream().mapToLong(Member::position).max().orElse(startPosition));
        return new Subscription(name, category, types, startFrom, startPosition, members,
                Optional.of(new Rescale(newMembers, at)), checkpoints);
    }

    Subscription withMember(Member member) {
        List<Member> changed = new ArrayList<>(checkpoints);
        changed.set(member.index(), member);
        return new Subscription(name, category, types, startFrom, startPosition, members, rescale, changed);
    }
}
