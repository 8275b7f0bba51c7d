package org.pgeventstore.adapters.http.subscription;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.pgeventstore.application.subscription.Subscription;
import org.pgeventstore.application.subscription.SubscriptionService;

/**
 * A consumer group as the API shows it.
 *
 * @param position the lowest member checkpoint: everything the group wants up to here was acknowledged
 * @param lag the events after {@code position} that match its filter, counted up to 100,000 (at the cap: at least)
 * @param members the group's size
 * @param status {@code active}, or {@code rescaling} while a change of size waits for every member to reach {@code rescale.at}
 * @param checkpoints each member's checkpoint, the highest position handed out to it, and when it last polled or acknowledged
 */
@Schema(name = "Subscription")
record SubscriptionView(String name, @Nullable String category, List<String> types, String startFrom, long position,
                        long lag, int members, String status, @Nullable RescaleView rescale,
                        List<MemberView> checkpoints) {

    @Schema(name = "SubscriptionRescale")
    record RescaleView(int members, long at) {
    }

    @Schema(name = "SubscriptionMember")
    record MemberView(int member, long position, long delivered, @Nullable Instant lastSeen) {
    }

    static SubscriptionView of(SubscriptionService.Status status) {
        Subscription subscription = status.subscription();
        return new SubscriptionView(subscription.name(), subscription.category().orElse(null),
                subscription.types().stream().sorted().toList(), subscription.startFrom(), subscription.position(),
                status.lag(), subscription.members(), subscription.rescale().isPresent() ? "rescaling" : "active",
                subscription.rescale().map(rescale -> new RescaleView(rescale.members(), rescale.at())).orElse(null),
                subscription.checkpoints().stream().map(member -> new MemberView(member.index(), member.position(),
                        member.delivered(), member.lastSeen().orElse(null))).toList());
    }
}
