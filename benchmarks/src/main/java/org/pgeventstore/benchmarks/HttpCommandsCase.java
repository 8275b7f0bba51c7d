package org.pgeventstore.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * End to end over HTTP: the service's own jar runs in a separate JVM on the same database, and
 * this process drives it with the JDK's HTTP client at a fixed number of concurrent clients, each
 * sending its next request when the previous one is answered, with an API key. First
 * {@code POST /api/orders} (place an order), then {@code POST /api/orders/{id}/items} on the orders
 * each client placed, round robin.
 *
 * <p>What authentication costs: a second instance runs without it ({@code MICRONAUT_SECURITY_ENABLED=false}).
 * Both are warmed up, then placements are measured in turns, open, authenticated, open,
 * authenticated, open, and each authenticated run is compared with the open runs either side of
 * it. Add-item is compared with the raw single-row INSERT at the same client count: each command
 * is one append transaction, plus the read of the order, JSON and HTTP. Neither instance runs the
 * projections (the projection case measures them), so that both do the same work.
 */
final class HttpCommandsCase implements BenchmarkCase {

    static final String PLACE_ID = "http.place-order";
    static final String PLACE_OPEN_ID = "http.place-order.no-auth";
    static final String ADD_ITEM_ID = "http.add-item";

    /** The order every HTTP case places, as a client would send it. */
    static final String PLACE_BODY = """
            {"customerId":"c-bench","lineItems":[{"productId":"p-1","sku":"SKU-1","name":"Widget","quantity":2,\
            "unitPrice":19.99}],"shippingAddress":{"line1":"1 Main St","city":"Springfield","country":"US",\
            "postalCode":"12345"}}""";
    /** The line item every HTTP case adds. */
    static final String ITEM_BODY = """
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
        String openTitle = placeTitle + ", without authentication";
        String addTitle = "HTTP add-item, " + clients + " clients";
        Path jar = context.serviceJar();
        Optional<String> missing = ServiceProcesses.missing(jar);
        if (missing.isPresent()) {
            return failed(placeTitle, openTitle, addTitle, missing.get());
        }
        String key = "pges_benchmark-" + UUID.randomUUID();
        int port = ServiceProcesses.freePort();
        int openPort = ServiceProcesses.freePort();
        Process service = ServiceProcesses.start(context, jar, port, Map.of("EVENTSTORE_ADMIN_KEY", key, "EVENTSTORE_PROJECTIONS_ENABLED", "false"), "service.log");
        Process open = ServiceProcesses.start(context, jar, openPort, Map.of("MICRONAUT_SECURITY_ENABLED", "false", "EVENTSTORE_PROJECTIONS_ENABLED", "false"), "service-no-auth.log");
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            URI openBase = URI.create("http://127.0.0.1:" + openPort);
            if (!ServiceProcesses.awaitHealthy(service, base) || !ServiceProcesses.awaitHealthy(open, openBase)) {
                return failed(placeTitle, openTitle, addTitle, "the service did not become healthy within "
                        + ServiceProcesses.STARTUP_TIMEOUT.toSeconds() + " s; see " + context.outputDir().resolve("service.log")
                        + " and service-no-auth.log");
            }
            List<List<String>> placed = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                placed.add(new CopyOnWriteArrayList<>());
            }
            placeOrders(context, clients, openBase, null, null);
            placeOrders(context, clients, base, key, null);
            List<Measurement> openRuns = new ArrayList<>();
            List<Measurement> authenticatedRuns = new ArrayList<>();
            openRuns.add(placeOrders(context, clients, openBase, null, null));
            for (int round = 0; round < 2; round++) {
                authenticatedRuns.add(placeOrders(context, clients, base, key, round == 1 ? placed : null));
                openRuns.add(placeOrders(context, clients, openBase, null, null));
            }
            List<String> ratios = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                ratios.add(String.format(Locale.ROOT, "%.2f",
                        authenticatedRuns.get(round).eventsPerSecond() / around(openRuns, round)));
            }
            Measurement addItem = addItems(context, clients, base, key, placed);

            String note = "service in its own JVM without projections, JDK HTTP client, closed loop, API key";
            Figure withoutAuth = Figure.measured(PLACE_OPEN_ID, "http", openTitle, "requests/s", "request",
                    openRuns.get(2), null, null, String.format(Locale.ROOT,
                            "MICRONAUT_SECURITY_ENABLED=false; its runs in turn with the authenticated ones: "
                                    + "%.0f, %.0f, %.0f requests/s", openRuns.get(0).eventsPerSecond(),
                            openRuns.get(1).eventsPerSecond(), openRuns.get(2).eventsPerSecond()));
            Figure aroundLast = withThroughput(withoutAuth, around(openRuns, 1));
            return List.of(
                    Figure.measured(PLACE_ID, "http", placeTitle, "requests/s", "request", authenticatedRuns.get(1),
                            aroundLast, null, note + "; ratio to the placements without authentication in the runs "
                                    + "either side of it (both rounds: " + String.join(", ", ratios) + ")"),
                    withoutAuth,
                    Figure.measured(ADD_ITEM_ID, "http", addTitle, "requests/s", "request", addItem, baseline, null,
                            note + "; round robin over the orders each client placed"));
        } finally {
            ServiceProcesses.stop(service);
            ServiceProcesses.stop(open);
        }
    }

    private static List<Figure> failed(String placeTitle, String openTitle, String addTitle, String reason) {
        return List.of(Figure.failed(PLACE_ID, "http", placeTitle, "requests/s", null, reason),
                Figure.failed(PLACE_OPEN_ID, "http", openTitle, "requests/s", null, reason),
                Figure.failed(ADD_ITEM_ID, "http", addTitle, "requests/s", null, reason));
    }

    /** The mean throughput of the open runs before and after authenticated run {@code round}. */
    private static double around(List<Measurement> openRuns, int round) {
        return (openRuns.get(round).eventsPerSecond() + openRuns.get(round + 1).eventsPerSecond()) / 2;
    }

    /** Places orders for one measured run; {@code placed}, when given, collects each client's orders. */
    private static Measurement placeOrders(BenchmarkContext context, int clients, URI base, String key,
                                           List<List<String>> placed) throws Exception {
        return LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
            HttpClient client = ServiceProcesses.client();
            return () -> {
                HttpResponse<String> response = client.send(post(base.resolve("/api/orders"), PLACE_BODY, key),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IOException("place-order answered " + response.statusCode() + ": " + response.body());
                }
                if (placed != null) {
                    placed.get(index).add(response.headers().firstValue("Location").orElseThrow());
                }
                return 1;
            };
        });
    }

    private static Measurement addItems(BenchmarkContext context, int clients, URI base, String key,
                                        List<List<String>> placed) throws Exception {
        return LoadDriver.run(clients, context.plan().warmup(), context.plan().measure(), index -> {
            HttpClient client = ServiceProcesses.client();
            List<String> orders = placed.get(index);
            if (orders.isEmpty()) {
                throw new IllegalStateException("client " + index + " placed no order to add items to");
            }
            int[] next = {0};
            return () -> {
                String order = orders.get(next[0]++ % orders.size());
                HttpResponse<String> response = client.send(post(base.resolve(order + "/items"), ITEM_BODY, key),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("add-item answered " + response.statusCode() + ": " + response.body());
                }
                return 1;
            };
        });
    }

    /** The figure as a baseline of {@code throughput}. */
    private static Figure withThroughput(Figure figure, double throughput) {
        return new Figure(figure.id(), figure.group(), figure.title(), figure.status(), figure.clients(), figure.seconds(),
                figure.operations(), figure.events(), figure.errors(), throughput, figure.unit(), figure.latencyOf(),
                figure.p50Ms(), figure.p95Ms(), figure.p99Ms(), figure.baselineId(), figure.baselineThroughput(),
                figure.ratio(), figure.target(), figure.targetText(), figure.targetMet(), figure.note(), figure.interleaving());
    }

    private static HttpRequest post(URI uri, String body, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
