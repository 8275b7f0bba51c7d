package org.pgeventstore.domain.order;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A non-negative amount in the shop's single currency, held as a {@link BigDecimal} with scale
 * exactly {@value #SCALE}.
 *
 * <p>Amounts with fewer decimals are widened ({@code 5} becomes {@code 5.00}); amounts that
 * would need rounding ({@code 9.999}) are rejected, because silently rounding money loses it.
 * Trailing zeros beyond the cents ({@code 9.990}) are not rounding and are accepted. Because the
 * scale is fixed, {@link #equals} compares values ({@code 5} equals {@code 5.00}).
 *
 * <p>At most {@value #MAX_INTEGER_DIGITS} digits before the decimal point are allowed, so every
 * amount fits a {@code NUMERIC(19,2)} column and a hostile input like {@code 1E+999999999}
 * cannot exhaust memory when widened. Arithmetic results obey the same limits.
 *
 * <p>A missing, negative, too precise or too large amount throws {@link InvalidOrderData} naming
 * field {@code amount}, or the field given to {@link #of(BigDecimal, String)}.
 */
public record Money(BigDecimal amount) implements Comparable<Money> {

    public static final int SCALE = 2;
    public static final int MAX_INTEGER_DIGITS = 17;
    public static final Money ZERO = new Money(BigDecimal.ZERO);

    public Money {
        amount = validated(amount, "amount");
    }

    /**
     * Validates an amount and names {@code field} in any rejection, so a caller building a
     * {@code unitPrice} or a payment {@code amount} from a request reports the right field.
     */
    public static Money of(BigDecimal amount, String field) {
        return new Money(validated(amount, field));
    }

    /** Reads an amount from decimal text such as {@code "12.50"}. */
    public static Money of(String amount) {
        Require.nonBlank(amount, "amount");
        try {
            return new Money(new BigDecimal(amount.strip()));
        } catch (NumberFormatException notANumber) {
            throw new InvalidOrderData("amount", "is not a decimal number: " + amount);
        }
    }

    private static BigDecimal validated(BigDecimal amount, String field) {
        Require.present(amount, field);
        if (amount.signum() < 0) {
            throw new InvalidOrderData(field, "must not be negative, was " + amount.toPlainString());
        }
        // Checked before any widening: the digit count is cheap, widening a huge exponent is not.
        if (amount.signum() != 0 && amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
            throw new InvalidOrderData(field, "must have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point");
        }
        // Only an amount with more decimals than the cents can need rounding; stripping zeros
        // allocates, and amounts read back from storage almost always have exactly two.
        if (amount.scale() > SCALE && amount.signum() != 0 && amount.stripTrailingZeros().scale() > SCALE) {
            throw new InvalidOrderData(field, "must have at most " + SCALE + " decimal places, was " + amount.toPlainString());
        }
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    public Money plus(Money other) {
        return new Money(amount.add(other.amount));
    }

    /** This amount repeated {@code factor} times; the factor must not be negative. */
    public Money times(int factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("factor must not be negative, was " + factor);
        }
        return new Money(amount.multiply(BigDecimal.valueOf(factor)));
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    public boolean isLessThan(Money other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Money other) {
        return amount.compareTo(other.amount);
    }

    /** The plain decimal text, e.g. {@code 12.50}, as used in rejection messages. */
    @Override
    public String toString() {
        return amount.toPlainString();
    }
}
