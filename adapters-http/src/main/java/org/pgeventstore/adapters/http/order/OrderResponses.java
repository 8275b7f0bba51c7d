package org.pgeventstore.adapters.http.order;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.regex.Pattern;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.domain.order.OrderId;

/** What the order routes share: the order id in the path, and the order view with its ETag. */
final class OrderResponses {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private OrderResponses() {
    }

    static OrderId orderId(String id) {
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw ApiProblem.badParameter("id", "an order id is a UUID; was " + ApiProblem.quoted(id));
        }
        return OrderId.of(id);
    }

    static MutableHttpResponse<String> ok(OrderView view, long version) {
        return HttpResponse.ok(ApiJson.write(view))
                .header("ETag", "\"" + version + "\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
