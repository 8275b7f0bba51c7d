package org.pgeventstore.application.relay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event of the feed as the broker receives it.
 *
 * @param subject where it is published, {@code <prefix>.<category>.<type>} (see {@link RelayMessages})
 * @param messageId the event's id: the broker drops a second message with the same id
 * @param headers the event's stream, version, position, type, time and correlation, in a fixed order
 * @param body the event as JSON, the shape of an event of the feed's HTTP representation
 * @param position the event's position in the global feed
 */
public record RelayMessage(String subject, String messageId, Map<String, String> headers, byte[] body, long position) {

    public RelayMessage {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(messageId, "messageId");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }
}
