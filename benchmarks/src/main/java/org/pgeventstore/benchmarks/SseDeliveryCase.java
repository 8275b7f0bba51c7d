package org.pgeventstore.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Server-Sent Events delivery: two service instances (their own jars and JVMs) on the benchmark
 * database, writers appending one event per request over HTTP to instance A in a closed loop,
 * one SSE client ({@code GET /api/events/stream}, filtered to the run's category) on A, then on
 * B. Each event carries the time it was placed (when its request was sent, on this JVM's clock,
 * the one the SSE client reads too), so each delivered event gives one placed-to-delivered
 * latency: the append's round trip, the wake-up (A's own signal, or A's NOTIFY and B's LISTEN),
 * the read of the feed and the push. Throughput is the events placed in the measured window and
 * delivered to the client, per second. The baseline is the raw single-row INSERT at the same
 * number of clients: each event is one append transaction, plus HTTP twice.
 */
final class SseDeliveryCase implements BenchmarkCase {

    static final String SAME_ID = "sse.delivery.same-instance";
    static final String CROSS_ID = "sse.delivery.cross-instance";
    static final String CROSS_ONE_ID = "sse.delivery.cross-instance.w1";
    private static final int WRITERS = 8;
    private static final Duration DRAIN = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "Server-Sent Events delivery within one instance and across two";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        Figure baseline = context.figure(BaselineInsertCase.singleRowId(WRITERS)).orElse(null);
        Figure baselineOne = context.figure(BaselineInsertCase.singleRowId(1)).orElse(null);
        String sameTitle = "SSE delivery, " + WRITERS + " writers and the client on one instance";
        String crossTitle = "SSE delivery, " + WRITERS + " writers on instance A, the client on B";
        String crossOneTitle = "SSE delivery, 1 writer on instance A, the client on B";
        Path jar = context.serviceJar();
        if (!Files.isRegularFile(jar)) {
            return failed(sameTitle, crossTitle, crossOneTitle, "the service jar " + jar + " is missing");
        }
        String key = "pges_benchmark-sse-" + UUID.randomUUID();
        Map<String, String> settings = Map.of("EVENTSTORE_ADMIN_KEY", key, "EVENTSTORE_PROJECTIONS_ENABLED", "false");
        int portA = ServiceProcesses.freePort();
        int portB = ServiceProcesses.freePort();
        Process a = ServiceProcesses.start(context, jar, portA, settings, "service-sse-a.log");
        Process b = null;
        try {
            URI baseA = URI.create("http://127.0.0.1:" + portA);
            URI baseB = URI.create("http://127.0.0.1:" + portB);
            // One after the other: both create the admin key on first sight.
            boolean healthy = ServiceProcesses.awaitHealthy(a, baseA);
            b = ServiceProcesses.start(context, jar, portB, settings, "service-sse-b.log");
            if (!healthy || !ServiceProcesses.awaitHealthy(b, baseB)) {
                return failed(sameTitle, crossTitle, crossOneTitle, "the services did not become healthy; see "
                        + context.outputDir().resolve("service-sse-a.log") + " and service-sse-b.log");
            }
            String note = "services in their own JVMs without projections; writers append 1 event per HTTP request, "
                    + "closed loop; latency from sending the append to the event read off the stream";
            Delivery same = deliver(context.plan(), WRITERS, baseA, baseA, key);
            Delivery cross = deliver(context.plan(), WRITERS, baseA, baseB, key);
            Delivery crossOne = deliver(context.plan(), 1, baseA, baseB, key);
            return List.of(
                    Figure.measured(SAME_ID, "sse", sameTitle, "events/s", "placed to delivered", same.delivered(),
                            baseline, null, note + "; woken by the instance's own signal" + same.appendsNote()),
                    Figure.measured(CROSS_ID, "sse", crossTitle, "events/s", "placed to delivered", cross.delivered(),
                            baseline, null, note + "; B woken by A's pg_notify through its LISTEN connection"
                                    + cross.appendsNote()),
                    Figure.measured(CROSS_ONE_ID, "sse", crossOneTitle, "events/s", "placed to delivered",
                            crossOne.delivered(), baselineOne, null, note + "; one writer: the wake-up's latency "
                                    + "without queueing" + crossOne.appendsNote()));
        } finally {
            ServiceProcesses.stop(a);
            if (b != null) {
                ServiceProcesses.stop(b);
            }
        }
    }

    private static List<Figure> failed(String sameTitle, String crossTitle, String crossOneTitle, String reason) {
        return List.of(Figure.failed(SAME_ID, "sse", sameTitle, "events/s", null, reason),
                Figure.failed(CROSS_ID, "sse", crossTitle, "events/s", null, reason),
                Figure.failed(CROSS_ONE_ID, "sse", crossOneTitle, "events/s", null, reason));
    }

    /** What one run measured: the deliveries, and the appends' own round trips (part of each delivery's latency). */
    private record Delivery(Measurement delivered, Histogram appends) {
        String appendsNote() {
            return String.format(Locale.ROOT, "; the append's HTTP round trip alone: p50 %.1f ms, p99 %.1f ms",
                    appends.getValueAtPercentile(50) / 1e6, appends.getValueAtPercentile(99) / 1e6);
        }
    }

    /** One warm-up and one measured window of writers appending to {@code writeTo} while a client follows {@code readFrom}. */
    private static Delivery deliver(RunPlan plan, int writers, URI writeTo, URI readFrom, String key) throws Exception {
        String category = "ssebench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        Histogram appends = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        long windowStart = System.nanoTime() + plan.warmup().toNanos();
        long windowEnd = windowStart + plan.measure().toNanos();
        AtomicLong placedInWindow = new AtomicLong();
        AtomicLong deliveredInWindow = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        HttpResponse<InputStream> stream = ServiceProcesses.client().send(HttpRequest.newBuilder(
                        readFrom.resolve("/api/events/stream?after=0&category=" + category))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
            throw new IOException("the event stream answered " + stream.statusCode());
        }
        Thread reader = Thread.ofPlatform().name("sse-bench-reader").start(() -> read(stream, windowStart, windowEnd,
                latency, deliveredInWindow));
        List<Thread> writing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String streamId = category + "-" + w;
            writing.add(Thread.ofPlatform().name("sse-bench-writer-" + w).start(() -> {
                HttpClient client = ServiceProcesses.client();
                while (System.nanoTime() < windowEnd) {
                    long placed = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        writeTo.resolve("/api/streams/" + streamId + "/events"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"type\":\"Placed\","
                                        + "\"data\":{\"placedNanos\":" + placed + "}}]}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                            throw new IOException("append answered " + response.statusCode() + ": " + response.body());
                        }
                        if (placed >= windowStart && placed < windowEnd) {
                            placedInWindow.incrementAndGet();
                            synchronized (appends) {
                                appends.recordValue(Math.min(System.nanoTime() - placed, appends.getHighestTrackableValue()));
                            }
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread writer : writing) {
            writer.join();
        }
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (deliveredInWindow.get() < placedInWindow.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(10);
        }
        stream.body().close();
        reader.join(5_000);
        long missing = placedInWindow.get() - deliveredInWindow.get();
        if (missing != 0) {
            errors.addAndGet(Math.abs(missing));
            firstError.compareAndSet(null, missing + " events placed in the window were not delivered within "
                    + DRAIN.toSeconds() + " s");
        }
        double seconds = plan.measure().toNanos() / 1e9;
        return new Delivery(new Measurement(writers, seconds, deliveredInWindow.get(), deliveredInWindow.get(),
                errors.get(), firstError.get(), latency), appends);
    }

    /** Reads the stream line by line; each {@code data:} line placed in the window is one delivery. */
    private static void read(HttpResponse<InputStream> stream, long windowStart, long windowEnd, Histogram latency,
                             AtomicLong delivered) {
        String marker = "\"placedNanos\":";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int at = line.startsWith("data:") ? line.indexOf(marker) : -1;
                if (at < 0) {
                    continue;
                }
                long now = System.nanoTime();
                int from = at + marker.length();
                while (from < line.length() && line.charAt(from) == ' ') {
                    from++;
                }
                int to = from;
                while (to < line.length() && (Character.isDigit(line.charAt(to)) || line.charAt(to) == '-')) {
                    to++;
                }
                long placed = Long.parseLong(line.substring(from, to));
                if (placed >= windowStart && placed < windowEnd) {
                    latency.recordValue(Math.min(now - placed, latency.getHighestTrackableValue()));
                    delivered.incrementAndGet();
                }
            }
        } catch (IOException closed) {
            // The run closed the stream.
        }
    }
}
