package org.pgeventstore.application.relay;

/**
 * A batch was not acknowledged whole by the broker: it is out of reach, refused a message or did
 * not answer in time. The relay's checkpoint has not moved; the batch is sent again.
 */
public final class PublishFailed extends RuntimeException {

    public PublishFailed(String message, Throwable cause) {
        super(message, cause);
    }

    public PublishFailed(String message) {
        super(message);
    }
}
