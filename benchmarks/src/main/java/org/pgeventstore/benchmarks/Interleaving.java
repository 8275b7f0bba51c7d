package org.pgeventstore.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A case measured between its baselines: baseline, case, baseline, case, ..., baseline, so that
 * every round of the case has a baseline taken just before and just after it, and a machine that
 * speeds up or slows down during the run moves both alike. Each round's ratio is the case's
 * throughput over the mean of the two baselines around it; the figure reports the median round and
 * the spread of all of them.
 *
 * @param rounds how many times the case ran
 * @param throughputs the case's throughput in each round
 * @param throughputMin the lowest of them
 * @param throughputMax the highest of them
 * @param baselines the JDBC baseline's throughput in each of its runs (one more than the rounds)
 * @param ratios the case's ratio to the JDBC baselines around it, per round
 * @param ratioMin the lowest ratio
 * @param ratioMax the highest ratio
 * @param pgbench pgbench's rate in each of its runs, beside the JDBC baseline's; empty without pgbench
 * @param pgbenchRatios the case's ratio to the pgbench runs around it, per round; empty without pgbench
 */
public record Interleaving(int rounds, List<Double> throughputs, double throughputMin, double throughputMax,
                           List<Double> baselines, List<Double> ratios, double ratioMin, double ratioMax,
                           List<Double> pgbench, List<Double> pgbenchRatios) {

    static Interleaving of(List<Double> throughputs, List<Double> baselines, List<Double> pgbench) {
        if (baselines.size() != throughputs.size() + 1) {
            throw new IllegalArgumentException("a baseline before and after every round: " + throughputs.size()
                    + " rounds need " + (throughputs.size() + 1) + " baselines, got " + baselines.size());
        }
        List<Double> ratios = around(throughputs, baselines);
        List<Double> pgbenchRatios = pgbench.size() == baselines.size() ? around(throughputs, pgbench) : List.of();
        return new Interleaving(throughputs.size(), List.copyOf(throughputs), Collections.min(throughputs),
                Collections.max(throughputs), List.copyOf(baselines), ratios, Collections.min(ratios),
                Collections.max(ratios), List.copyOf(pgbench), pgbenchRatios);
    }

    private static List<Double> around(List<Double> throughputs, List<Double> baselines) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < throughputs.size(); i++) {
            double baseline = (baselines.get(i) + baselines.get(i + 1)) / 2;
            ratios.add(baseline > 0 ? throughputs.get(i) / baseline : 0);
        }
        return List.copyOf(ratios);
    }

    public double medianThroughput() {
        return median(throughputs);
    }

    public double medianBaseline() {
        return median(baselines);
    }

    public double medianRatio() {
        return median(ratios);
    }

    /** The median ratio to pgbench, or null without pgbench. */
    public Double medianPgbenchRatio() {
        return pgbenchRatios.isEmpty() ? null : median(pgbenchRatios);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
