package org.pgeventstore.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each case runs. The quick plan proves that every case works in a
 * few seconds each; the full plan is the one whose figures are published.
 *
 * @param warmup        run before each measured case, not recorded
 * @param measure       the measured run of each case
 * @param loadSizes     event counts of the orders whose load time is measured
 * @param loadBudget    measured time per size of the load-time curve (at least two loads each)
 * @param httpClients   concurrent clients of the HTTP case
 * @param pgLimitSeconds the run length given to pg-limit.sh for each of its two runs
 * @param rounds        how often an interleaved case runs between its baselines (baseline, case, ..., baseline)
 */
public record RunPlan(String mode, Duration warmup, Duration measure, List<Integer> loadSizes, Duration loadBudget,
                      int httpClients, int pgLimitSeconds, int rounds) {

    /** The number of events of the order whose load is measured with percentiles. */
    public static final int HEADLINE_ORDER_SIZE = 10_000;

    public boolean isQuick() {
        return mode.equals("quick");
    }

    public static RunPlan quick() {
        return new RunPlan("quick", Duration.ofSeconds(1), Duration.ofSeconds(3), List.of(100, 1_000, 10_000),
                Duration.ofSeconds(1), 8, 3, 1);
    }

    public static RunPlan full() {
        return new RunPlan("full", Duration.ofSeconds(4), Duration.ofSeconds(12), List.of(100, 1_000, 10_000, 100_000),
                Duration.ofSeconds(6), 8, 10, 2);
    }
}
