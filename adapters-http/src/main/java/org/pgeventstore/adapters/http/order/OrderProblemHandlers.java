package org.pgeventstore.adapters.http.order;

import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.IfMatch;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.application.order.IdempotencyKeyReused;
import org.pgeventstore.application.order.StaleOrderVersion;
import org.pgeventstore.application.order.UnknownOrder;
import org.pgeventstore.application.order.UnreadableOrderEvent;
import org.pgeventstore.application.order.VersionOutOfRange;
import org.pgeventstore.domain.order.InvalidOrderData;
import org.pgeventstore.domain.order.InvalidTransition;
import org.pgeventstore.domain.order.OrderAlreadyExists;
import org.pgeventstore.domain.order.OrderNotFound;
import org.pgeventstore.domain.order.OrderRejection;
import org.pgeventstore.domain.order.PaymentMismatch;
import org.pgeventstore.domain.order.RefundExceedsPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the order domain's rejections and the order use cases' failures to problem+json. */
@Factory
public class OrderProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(OrderProblemHandlers.class);

    @Singleton
    @Produces
    ExceptionHandler<OrderRejection, HttpResponse<?>> rejection() {
        return (request, rejection) -> ProblemResponses.of(switch (rejection) {
            case InvalidTransition invalid -> ApiProblem.withMembers(HttpStatus.CONFLICT, "invalid-transition",
                    "The order's status does not allow this command", invalid.getMessage(),
                    Map.of("orderStatus", invalid.status().inWords(), "command", invalid.command()));
            case OrderNotFound notFound -> ApiProblem.withMembers(HttpStatus.NOT_FOUND, "order-not-found",
                    "The order does not exist", notFound.getMessage(), Map.of("command", notFound.command()));
            case OrderAlreadyExists exists -> ApiProblem.of(HttpStatus.CONFLICT, "order-already-exists",
                    "The order already exists", exists.getMessage());
            case PaymentMismatch mismatch -> ApiProblem.withMembers(HttpStatus.UNPROCESSABLE_ENTITY, "payment-mismatch",
                    "The payment does not match the order total", mismatch.getMessage(),
                    Map.of("total", mismatch.total().amount(),
                            "invalidParams", List.of(new ApiProblem.InvalidParam("amount",
                                    "must equal the order total " + mismatch.total()))));
            case RefundExceedsPayment refund -> ApiProblem.withMembers(HttpStatus.UNPROCESSABLE_ENTITY,
                    "refund-exceeds-payment", "The refund is more than was paid", refund.getMessage(),
                    Map.of("paid", refund.paid().amount(),
                            "invalidParams", List.of(new ApiProblem.InvalidParam("refundAmount",
                                    "must be at most the amount paid, " + refund.paid()))));
        }, request);
    }

    @Singleton
    @Produces
    ExceptionHandler<InvalidOrderData, HttpResponse<?>> invalidData() {
        return (request, invalid) -> ProblemResponses.of(
                ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(invalid.field(), invalid.reason()))), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<StaleOrderVersion, HttpResponse<?>> staleVersion() {
        return (request, stale) -> ProblemResponses.of(IfMatch.stale("order " + stale.orderId(), "order",
                stale.condition(), stale.actualVersion()), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<UnknownOrder, HttpResponse<?>> unknownOrder() {
        return (request, unknown) -> ProblemResponses.of(HttpStatus.NOT_FOUND, "order-not-found",
                "The order does not exist", unknown.getMessage(), Map.of(), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<VersionOutOfRange, HttpResponse<?>> versionOutOfRange() {
        return (request, range) -> ProblemResponses.of(HttpStatus.NOT_FOUND, "version-not-found",
                "The order has no such version", range.getMessage(),
                Map.of("currentVersion", range.currentVersion()), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<IdempotencyKeyReused, HttpResponse<?>> keyReused() {
        return (request, reused) -> ProblemResponses.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                "The idempotency key was used for another request", reused.getMessage()
                        + "; use a new Idempotency-Key for a different order", Map.of(), request);
    }

    @Singleton
    @Produces
    ExceptionHandler<UnreadableOrderEvent, HttpResponse<?>> unreadable() {
        return (request, unreadable) -> {
            LOG.error("event=unreadable_order_event stream={} version={} type={} error=\"{}\" hint=\"the stream holds an "
                            + "event this version of the service cannot read; add an upcaster or fix the writer\"",
                    unreadable.streamId(), unreadable.version(), unreadable.type(), unreadable.getMessage());
            return ProblemResponses.of(HttpStatus.INTERNAL_SERVER_ERROR, "unreadable-event",
                    "A stored event cannot be read", unreadable.getMessage(),
                    Map.of("streamId", unreadable.streamId(), "version", unreadable.version(), "eventType",
                            unreadable.type()), request);
        };
    }
}
