package org.pgeventstore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The front door measured from outside the JVM: {@code wrk} (its own process, written in C, so
 * the load generator costs little of the 2 cores) drives the service's jar at 8 connections, and
 * pgbench's single-row INSERT at 8 clients on the same server is the baseline. They run
 * interleaved: pgbench, then HTTP append, place-order and add-item, then pgbench again, and so on
 * for the plan's rounds; each round's ratio is taken against the pgbench runs just before and
 * after it. Latencies are wrk's (its own histogram, per request, from the client's side); the
 * figure shows the round with the highest p99.
 *
 * <ul>
 *   <li>append: {@code POST /api/streams/{id}/events}, one event, {@code expectedVersion 0}, a new
 *       stream per request (what pgbench's INSERT does, plus HTTP, JSON, authentication and the
 *       version check);</li>
 *   <li>place-order: {@code POST /api/orders}, a new order per request;</li>
 *   <li>add-item: {@code POST /api/orders/{id}/items}, round robin over orders placed before.</li>
 * </ul>
 *
 * The service runs with an API key and without the projections (the projection case measures
 * them), as {@link HttpCommandsCase} runs it.
 */
final class HttpWrkCase implements BenchmarkCase {

    /** Not a figure of its own (pgbench gives no percentiles): the interleaving lists its runs. */
    static final String BASELINE_ID = "pgbench.insert.1row.c8";
    static final String APPEND_ID = "http.wrk.append";
    static final String PLACE_ID = "http.wrk.place-order";
    static final String ADD_ITEM_ID = "http.wrk.add-item";
    static final int CONNECTIONS = 8;
    private static final int THREADS = 2;
    private static final int ORDERS_FOR_ITEMS = 400;
    private static final double P99_TARGET_MS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String APPEND_BODY = """
            {"expectedVersion":0,"events":[{"type":"OrderPlaced","data":{"orderNumber":"ORD-000042",\
            "customerId":"3f0e9a52-8a4e-4c57-9a43-2b0c1f6e7d10","lineItems":[{"productId":"p-1","sku":"SKU-1",\
            "name":"Widget","quantity":2,"unitPrice":19.99}],"subtotal":39.98,"shippingCost":5.00,"total":44.98}}]}""";

    /** One kind of request: its figure and the wrk script that sends it. */
    private record Kind(String id, String title, String path, String script, double ratioTarget) {
    }

    /** What wrk's {@code done} hook printed for one run. */
    private record WrkRun(long requests, long failed, double seconds, double p50Ms, double p95Ms, double p99Ms,
                          String firstFailure) {

        double throughput() {
            return seconds > 0 ? (requests - failed) / seconds : 0;
        }
    }

