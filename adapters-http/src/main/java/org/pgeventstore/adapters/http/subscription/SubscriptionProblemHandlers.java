package org.pgeventstore.adapters.http.subscription;

import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.application.subscription.Subscription;
import org.pgeventstore.application.subscription.SubscriptionRejection;
import org.pgeventstore.application.subscription.SubscriptionRejection.AckBeyondDelivered;
import org.pgeventstore.application.subscription.SubscriptionRejection.GroupSizeConflict;
import org.pgeventstore.application.subscription.SubscriptionRejection.InvalidSubscription;
import org.pgeventstore.application.subscription.SubscriptionRejection.TooManyWaitingPolls;
import org.pgeventstore.application.subscription.SubscriptionRejection.UnknownSubscription;

/** The consumer groups' refusals as problem+json, each case in one place. */
@Factory
public class SubscriptionProblemHandlers {

    /** Seconds a poll refused for lack of room should wait before trying again. */
    static final String RETRY_AFTER_SECONDS = "1";

    @Singleton
    @Produces
    ExceptionHandler<SubscriptionRejection, HttpResponse<?>> subscriptionRejection() {
        return (request, rejection) -> response(rejection, request);
    }

    static HttpResponse<?> response(SubscriptionRejection rejection, HttpRequest<?> request) {
        return switch (rejection) {
            case UnknownSubscription unknown -> ProblemResponses.of(HttpStatus.NOT_FOUND, "unknown-subscription",
                    "No such subscription", unknown.getMessage() + "; GET /api/subscriptions lists them", Map.of(), request);
            case InvalidSubscription invalid -> ProblemResponses.of(ApiProblem.invalid(
                    List.of(new ApiProblem.InvalidParam(invalid.field(), invalid.getMessage()))), request);
            case GroupSizeConflict conflict -> ProblemResponses.of(HttpStatus.CONFLICT, "group-size-conflict",
                    "The group does not serve that many members now", conflict.getMessage(), members(conflict), request);
            case AckBeyondDelivered beyond -> ProblemResponses.of(HttpStatus.CONFLICT, "ack-beyond-delivered",
                    "Acknowledged past what was handed out", beyond.getMessage(),
                    Map.of("position", beyond.position(), "delivered", beyond.delivered()), request);
            case TooManyWaitingPolls busy -> ProblemResponses.of(HttpStatus.SERVICE_UNAVAILABLE, "too-many-waiting-polls",
                    "Too many long polls wait", busy.getMessage() + "; retry after " + RETRY_AFTER_SECONDS
                            + " s, or poll with wait=0", Map.of(), request)
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        };
    }

    private static Map<String, Object> members(GroupSizeConflict conflict) {
        Subscription subscription = conflict.subscription();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("members", subscription.members());
        members.put("askedMembers", conflict.askedMembers());
        subscription.rescale().ifPresent(rescale -> members.put("rescale", Map.of("members", rescale.members(), "at", rescale.at())));
        members.put("checkpoints", subscription.checkpoints().stream()
                .map(member -> Map.of("member", member.index(), "position", member.position())).toList());
        return members;
    }
}
