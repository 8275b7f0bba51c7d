package org.pgeventstore.adapters.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests: the JDK HTTP client reading the body line by line, as
 * the format says (fields {@code id}, {@code event}, {@code data}; comment lines start with a
 * colon; a blank line ends a message). Messages arrive in {@link #next}; {@link #close} drops the
 * connection.
 */
public final class SseClient implements AutoCloseable {

    /** One message: its fields, or only comments for a comment-only block (a heartbeat). */
    public record Message(String id, String event, String data, List<String> comments) {
        public boolean isComment() {
            return data == null && id == null && event == null;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response, boolean reading) {
        this.response = response;
        this.reader = Thread.ofVirtual().unstarted(this::read);
        if (reading) {
            reader.start();
        }
    }

    /** Opens {@code path} on {@code base} with {@code token} (null for none) and extra header pairs. */
    public static SseClient open(URI base, String path, String token, String... headers) {
        return open(true, base, path, token, headers);
    }

    /** As {@link #open}, but reads nothing of the body until {@link #resume()}: a consumer that stalls. */
    public static SseClient openPaused(URI base, String path, String token, String... headers) {
        return open(false, base, path, token, headers);
    }

    /** Starts reading the body of a stream opened paused. */
    public void resume() {
        reader.start();
    }

    private static SseClient open(boolean reading, URI base, String path, String token, String... headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).GET().header("Accept", "text/event-stream");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 200) {
                // The stream's status and headers; an error's body is judged once read (errorBody).
                try {
                    ApiContract.checkHead("GET", response.request().uri(), 200, response.headers());
                } catch (AssertionError undocumented) {
                    try (InputStream ignored = response.body()) {
                        throw undocumented;
                    }
                }
            }
            return new SseClient(response, reading);
        } catch (IOException e) {
            throw new AssertionError("no response: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of a response that is not a stream (an error). */
    public String errorBody() throws InterruptedException {
        reader.join(5_000);
        StringBuilder body = new StringBuilder();
        for (Message message : messages) {
            body.append(message.data());
        }
        ApiContract.check("GET", response.request().uri(), response.statusCode(), body.toString(), response.headers());
        return body.toString();
    }

    /** The next message, or null when none came within {@code timeout}. */
    public Message next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                StringBuilder body = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    body.append(line);
                }
                messages.add(new Message(null, null, body.toString(), List.of()));
                return;
            }
            String id = null;
            String event = null;
            StringBuilder data = null;
            List<String> comments = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null || !comments.isEmpty()) {
                        messages.add(new Message(id, event, data == null ? null : data.toString(), List.copyOf(comments)));
                    }
                    id = null;
                    event = null;
                    data = null;
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException closed) {
            // Dropped by close(), or by the server.
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
        reader.interrupt();
    }
}
