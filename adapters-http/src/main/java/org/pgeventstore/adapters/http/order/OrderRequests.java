package org.pgeventstore.adapters.http.order;

import io.micronaut.core.annotation.Introspected;
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The bodies of the order commands as clients send them. Bean Validation checks their
 * shape and bounds; the domain then checks the business rules.
 */
public final class OrderRequests {

    static final int MAX_TEXT = 200;
    static final int MAX_LINE_ITEMS = 100;

    private OrderRequests() {
    }

    @Introspected
    @Schema(name = "LineItemRequest")
    public record LineItemRequest(
            @NotBlank @Size(max = MAX_TEXT) String productId,
            @NotBlank @Size(max = MAX_TEXT) String sku,
            @NotBlank @Size(max = MAX_TEXT) String name,
            @NotNull @Positive @Max(1_000_000) Integer quantity,
            @NotNull @Positive @Digits(integer = 15, fraction = 2) BigDecimal unitPrice) {
    }

    @Introspected
    @Schema(name = "AddressRequest")
    public record AddressRequest(
            @NotBlank @Size(max = MAX_TEXT) String line1,
            @NotBlank @Size(max = MAX_TEXT) String city,
            @NotBlank @Size(max = MAX_TEXT) String country,
            @NotBlank @Size(max = 32) String postalCode) {
    }

    @Introspected
    @Schema(name = "PlaceOrderRequest")
    public record PlaceOrderRequest(
            @NotBlank @Size(max = MAX_TEXT) String customerId,
            @NotEmpty @Size(max = MAX_LINE_ITEMS) List<@NotNull @Valid LineItemRequest> lineItems,
            @NotNull @Valid AddressRequest shippingAddress,
            @Nullable @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code of three capital letters")
            String currency) {
    }

    @Introspected
    @Schema(name = "PaymentRequest")
    public record PaymentRequest(
            @NotNull @Positive @Digits(integer = 15, fraction = 2) BigDecimal amount,
            @NotBlank @Size(max = MAX_TEXT) String method) {
    }

    @Introspected
    @Schema(name = "ShipmentRequest")
    public record ShipmentRequest(
            @NotBlank @Size(max = MAX_TEXT) String trackingNumber,
            @NotBlank @Size(max = MAX_TEXT) String carrier,
            @Nullable LocalDate estimatedDelivery) {
    }

    @Introspected
    @Schema(name = "DeliveryRequest")
    public record DeliveryRequest(
            @Nullable Instant deliveredAt,
            @Nullable @Size(min = 1, max = MAX_TEXT) String signedBy) {
    }

    @Introspected
    @Schema(name = "CancellationRequest")
    public record CancellationRequest(
            @NotBlank @Size(max = 1000) String reason,
            @NotBlank @Size(max = MAX_TEXT) String cancelledBy,
            @Nullable @PositiveOrZero @Digits(integer = 15, fraction = 2) BigDecimal refundAmount) {
    }
}
