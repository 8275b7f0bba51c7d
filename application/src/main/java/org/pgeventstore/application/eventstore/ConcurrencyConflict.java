package org.pgeventstore.application.eventstore;

/** An append whose expected version did not match the stream's actual version; nothing was appended. */
public final class ConcurrencyConflict extends RuntimeException {

    private final String streamId;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public ConcurrencyConflict(String streamId, ExpectedVersion expected, long actualVersion) {
        super("stream " + streamId + " is at version " + actualVersion + ", the append expected " + expected);
        this.streamId = streamId;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
