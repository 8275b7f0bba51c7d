package org.pgeventstore.adapters.nats;

import java.time.Duration;
import java.util.Objects;
import org.pgeventstore.application.relay.RelayMessages;

/**
 * Where and how {@link JetStreamEventPublisher} publishes.
 *
 * @param url the NATS server(s), e.g. {@code nats://127.0.0.1:4222}; several separated by commas
 * @param subjectPrefix the subjects' first tokens; the stream captures {@code <prefix>.>}
 * @param streamName the stream created when none captures the subjects
 * @param createStream whether to create that stream when none captures the subjects
 * @param duplicateWindow how long the created stream remembers message ids to drop duplicates
 * @param storage where the created stream keeps its messages
 * @param ackTimeout how long a batch waits for its acknowledgements before it counts as failed
 * @param connectTimeout how long one attempt to connect waits
 */
public record JetStreamSettings(String url, String subjectPrefix, String streamName, boolean createStream,
                                Duration duplicateWindow, Storage storage, Duration ackTimeout,
                                Duration connectTimeout) {

    /** Where a stream keeps its messages. */
    public enum Storage { FILE, MEMORY }

    public JetStreamSettings {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("the NATS url is empty");
        }
        RelayMessages.requireValidPrefix(subjectPrefix);
        if (streamName == null || !streamName.matches("[A-Za-z0-9_-]{1,200}")) {
            throw new IllegalArgumentException("a JetStream stream name is 1..200 characters of A-Z a-z 0-9 _ -, was \""
                    + streamName + "\"");
        }
        requirePositive(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(storage, "storage");
        requirePositive(ackTimeout, "ackTimeout");
        requirePositive(connectTimeout, "connectTimeout");
    }

    /** The defaults for {@code url}: prefix {@code eventstore}, stream {@code EVENTSTORE}, file storage, 2 min window. */
    public static JetStreamSettings defaults(String url) {
        return new JetStreamSettings(url, "events", "EVENTS", true, Duration.ofMinutes(2), Storage.FILE,
                Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    public JetStreamSettings withStream(String prefix, String name) {
        return new JetStreamSettings(url, prefix, name, createStream, duplicateWindow, storage, ackTimeout,
                connectTimeout);
    }

    public JetStreamSettings withAckTimeout(Duration timeout) {
        return new JetStreamSettings(url, subjectPrefix, streamName, createStream, duplicateWindow, storage, timeout,
                connectTimeout);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
