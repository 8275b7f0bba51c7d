package org.pgeventstore.application.access;

/** A request to create an API key that names no role, an unknown role or an invalid category or name. */
public final class InvalidKeyRequest extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidKeyRequest(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
