package org.pgeventstore.adapters.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pgeventstore.application.relay.EventPublisher;
import org.pgeventstore.application.relay.PublishFailed;
import org.pgeventstore.application.relay.RelayMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventPublisher} on NATS JetStream, through the official Java client (jnats).
 *
 * <p><b>A batch.</b> Every message goes out with {@code publishAsync}, its event id as
 * {@code Nats-Msg-Id}, so that the stream drops one it already holds (within its duplicate
 * window), and every message but the first with {@code Nats-Expected-Last-Msg-Id} set to its
 * predecessor's id, so that the stream refuses it unless its predecessor is the stream's last
 * message. Then it waits for all the acknowledgements, at most {@link JetStreamSettings#ackTimeout()}.
 * Should one message of a batch be lost on the way (a connection cut mid-batch) while a later one
 * arrives, the later one is refused instead of stored ahead of it, and the retried batch stores
 * both in feed order. The stream must therefore be the relay's alone.
 *
 * <p><b>The stream.</b> Before the first batch, and again after a failed one, it looks for a
 * stream that captures {@code <prefix>.>}; when there is none it creates
 * {@link JetStreamSettings#streamName()} with that subject, the configured storage and duplicate
 * window (unless {@link JetStreamSettings#createStream()} is off, when the batch fails saying so).
 *
 * <p><b>The connection.</b> One, opened on first use, reconnecting by itself without end; while
 * it is down a batch fails after its acknowledgement timeout, and when it was closed or never
 * opened the next batch opens it again. The client's own error reports go to the debug log: the
 * relay logs an outage once, with what to do.
 */
public final class JetStreamEventPublisher implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamEventPublisher.class);

    private final JetStreamSettings settings;
    private Connection connection;
    private JetStream jetStream;
    private String stream;

    public JetStreamEventPublisher(JetStreamSettings settings) {
        this.settings = settings;
    }

    /** The servers (without credentials) and the stream, for logs and the operator's statistics. */
    public String target() {
        return withoutCredentials(String.join(",", servers())) + " stream " + settings.streamName();
    }

    /** {@code text} with every {@code user:password@} of a URL left out, for logs and errors. */
    static String withoutCredentials(String text) {
        return text == null ? null : text.replaceAll("//[^/@,\\s\\]]*@", "//");
    }

    private String[] servers() {
        return settings.url().split("\\s*,\\s*");
    }

    @Override
    public synchronized int publish(List<RelayMessage> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            JetStream js = ready();
            List<CompletableFuture<PublishAck>> acks = send(js, batch);
            return awaitAcks(acks, batch);
        } catch (PublishFailed failed) {
            stream = null;
            throw failed;
        }
    }

    private List<CompletableFuture<PublishAck>> send(JetStream js, List<RelayMessage> batch) {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
        String previous = null;
        try {
            for (RelayMessage message : batch) {
                Headers headers = new Headers();
                message.headers().forEach(headers::put);
                PublishOptions.Builder options = PublishOptions.builder().messageId(message.messageId());
                if (previous != null) {
                    options.expectedLastMsgId(previous);
                }
                acks.add(js.publishAsync(message.subject(), headers, message.body(), options.build()));
                previous = message.messageId();
            }
            return acks;
        } catch (RuntimeException notSent) {
            // The connection is closed, or its reconnect buffer is full while the server is away.
            acks.forEach(ack -> ack.cancel(false));
            throw new PublishFailed("could not send message " + (acks.size() + 1) + " of " + batch.size() + " to "
                    + target() + ": " + notSent.getMessage(), notSent);
        }
    }

    private int awaitAcks(List<CompletableFuture<PublishAck>> acks, List<RelayMessage> batch) {
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        int duplicates = 0;
        for (int i = 0; i < acks.size(); i++) {
            try {
                PublishAck ack = acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (ack.isDuplicate()) {
                    duplicates++;
                }
            } catch (ExecutionException refused) {
                acks.forEach(pending -> pending.cancel(false));
                throw new PublishFailed("JetStream did not store message " + (i + 1) + " of " + batch.size()
                        + " (event " + batch.get(i).messageId() + " at position " + batch.get(i).position() + "): "
                        + refused.getCause().getMessage(), refused.getCause());
            } catch (TimeoutException silent) {
                acks.forEach(pending -> pending.cancel(false));
                throw new PublishFailed("no acknowledgement from " + target() + " within " + settings.ackTimeout()
                        + " for message " + (i + 1) + " of " + batch.size() + " (connection " + status() + ")");
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                acks.forEach(pending -> pending.cancel(false));
                throw new PublishFailed("interrupted while waiting for the acknowledgements of " + target());
            }
        }
        return duplicates;
    }

    private String status() {
        return connection == null ? "none" : connection.getStatus().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** The connection open and a stream capturing the subjects. */
    private JetStream ready() {
        try {
            if (connection == null || connection.getStatus() == Connection.Status.CLOSED) {
                connection = Nats.connect(options());
                jetStream = connection.jetStream();
                stream = null;
            }
            if (stream == null) {
                stream = findOrCreateStream(connection.jetStreamManagement());
            }
            return jetStream;
        } catch (IOException | JetStreamApiException e) {
            throw new PublishFailed("could not reach JetStream at " + target() + ": "
                    + withoutCredentials(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailed("interrupted while connecting to " + target());
        }
    }

    private Options options() {
        return new Options.Builder()
                .servers(servers())
                .connectionTimeout(settings.connectTimeout())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionName("pg-eventstore relay")
                .errorListener(new QuietErrors())
                .build();
    }

    private String findOrCreateStream(JetStreamManagement management) throws IOException, JetStreamApiException {
        String subjects = settings.subjectPrefix() + ".>";
        List<String> capturing = management.getStreamNames(subjects);
        if (!capturing.isEmpty()) {
            return capturing.getFirst();
        }
        if (!settings.createStream()) {
            throw new PublishFailed("no JetStream stream captures " + subjects + " at " + target() + ", and creating "
                    + "one is off (eventstore.nats.create-stream=false): create a stream with that subject, or turn it on");
        }
        try {
            management.addStream(StreamConfiguration.builder()
                    .name(settings.streamName())
                    .subjects(subjects)
                    .storageType(settings.storage() == JetStreamSettings.Storage.FILE ? StorageType.File : StorageType.Memory)
                    .duplicateWindow(settings.duplicateWindow())
                    .build());
        } catch (JetStreamApiException refused) {
            throw new PublishFailed("could not create JetStream stream " + settings.streamName() + " for " + subjects
                    + ": " + refused.getMessage() + " (a stream of that name that captures other subjects? choose "
                    + "another eventstore.nats.stream-name)", refused);
        }
        LOG.info("event=relay_stream_created stream={} subjects={} storage={} duplicateWindow={}",
                settings.streamName(), subjects, settings.storage(), settings.duplicateWindow());
        return settings.streamName();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection = null;
        }
    }

    /** The client's reports, for the debug log: an outage is logged once by the relay. */
    private static final class QuietErrors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.debug("event=nats_client_error error=\"{}\"", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("event=nats_client_exception error=\"{}\"", exp.toString());
        }
    }
}
