package org.pgeventstore.application.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@link Subscriptions} contract, run against every adapter. */
public abstract class SubscriptionsContract {

    protected abstract Subscriptions subscriptions();

    private static String name() {
        return "contract-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Subscription create(String name) {
        return subscriptions().change(name, current -> Optional.of(
                Subscription.create(name, Optional.of("order"), Set.of("OrderPlaced", "OrderPaid"), "7", 7))).orElseThrow();
    }

    @Test
    @DisplayName("a stored subscription is found and listed as stored, with its filter, start and member")
    void storeAndFind() {
        String name = name();
        Subscription created = create(name);
        assertThat(subscriptions().find(name)).contains(created);
        assertThat(subscriptions().list()).contains(created);
        assertThat(created.member(0)).isEqualTo(new Subscription.Member(0, 7, 7, Optional.empty()));
        assertThat(subscriptions().find(name + "-none")).isEmpty();
    }

    @Test
    @DisplayName("a group's members, checkpoints, last-seen times and pending rescale are kept; shrinking drops members")
    void membersAndRescale() {
        String name = name();
        create(name);
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Subscription three = subscriptions().change(name, current -> current.map(s -> s.resized(3, 7)
                .withMember(new Subscription.Member(1, 9, 12, Optional.of(seen))).rescaledTo(2))).orElseThrow();
        assertThat(subscriptions().find(name)).contains(three);
        assertThat(three.rescale()).contains(new Subscription.Rescale(2, 9));
        assertThat(three.position()).isEqualTo(7);

        Subscription two = subscriptions().change(name, current -> current.map(s -> s.resized(2, 9))).orElseThrow();
        assertThat(subscriptions().find(name)).contains(two);
        assertThat(two.checkpoints()).hasSize(2);
        assertThat(two.rescale()).isEmpty();
        Subscription none = subscriptions().change(name, current -> current.map(s -> s.withFilter(Optional.empty(), Set.of())))
                .orElseThrow();
        assertThat(subscriptions().find(name).orElseThrow().category()).isEmpty();
        assertThat(subscriptions().find(name)).contains(none);
    }

    @Test
    @DisplayName("a change that throws stores nothing; a change to empty deletes")
    void throwingAndDeleting() {
        String name = name();
        Subscription created = create(name);
        assertThatThrownBy(() -> subscriptions().change(name, current -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(subscriptions().find(name)).contains(created);
        assertThat(subscriptions().change(name, current -> Optional.empty())).isEmpty();
        assertThat(subscriptions().find(name)).isEmpty();
        assertThat(subscriptions().list()).doesNotContain(created);
    }

    @Test
    @DisplayName("concurrent changes of one subscription are serialised: 8 threads x 50 increments lose none, creation included")
    void changesAreSerialised() throws Exception {
        String name = name();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        subscriptions().change(name, current -> {
                            Subscription s = current.orElseGet(() -> Subscription.create(name, Optional.empty(), Set.of(), "0", 0));
                            Subscription.Member m = s.member(0);
                            return Optional.of(s.withMember(new Subscription.Member(0, m.position() + 1, m.delivered() + 1,
                                    Optional.empty())));
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(subscriptions().find(name).orElseThrow().member(0).position()).isEqualTo(400);
    }
}
