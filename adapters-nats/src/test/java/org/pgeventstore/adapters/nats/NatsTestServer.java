package org.pgeventstore.adapters.nats;

import static org.junit.jupiter.api.Assertions.fail;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server with JetStream that the tests publish to: {@code EVENTSTORE_TEST_NATS_URL}, by
 * default {@code nats://127.0.0.1:4222}. When nothing answers there, a test that needs it is
 * skipped (reported as skipped, with how to start one), so that {@code ./mvnw verify} works where
 * there is only a JDK; with {@code EVENTSTORE_TEST_NATS=required}, as CI sets it, it fails instead.
 * {@code EVENTSTORE_TEST_NATS=off} skips them whatever runs.
 */
public final class NatsTestServer {

    public static final String DEFAULT_URL = "nats://127.0.0.1:4222";

    private NatsTestServer() {
    }

    /** The server's URL, once it is known to accept connections. */
    public static String url() {
        requireNatsTests();
        String url = System.getenv().getOrDefault("EVENTSTORE_TEST_NATS_URL", DEFAULT_URL);
        URI address = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 2000);
        } catch (IOException unreachable) {
            unavailable("no NATS server answers at " + url + " (" + unreachable.getMessage() + "): start one with "
                    + "JetStream, e.g. start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- "
                    + "-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log, or set "
                    + "EVENTSTORE_TEST_NATS_URL");
        }
        return url;
    }

    /**
     * What the tests need is not here: a failure with {@code EVENTSTORE_TEST_NATS=required}, else a
     * skip that says why and how to make it run.
     */
    static void unavailable(String why) {
        if ("required".equalsIgnoreCase(System.getenv("EVENTSTORE_TEST_NATS"))) {
            fail(why + " (EVENTSTORE_TEST_NATS=required)");
        }
        Assumptions.abort(why + "; skipped (EVENTSTORE_TEST_NATS=required makes this a failure)");
    }

    /** Skips the calling test when {@code EVENTSTORE_TEST_NATS=off} says so. */
    public static void requireNatsTests() {
        Assumptions.assumeFalse("off".equalsIgnoreCase(System.getenv("EVENTSTORE_TEST_NATS")),
                "EVENTSTORE_TEST_NATS=off: the NATS tests are turned off");
    }

    /** A subject prefix and stream name no other test uses. */
    public static JetStreamSettings uniqueStream(String url, String test) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return JetStreamSettings.defaults(url).withStream("test." + test + "." + suffix, "TEST_" + test + "_" + suffix);
    }

    public static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2)).build());
    }

    /** Every message of {@code stream}, in stream order. */
    public static List<MessageInfo> messages(String url, String stream) throws Exception {
        try (Connection connection = connect(url)) {
            JetStreamManagement management = connection.jetStreamManagement();
            StreamInfo info = management.getStreamInfo(stream);
            List<MessageInfo> messages = new ArrayList<>();
            for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
                messages.add(management.getMessage(stream, seq));
            }
            return messages;
        }
    }

    public static StreamInfo streamInfo(String url, String stream) throws Exception {
        try (Connection connection = connect(url)) {
            return connection.jetStreamManagement().getStreamInfo(stream);
        }
    }

    /** Deletes {@code stream} if it exists. */
    public static void deleteStream(String url, String stream) {
        try (Connection connection = connect(url)) {
            connection.jetStreamManagement().deleteStream(stream);
        } catch (JetStreamApiException notThere) {
            // Nothing to delete.
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
