package org.pgeventstore.application.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.ScannedFeedBacklog;
import org.pgeventstore.application.subscription.SubscriptionRejection.AckBeyondDelivered;
import org.pgeventstore.application.subscription.SubscriptionRejection.GroupSizeConflict;
import org.pgeventstore.application.subscription.SubscriptionRejection.InvalidSubscription;
import org.pgeventstore.application.subscription.SubscriptionRejection.TooManyWaitingPolls;

class SubscriptionServiceTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final AppendSignal signal = new AppendSignal();
    private final InMemorySubscriptions subscriptions = new InMemorySubscriptions();
    private final SubscriptionService service = new SubscriptionService(subscriptions, store, new ScannedFeedBacklog(store),
            signal, Clock.systemUTC(), new SubscriptionSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 2, 16),
            SubscriptionMetrics.NONE);

    private void append(String stream, String type) {
        store.append(StreamId.of(stream), ExpectedVersion.ANY, List.of(NewEvent.of(type, "{}")));
    }

    /** Polls and acknowledges member {@code member} of {@code members} until nothing is left. */
    private List<RecordedEvent> drain(String name, int member, int members) throws InterruptedException {
        List<RecordedEvent> received = new ArrayList<>();
        while (true) {
            Delivery delivery;
            try {
                delivery = service.poll(name, member, members, 7, Duration.ZERO);
            } catch (GroupSizeConflict resized) {
                assertThat(subscriptions.find(name).orElseThrow().members()).as("resized meanwhile").isNotEqualTo(members);
                return received;
            }
            long before = subscriptions.find(name).orElseThrow().member(member).position();
            service.ack(name, member, members, delivery.next());
            received.addAll(delivery.events());
            if (delivery.events().isEmpty() && delivery.next() == before) {
                return received;
            }
        }
    }

    @Nested
    @DisplayName("delivery")
    class DeliveryRules {

        @Test
        @DisplayName("matching events after the checkpoint in feed order; unacknowledged ones come again, acknowledged ones not")
        void atLeastOnce() throws Exception {
            append("order-1", "OrderPlaced");
            append("cart-1", "CartOpened");
            append("order-1", "OrderPaid");
            service.put("orders", Optional.of("order"), Set.of(), "beginning", OptionalInt.empty());

            Delivery first = service.poll("orders", 0, 1, 1, Duration.ZERO);
            assertThat(first.events()).extracting(RecordedEvent::type).containsExactly("OrderPlaced");
            assertThat(service.poll("orders", 0, 1, 10, Duration.ZERO).events()).extracting(RecordedEvent::type)
                    .containsExactly("OrderPlaced", "OrderPaid");
            service.ack("orders", 0, 1, first.next());
            Delivery rest = service.poll("orders", 0, 1, 10, Duration.ZERO);
            assertThat(rest.events()).extracting(RecordedEvent::type).containsExactly("OrderPaid");
            service.ack("orders", 0, 1, rest.next());
            assertThat(service.poll("orders", 0, 1, 10, Duration.ZERO).events()).isEmpty();
            assertThat(service.find("orders").orElseThrow().lag()).isZero();
        }

        @Test
        @DisplayName("3 members: every event exactly once across them, each stream at one member in version order; "
                + "an idle member's next passes the others' events")
        void competingMembers() throws Exception {
            for (int i = 0; i < 300; i++) {
                append("item-" + (i % 23), "Moved");
            }
            service.put("items", Optional.empty(), Set.of(), "beginning", OptionalInt.of(3));
            Map<String, Integer> memberOfStream = new HashMap<>();
            Set<Long> seen = new HashSet<>();
            for (int member = 0; member < 3; member++) {
                Map<String, Long> lastVersion = new HashMap<>();
                for (RecordedEvent event : drain("items", member, 3)) {
                    assertThat(seen.add(event.position())).as("delivered once: %s", event).isTrue();
                    assertThat(memberOfStream.put(event.streamId(), member)).isIn(null, member);
                    assertThat(event.version()).isEqualTo(lastVersion.getOrDefault(event.streamId(), 0L) + 1);
                    lastVersion.put(event.streamId(), event.version());
                    assertThat(MemberPartition.memberOf(event.streamId(), 3)).isEqualTo(member);
                }
            }
            assertThat(seen).hasSize(300);
            assertThat(Set.copyOf(memberOfStream.values())).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(service.find("items").orElseThrow().subscription().checkpoints())
                    .allSatisfy(member -> assertThat(member.position()).isEqualTo(300));
        }

        @Test
        @DisplayName("an acknowledgement at or before the checkpoint changes nothing; one past what was handed out is refused")
        void ackRules() throws Exception {
            append("a-1", "A");
            append("a-1", "A");
            service.put("acks", Optional.empty(), Set.of(), "beginning", OptionalInt.empty());
            Delivery delivery = service.poll("acks", 0, 1, 10, Duration.ZERO);
            assertThatThrownBy(() -> service.ack("acks", 0, 1, delivery.next() + 1)).isInstanceOf(AckBeyondDelivered.class);
            service.ack("acks", 0, 1, delivery.next());
            service.ack("acks", 0, 1, 1);
            assertThat(subscriptions.find("acks").orElseThrow().member(0).position()).isEqualTo(delivery.next());
            assertThatThrownBy(() -> service.ack("acks", 0, 2, 1)).isInstanceOf(GroupSizeConflict.class);
            assertThatThrownBy(() -> service.poll("acks", 2, 2, 10, Duration.ZERO)).isInstanceOf(InvalidSubscription.class);
        }
    }

    @Nested
    @DisplayName("definitions")
    class Definitions {

        @Test
        @DisplayName("a changed filter keeps the checkpoints; a changed startFrom moves them; end again is the same start")
        void updates() throws Exception {
            append("a-1", "A");
            append("b-1", "B");
            assertThat(service.put("defs", Optional.empty(), Set.of(), "end", OptionalInt.empty()).created()).isTrue();
            assertThat(service.find("defs").orElseThrow().subscription().position()).isEqualTo(2);
            append("a-1", "A");
            assertThat(service.put("defs", Optional.of("a"), Set.of(), "end", OptionalInt.empty()).created()).isFalse();
            assertThat(service.find("defs").orElseThrow().subscription().position()).isEqualTo(2);
            assertThat(service.find("defs").orElseThrow().lag()).isEqualTo(1);
            service.put("defs", Optional.of("a"), Set.of(), "beginning", OptionalInt.empty());
            assertThat(service.poll("defs", 0, 1, 10, Duration.ZERO).events()).hasSize(2);
            assertThatThrownBy(() -> service.put("defs", Optional.empty(), Set.of(), "4", OptionalInt.empty()))
                    .isInstanceOf(InvalidSubscription.class);
            assertThatThrownBy(() -> service.put("bad name", Optional.empty(), Set.of(), "end", OptionalInt.empty()))
                    .isInstanceOf(InvalidSubscription.class);
            assertThat(service.delete("defs")).isTrue();
            assertThat(service.delete("defs")).isFalse();
        }
    }

    @Nested
    @DisplayName("changing the group's size")
    class Rescale {

        @Test
        @DisplayName("from a common checkpoint at once; otherwise old members are served up to the highest checkpoint, "
                + "new ones refused with the positions, and the new size starts once all reached it; nothing lost or repeated")
        void rescale() throws Exception {
            for (int i = 0; i < 60; i++) {
                append("s-" + (i % 9), "E");
            }
            service.put("scale", Optional.empty(), Set.of(), "beginning", OptionalInt.of(2));
            assertThat(subscriptions.find("scale").orElseThrow().members()).as("converged: at once").isEqualTo(2);

            Set<Long> seen = new HashSet<>();
            Delivery some = service.poll("scale", 0, 2, 5, Duration.ZERO);
            service.ack("scale", 0, 2, some.next());
            some.events().forEach(event -> seen.add(event.position()));
            long highest = some.next();

            Subscription rescaling = service.put("scale", Optional.empty(), Set.of(), "beginning", OptionalInt.of(3))
                    .subscription();
            assertThat(rescaling.rescale()).contains(new Subscription.Rescale(3, highest));
            assertThatThrownBy(() -> service.poll("scale", 0, 3, 5, Duration.ZERO)).isInstanceOf(GroupSizeConflict.class)
                    .hasMessageContaining("member 0 at " + highest).hasMessageContaining("member 1 at 0");
            assertThat(drain("scale", 0, 2)).as("member 0 is at the rescale's position").isEmpty();
            for (int i = 0; i < 30; i++) {
                append("s-" + (i % 9), "E");
            }
            for (RecordedEvent event : drain("scale", 1, 2)) {
                assertThat(event.position()).isLessThanOrEqualTo(highest);
                assertThat(seen.add(event.position())).isTrue();
            }
            assertThat(subscriptions.find("scale").orElseThrow().members()).isEqualTo(3);
            for (int member = 0; member < 3; member++) {
                for (RecordedEvent event : drain("scale", member, 3)) {
                    assertThat(event.position()).isGreaterThan(highest);
                    assertThat(seen.add(event.position())).isTrue();
                }
            }
            assertThat(seen).hasSize(90);
            assertThatThrownBy(() -> service.ack("scale", 0, 2, highest)).isInstanceOf(GroupSizeConflict.class);
        }
    }

    @Nested
    @DisplayName("long polls")
    class LongPolls {

        @Test
        @DisplayName("a waiting poll returns the event appended during its wait after the signal; without one, empty after the wait")
        void wakeUp() throws Exception {
            service.put("waits", Optional.empty(), Set.of(), "beginning", OptionalInt.empty());
            long started = System.nanoTime();
            assertThat(service.poll("waits", 0, 1, 10, Duration.ofMillis(300)).events()).isEmpty();
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

            ExecutorService thread = Executors.newSingleThreadExecutor();
            CompletableFuture<Delivery> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.poll("waits", 0, 1, 10, Duration.ofSeconds(25));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, thread);
            Thread.sleep(200);
            append("w-1", "Woke");
            signal.signal();
            // The poll interval is 10 s: only the signal can end the wait within 8 s.
            assertThat(poll.get(8, TimeUnit.SECONDS).events()).extracting(RecordedEvent::type).containsExactly("Woke");
            thread.shutdownNow();
        }

        @Test
        @DisplayName("beyond the most polls that may wait, a poll that would wait is refused; one with wait=0 is served")
        void bounded() throws Exception {
            service.put("busy", Optional.empty(), Set.of(), "beginning", OptionalInt.empty());
            List<CompletableFuture<Delivery>> waiting = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            for (int i = 0; i < 2; i++) {
                waiting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return service.poll("busy", 0, 1, 10, Duration.ofSeconds(20));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            Thread.sleep(300);
            assertThatThrownBy(() -> service.poll("busy", 0, 1, 10, Duration.ofSeconds(1)))
                    .isInstanceOf(TooManyWaitingPolls.class);
            assertThat(service.poll("busy", 0, 1, 10, Duration.ZERO).events()).isEmpty();
            append("b-1", "B");
            signal.signal();
            for (var poll : waiting) {
                assertThat(poll.get(8, TimeUnit.SECONDS).events()).hasSize(1);
            }
            assertThat(service.poll("busy", 0, 1, 10, Duration.ofMillis(10)).events()).hasSize(1);
            threads.shutdownNow();
        }
    }
}
