package org.pgeventstore.adapters.http.order;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.domain.order.InvalidOrderData;

/** Reads an order command's body: JSON, then Bean Validation, then the domain's own value checks. */
@Singleton
class OrderRequestReader {

    private final Validator validator;

    OrderRequestReader(Validator validator) {
        this.validator = validator;
    }

    <T> T read(byte[] body, Class<T> type) {
        T request = ApiJson.read(body, type);
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ApiProblem.invalid(violations.stream()
                    .map(v -> new ApiProblem.InvalidParam(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(ApiProblem.InvalidParam::name))
                    .toList());
        }
        return request;
    }

    /** Builds domain values from a valid request; a value the domain refuses is a 422 naming its field. */
    static <T> T toDomain(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidOrderData invalid) {
            throw ApiProblem.invalid(List.of(new ApiProblem.InvalidParam(invalid.field(), invalid.reason())));
        }
    }
}
