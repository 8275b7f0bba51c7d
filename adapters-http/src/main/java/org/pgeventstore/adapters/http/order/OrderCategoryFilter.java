package org.pgeventstore.adapters.http.order;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.adapters.http.ProblemResponses;
import org.pgeventstore.adapters.http.security.Caller;
import org.pgeventstore.application.order.OrderStreams;

/** Every order route reads or writes streams of category {@code order}: a caller limited to other categories gets a 403. */
@ServerFilter({"/api/orders", "/api/orders/**"})
public class OrderCategoryFilter implements Ordered {

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> requireOrderCategory(HttpRequest<?> request) {
        var authentication = request.getUserPrincipal(Authentication.class);
        if (authentication.isEmpty()) {
            return null;
        }
        try {
            Caller.of(authentication.get()).requireCategory(OrderStreams.CATEGORY);
            return null;
        } catch (ApiProblem forbidden) {
            return ProblemResponses.of(forbidden, request);
        }
    }
}
