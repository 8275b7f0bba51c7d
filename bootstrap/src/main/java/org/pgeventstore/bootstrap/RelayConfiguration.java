package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.Locale;
import org.pgeventstore.adapters.nats.JetStreamSettings;
import org.pgeventstore.application.relay.RelaySettings;

/**
 * The relay of the global feed to NATS JetStream, under {@code eventstore.nats}; it runs only when
 * {@code eventstore.nats.url} ({@code EVENTSTORE_NATS_URL}) is set. See docs/scaling-out.md.
 */
@ConfigurationProperties("eventstore.nats")
public class RelayConfiguration {

    private String url;
    private String subjectPrefix = "events";
    private String streamName = "EVENTS";
    private boolean createStream = true;
    private Duration duplicateWindow = Duration.ofMinutes(2);
    private String storage = "file";
    private Duration ackTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private int batchSize = 500;
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration retryInitialDelay = Duration.ofMillis(200);
    private Duration retryMaxDelay = Duration.ofSeconds(10);

    /** The publisher's settings these values make; an invalid value fails the startup, naming it. */
    public JetStreamSettings jetStream() {
        return new JetStreamSettings(url, subjectPrefix, streamName, createStream, duplicateWindow, storage(),
                ackTimeout, connectTimeout);
    }

    /** The relay's settings; it takes over from a stopped instance as often as the projections do. */
    public RelaySettings relay(Duration takeoverInterval) {
        return new RelaySettings(batchSize, pollInterval, retryInitialDelay, retryMaxDelay, takeoverInterval);
    }

    private JetStreamSettings.Storage storage() {
        return switch (storage.toLowerCase(Locale.ROOT)) {
            case "file" -> JetStreamSettings.Storage.FILE;
            case "memory" -> JetStreamSettings.Storage.MEMORY;
            default -> throw new IllegalArgumentException("eventstore.nats.storage must be file or memory, was " + storage);
        };
    }

    /** The NATS server(s), e.g. {@code nats://nats:4222}; several separated by commas. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** The subjects' first tokens: events go to {@code <prefix>.<category>.<type>}. */
    public String getSubjectPrefix() {
        return subjectPrefix;
    }

    public void setSubjectPrefix(String subjectPrefix) {
        this.subjectPrefix = subjectPrefix;
    }

    /** The stream created when none captures {@code <prefix>.>}. */
    public String getStreamName() {
        return streamName;
    }

    public void setStreamName(String streamName) {
        this.streamName = streamName;
    }

    public boolean isCreateStream() {
        return createStream;
    }

    public void setCreateStream(boolean createStream) {
        this.createStream = createStream;
    }

    /** How long the created stream remembers message ids: a re-publish within it is dropped. */
    public Duration getDuplicateWindow() {
        return duplicateWindow;
    }

    public void setDuplicateWindow(Duration duplicateWindow) {
        this.duplicateWindow = duplicateWindow;
    }

    /** {@code file} or {@code memory}, for the created stream. */
    public String getStorage() {
        return storage;
    }

    public void setStorage(String storage) {
        this.storage = storage;
    }

    public Duration getAckTimeout() {
        return ackTimeout;
    }

    public void setAckTimeout(Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }
}