    @Override
    public String name() {
        return "HTTP commands driven by wrk beside pgbench's single-row INSERT, interleaved";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        List<Kind> kinds = List.of(
                new Kind(APPEND_ID, "HTTP append of 1 event (wrk, 8 connections)", "/", "append.lua", 0.5),
                new Kind(PLACE_ID, "HTTP place-order (wrk, 8 connections)", "/api/orders", "place.lua", 0.4),
                new Kind(ADD_ITEM_ID, "HTTP add-item (wrk, 8 connections)", "/", "add-item.lua", 0.4));
        String missing = !PgLimit.onPath("wrk") ? "wrk not found (Debian: apt-get install wrk)"
                : !PgLimit.onPath("pgbench") ? "pgbench not found (Debian: apt-get install postgresql-client)"
                : ServiceProcesses.missing(context.serviceJar()).orElse(null);
        if (missing != null) {
            return failed(kinds, missing);
        }
        String key = "pges_benchmark-" + UUID.randomUUID();
        int port = ServiceProcesses.freePort();
        Process service = ServiceProcesses.start(context, context.serviceJar(), port,
                Map.of("EVENTSTORE_ADMIN_KEY", key, "EVENTSTORE_PROJECTIONS_ENABLED", "false"), "service-wrk.log");
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            if (!ServiceProcesses.awaitHealthy(service, base)) {
                return failed(kinds, "the service did not become healthy within "
                        + ServiceProcesses.STARTUP_TIMEOUT.toSeconds() + " s; see " + context.outputDir().resolve("service-wrk.log"));
            }
            Path scripts = Files.createDirectories(context.outputDir().resolve("wrk"));
            writeScripts(scripts, key, placeOrders(base, key));
            int seconds = (int) Math.max(1, context.plan().measure().toSeconds());
            // The service's JIT needs more than a case's warm-up before its rate settles: three of them per kind.
            int warmup = (int) Math.max(1, 3 * context.plan().warmup().toSeconds());
            for (Kind kind : kinds) {
                wrk(scripts.resolve(kind.script()), base.resolve(kind.path()), warmup, context.runId() + "w");
            }
            int rounds = context.plan().rounds();
            List<Double> pgbench = new ArrayList<>();
            List<List<WrkRun>> runs = new ArrayList<>();
            kinds.forEach(kind -> runs.add(new ArrayList<>()));
            for (int round = 0; round <= rounds; round++) {
                pgbench.add(PgLimit.rate(context.pgLimitScript(), context.database(), CONNECTIONS, seconds, 1)
                        .orElseThrow(() -> new IllegalStateException("pgbench's run between the wrk runs failed; "
                                + "its output is above")));
                if (round < rounds) {
                    for (int k = 0; k < kinds.size(); k++) {
                        runs.get(k).add(wrk(scripts.resolve(kinds.get(k).script()), base.resolve(kinds.get(k).path()),
                                seconds, context.runId() + "r" + round));
                    }
                }
            }
            List<Figure> figures = new ArrayList<>();
            for (int k = 0; k < kinds.size(); k++) {
                figures.add(figure(kinds.get(k), runs.get(k), pgbench));
            }
            return figures;
        } finally {
            ServiceProcesses.stop(service);
        }
    }

    private static Figure figure(Kind kind, List<WrkRun> runs, List<Double> pgbench) {
        List<Double> throughputs = runs.stream().map(WrkRun::throughput).toList();
        Interleaving interleaving = Interleaving.of(throughputs, pgbench, pgbench);
        WrkRun worst = runs.stream().max(Comparator.comparingDouble(WrkRun::p99Ms)).orElseThrow();
        long requests = runs.stream().mapToLong(WrkRun::requests).sum();
        long failed = runs.stream().mapToLong(WrkRun::failed).sum();
        double seconds = runs.stream().mapToDouble(WrkRun::seconds).sum();
        Target target = Target.ratioAtLeast(kind.ratioTarget());
        double throughput = interleaving.medianThroughput();
        double ratio = interleaving.medianRatio();
        Figure.Status status = requests > failed ? Figure.Status.MEASURED : Figure.Status.FAILED;
        String note = String.format(Locale.ROOT, "wrk -t%d -c%d, API key, projections off; %d round%s between "
                        + "pgbench runs: %s requests/s; latencies of the round with the highest p99; p99 target <= %.0f ms: %s",
                THREADS, CONNECTIONS, runs.size(), runs.size() == 1 ? "" : "s", Numbers.counts(throughputs), P99_TARGET_MS,
                worst.p99Ms() <= P99_TARGET_MS ? "met" : "missed");
        if (failed > 0) {
            note += "; " + failed + " requests failed, first: " + runs.stream().map(WrkRun::firstFailure)
                    .filter(f -> f != null && !f.isBlank()).findFirst().orElse("(wrk counted socket errors)");
        }
        return new Figure(kind.id(), "http", kind.title(), status, CONNECTIONS, seconds, requests - failed,
                requests - failed, failed, throughput, "requests/s", "request", worst.p50Ms(), worst.p95Ms(),
                worst.p99Ms(), BASELINE_ID, interleaving.medianBaseline(), ratio, target, target.describe("requests/s"),
                status == Figure.Status.MEASURED ? target.metBy(throughput, ratio, worst.p99Ms()) : null, note,
                interleaving);
    }

    private static List<Figure> failed(List<Kind> kinds, String reason) {
        List<Figure> figures = new ArrayList<>();
        kinds.forEach(kind -> figures.add(Figure.failed(kind.id(), "http", kind.title(), "requests/s",
                Target.ratioAtLeast(kind.ratioTarget()), reason)));
        return figures;
    }

    /** Places the orders add-item goes round, with the JDK's client, and returns their paths. */
    private static List<String> placeOrders(URI base, String key) throws IOException, InterruptedException {
        HttpClient client = ServiceProcesses.client();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS_FOR_ITEMS; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/api/orders"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(HttpCommandsCase.PLACE_BODY)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IOException("place-order answered " + response.statusCode() + ": " + response.body());
            }
            orders.add(response.headers().firstValue("Location").orElseThrow());
        }
        return orders;
    }

    /**
     * The three scripts. Each counts a status other than the expected one as failed and keeps the
     * first such answer in its thread's globals, which {@code done} reads through {@code thread:get}
     * and prints, with the percentiles, as one JSON line.
     */
    private static void writeScripts(Path dir, String key, List<String> orders) throws IOException {
        Files.write(dir.resolve("orders.txt"), orders, StandardCharsets.UTF_8);
        String common = """
                local threads = {}
                setup = function(thread)
                  thread:set("tid", #threads + 1)
                  table.insert(threads, thread)
                end
                failures = 0
                first = nil
                response = function(status, headers, body)
                  if status ~= expected then
                    failures = failures + 1
                    if first == nil then first = status .. " " .. string.sub(body or "", 1, 200) end
                  end
                end
                done = function(summary, latency, requests)
                  local failed, firstFailure = 0, ""
                  for _, thread in ipairs(threads) do
                    failed = failed + thread:get("failures")
                    if firstFailure == "" and thread:get("first") ~= nil then firstFailure = thread:get("first") end
                  end
                  local errors = summary.errors
                  failed = failed + errors.connect + errors.read + errors.write + errors.timeout
                  io.write(string.format('WRK_RESULT {"requests":%d,"failed":%d,"duration_us":%d,'
                    .. '"p50_us":%d,"p95_us":%d,"p99_us":%d,"first":"%s"}\\n', summary.requests, failed,
                    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
                    string.gsub(firstFailure, '["\\\\%c]', " ")))
                end
                headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %KEY%"}
                """.replace("%KEY%", key);
        Files.writeString(dir.resolve("append.lua"), common + """
                expected = 201
                local counter = 0
                init = function(args) prefix = "wrk-" .. args[1] .. "-" .. tid .. "-" end
                request = function()
                  counter = counter + 1
                  return wrk.format("POST", "/api/streams/" .. prefix .. counter .. "/events", headers, '%BODY%')
                end
                """.replace("%BODY%", APPEND_BODY), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("place.lua"), common + """
                expected = 201
                request = function() return wrk.format("POST", "/api/orders", headers, '%BODY%') end
                """.replace("%BODY%", HttpCommandsCase.PLACE_BODY), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("add-item.lua"), common + """
                expected = 200
                local orders = {}
                local cursor = 0
                init = function(args)
                  for line in io.lines("%ORDERS%") do table.insert(orders, line) end
                  cursor = tid - 1
                end
                request = function()
                  cursor = cursor % #orders + 1
                  return wrk.format("POST", orders[cursor] .. "/items", headers, '%BODY%')
                end
                """.replace("%ORDERS%", dir.resolve("orders.txt").toAbsolutePath().toString())
                .replace("%BODY%", HttpCommandsCase.ITEM_BODY), StandardCharsets.UTF_8);
    }

    private static WrkRun wrk(Path script, URI url, int seconds, String token) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url.toString(), "--", token);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("wrk did not finish: " + output);
        }
        int at = output.indexOf("WRK_RESULT ");
        if (process.exitValue() != 0 || at < 0) {
            throw new IOException("wrk exited with " + process.exitValue() + " and no result: " + output);
        }
        String line = output.substring(at + "WRK_RESULT ".length()).lines().findFirst().orElseThrow();
        JsonNode json = JSON.readTree(line);
        return new WrkRun(json.path("requests").asLong(), json.path("failed").asLong(),
                json.path("duration_us").asLong() / 1e6, json.path("p50_us").asDouble() / 1000,
                json.path("p95_us").asDouble() / 1000, json.path("p99_us").asDouble() / 1000, json.path("first").asText());
    }
}
