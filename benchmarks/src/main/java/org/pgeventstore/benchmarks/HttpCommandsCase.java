package org.pgeventstore.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end over HTTP: the service's own jar runs in a separate JVM on the same database, and
 * this process drives it with the JDK's HTTP client at a fixed number of concurrent clients, each
 * sending its next request when the previous one is answered. First {@code POST /api/orders}
 * (place an order), then {@code POST /api/orders/{id}/items} on the orders each client placed,
 * round robin. Compared with the raw single-row INSERT at the same client count: each command is
 * one append transaction, plus the read of the order, JSON and HTTP.
 */
final class HttpCommandsCase implements BenchmarkCase {

    static final String PLACE_ID = "http.place-order";
    static final String ADD_ITEM_ID = "http.add-item";

    private static final Logger LOG = LoggerFactory.getLogger(HttpCommandsCase.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final String PLACE_BODY = """
            {"customerId":"c-bench","lineItems":[{"productId":"p-1","sku":"SKU-1","name":"Widget","quantity":2,\
            "unitPrice":19.99}],"shippingAddress":{"line1":"1 Main St","city":"Springfield","country":"US",\
            "postalCode":"12345"}}""";
    private static final String ITEM_BODY = """
            {"productId":"p-2","sku":"SKU-2","name":"Gadget","quantity":1,"unitPrice":9.99}""";

    @Override
    public String name() {
        return "end-to-end HTTP commands against the service in its own JVM";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        int clients = context.plan().httpClients();
        Figure baseline = context.figure(BaselineInsertCase.singleRowId(clients)).orElse(null);
        String placeTitle = "HTTP place-order, " + clients + " clients";
        String addTitle = "HTTP add-item, " + clients + " clients";
        Path jar = context.serviceJar();
        if (!Files.isRegularFile(jar)) {
            String reason = "the service jar " + jar + " is missing (build it with the README's command)";
            return List.of(Figure.failed(PLACE_ID, "http", placeTitle, "requests/s", null, reason),
                    Figure.failed(ADD_ITEM_ID, "http", addTitle, "requests/s", null, reason));
        }
        int port = freePort();
        Process service = start(context, jar, port);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            if (!awaitHealthy(service, base)) {
                String reason = "the service did not become healthy within " + STARTUP_TIMEOUT.toSeconds()
                        + " s; see " + context.outputDir().resolve("service.log");
                return List.of(Figure.failed(PLACE_ID, "http", placeTitle, "requests/s", null, reason),
                        Figure.failed(ADD_ITEM_ID, "http", addTitle, "requests/s", null, reason));
            }
            List<List<String>> placed = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                placed.add(new CopyOnWriteArrayList<>());
            }
            Measurement place = LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
                HttpClient client = client();
                return () -> {
                    HttpResponse<String> response = client.send(post(base.resolve("/api/orders"), PLACE_BODY),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IOException("place-order answered " + response.statusCode() + ": " + response.body());
                    }
                    placed.get(index).add(response.headers().firstValue("Location").orElseThrow());
                    return 1;
                };
            });
            Measurement addItem = LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
                HttpClient client = client();
                List<String> orders = placed.get(index);
                if (orders.isEmpty()) {
                    throw new IllegalStateException("client " + index + " placed no order to add items to");
                }
                int[] next = {0};
                return () -> {
                    String order = orders.get(next[0]++ % orders.size());
                    HttpResponse<String> response = client.send(post(base.resolve(order + "/items"), ITEM_BODY),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IOException("add-item answered " + response.statusCode() + ": " + response.body());
                    }
                    return 1;
                };
            });
            String note = "service in its own JVM, JDK HTTP client, closed loop";
            return List.of(
                    Figure.measured(PLACE_ID, "http", placeTitle, "requests/s", "request", place, baseline, null, note),
                    Figure.measured(ADD_ITEM_ID, "http", addTitle, "requests/s", "request", addItem, baseline, null,
                            note + "; round robin over the orders each client placed"));
        } finally {
            stop(service);
        }
    }

    private static Process start(BenchmarkContext context, Path jar, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.put("DATASOURCES_DEFAULT_URL", context.database().jdbcUrl());
        env.put("DATASOURCES_DEFAULT_USERNAME", context.database().user());
        env.put("DATASOURCES_DEFAULT_PASSWORD", context.database().password());
        env.put("PORT", Integer.toString(port));
        Path log = context.outputDir().resolve("service.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        LOG.info("event=service_starting jar={} port={} log={}", jar, port, log);
        return builder.start();
    }

    private static boolean awaitHealthy(Process service, URI base) throws InterruptedException {
        HttpClient client = client();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // The port is not open yet.
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
