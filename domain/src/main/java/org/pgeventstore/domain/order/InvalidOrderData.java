package org.pgeventstore.domain.order;

/**
 * A value or command field is malformed: missing, blank, out of range or badly formatted.
 *
 * <p>{@link #field()} names the offending field as the domain calls it (e.g. {@code quantity},
 * {@code unitPrice}) and {@link #reason()} says what is wrong with it, so an HTTP layer can list
 * field errors without parsing the message. {@link #getMessage()} is the two joined, e.g.
 * {@code "quantity must be positive, was 0"}.
 */
public final class InvalidOrderData extends IllegalArgumentException {

    private final String field;
    private final String reason;

    public InvalidOrderData(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The name of the offending field, possibly a path such as {@code lineItems[1].quantity}. */
    public String field() {
        return field;
    }

    /** What is wrong with the field, without the field name. */
    public String reason() {
        return reason;
    }

    /**
     * The same problem reported under an enclosing field, e.g. {@code within("lineItems[1]")}
     * turns {@code quantity} into {@code lineItems[1].quantity}. Lets a caller that builds nested
     * values from a request point at the exact element that was wrong.
     */
    public InvalidOrderData within(String enclosingField) {
        return new InvalidOrderData(enclosingField + "." + field, reason);
    }
}
