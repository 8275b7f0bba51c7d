package org.pgeventstore.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole suite on one PostgreSQL server: the raw INSERT baseline first, pgbench's limit
 * where pgbench exists, then every case; prints the table and writes {@code results.json} and
 * {@code chart.svg} to the output directory. The store's appends are measured in rounds between
 * their own baselines (JDBC and pgbench), so that their ratios are taken against baselines measured
 * around them ({@link Interleaving}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick] [--jdbc-url URL [--user U] [--password P]]
 *      [--out DIR] [--service-jar PATH] [--pg-limit PATH] [--only CASE]
 * </pre>
 */
public final class BenchmarkMain {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkMain.class);

    private static final String USAGE = """
            usage: java -jar benchmarks/target/benchmarks.jar [options]
              --quick              a few seconds per case and smaller orders: proves the harness works
              --jdbc-url URL       an existing PostgreSQL (a scratch database: the harness writes events
                                   to it) instead of the embedded one
              --user NAME          its user (default postgres)
              --password SECRET    its password (default empty)
              --out DIR            where results.json, chart.svg and service.log go (default benchmark-results)
              --service-jar PATH   the service's jar for the HTTP case (default bootstrap/target/pg-eventstore.jar)
              --pg-limit PATH      pg-limit.sh, run when pgbench exists (default benchmarks/pg-limit.sh)
              --only CASE          the baseline, then only append, load, feed, projection, relay, http, sse or startup (for profiling)
            """;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    private static boolean run(Options options) throws Exception {
        RunPlan plan = options.quick ? RunPlan.quick() : RunPlan.full();
        Files.createDirectories(options.out);
        Instant started = Instant.now();
        try (BenchmarkDatabase database = options.jdbcUrl == null ? BenchmarkDatabase.embedded()
                : BenchmarkDatabase.external(options.jdbcUrl, options.user, options.password)) {
            database.migrate();
            Machine machine = Machine.describe(database);
            LOG.info("event=run_started mode={} database=\"{}\"", plan.mode(), database.description());
            BenchmarkContext context = new BenchmarkContext(plan, database, options.out, options.serviceJar,
                    Long.toString(started.toEpochMilli() % 100_000_000L, 36), options.pgLimitScript);
            boolean complete = runCase(context, BaselineInsertCase.first());
            LOG.info("event=case_started name=\"pgbench limit (pg-limit.sh)\"");
            PgLimit pgLimit = PgLimit.run(options.pgLimitScript, database, plan.pgLimitSeconds());
            LOG.info("event=case_finished name=\"pgbench limit (pg-limit.sh)\" status=\"{}\"", pgLimit.status());
            for (Map.Entry<String, List<BenchmarkCase>> entry : cases().entrySet()) {
                if (options.only == null || options.only.equals(entry.getKey())) {
                    for (BenchmarkCase benchmarkCase : entry.getValue()) {
                        complete &= runCase(context, benchmarkCase);
                    }
                }
            }
            complete &= runCase(context, BaselineInsertCase.recheck());
            List<Figure> figures = context.figures();
            ResultTable.print(System.out, plan, machine, pgLimit, figures);
            Path json = options.out.resolve("results.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(),
                    new Results(plan.mode(), started.toString(), plan.warmup().toSeconds(), plan.measure().toSeconds(),
                            plan.loadBudget().toSeconds(), machine, pgLimit, figures));
            Path svg = options.out.resolve("chart.svg");
            Files.writeString(svg, ResultChart.render(plan, machine, figures), StandardCharsets.UTF_8);
            boolean failures = figures.stream().anyMatch(f -> f.status() == Figure.Status.FAILED);
            System.out.println();
            System.out.println("figures: " + json.toAbsolutePath());
            System.out.println("chart:   " + svg.toAbsolutePath());
            if (!complete || failures) {
                System.out.println("some cases failed: see the rows marked failed above");
            }
            return complete && !failures;
        }
    }

    /**
     * The suite after the baseline, in running order, by the name {@code --only} knows it by. The
     * feed is read after the appends and loads, so that it pages through everything they wrote.
     */
    private static Map<String, List<BenchmarkCase>> cases() {
        Map<String, List<BenchmarkCase>> cases = new LinkedHashMap<>();
        cases.put("append", List.of(new StoreAppendCase()));
        cases.put("load", List.of(new AggregateLoadCase(), new SnapshottedLoadCase()));
        cases.put("feed", List.of(new FeedReadCase()));
        cases.put("projection", List.of(new ProjectionCase()));
        cases.put("relay", List.of(new RelayCase()));
        cases.put("http", List.of(new HttpCommandsCase(), new HttpWrkCase()));
        cases.put("sse", List.of(new SseDeliveryCase()));
        cases.put("startup", List.of(new StartupCase()));
        return cases;
    }

    private static boolean runCase(BenchmarkContext context, BenchmarkCase benchmarkCase) {
        LOG.info("event=case_started name=\"{}\"", benchmarkCase.name());
        try {
            context.database().checkpoint();
            List<Figure> figures = benchmarkCase.run(context);
            context.add(figures);
            for (Figure f : figures) {
                LOG.info("event=figure id={} status={} throughput={} unit={} p99_ms={}", f.id(), f.status().label(),
                        f.throughput() == null ? "-" : Numbers.count(f.throughput()), f.unit(),
                        f.p99Ms() == null ? "-" : Numbers.millis(f.p99Ms()));
            }
            return true;
        } catch (Exception e) {
            LOG.error("event=case_failed name=\"{}\"", benchmarkCase.name(), e);
            context.add(List.of(Figure.failed(benchmarkCase.getClass().getSimpleName(), "failed", benchmarkCase.name(),
                    "", null, e.getClass().getSimpleName() + ": " + e.getMessage())));
            return false;
        }
    }

    /** What results.json holds. */
    public record Results(String mode, String startedAt, long warmupSeconds, long measureSeconds,
                          long loadBudgetSeconds, Machine machine, PgLimit pgLimit, List<Figure> figures) {
    }

    private static final class Options {
        boolean help;
        boolean quick;
        String jdbcUrl;
        String user = "postgres";
        String password = "";
        Path out = Path.of("benchmark-results");
        Path serviceJar = Path.of("bootstrap", "target", "pg-eventstore.jar");
        Path pgLimitScript = Path.of("benchmarks", "pg-limit.sh");
        String only;

        static Options parse(String[] args) {
            Options options = new Options();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String arg = rest.removeFirst();
                switch (arg) {
                    case "--help", "-h" -> options.help = true;
                    case "--quick" -> options.quick = true;
                    case "--jdbc-url" -> options.jdbcUrl = value(arg, rest);
                    case "--user" -> options.user = value(arg, rest);
                    case "--password" -> options.password = value(arg, rest);
                    case "--out" -> options.out = Path.of(value(arg, rest));
                    case "--service-jar" -> options.serviceJar = Path.of(value(arg, rest));
                    case "--pg-limit" -> options.pgLimitScript = Path.of(value(arg, rest));
                    case "--only" -> options.only = value(arg, rest);
                    default -> throw new IllegalArgumentException("unknown option: " + arg);
                }
            }
            return options;
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return rest.removeFirst();
        }
    }
}
