package org.pgeventstore.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * What one measured run recorded: how many operations and events completed in how long, and
 * the latency of each operation (nanoseconds) in a histogram.
 */
public record Measurement(int clients, double seconds, long operations, long events, long errors, String firstError,
                          Histogram latencyNanos) {

    /** Several runs of one case as one: their counts and times added, their latencies in one histogram. */
    static Measurement pooled(java.util.List<Measurement> runs) {
        Histogram latency = new Histogram(runs.getFirst().latencyNanos().getHighestTrackableValue(), 3);
        double seconds = 0;
        long operations = 0;
        long events = 0;
        long errors = 0;
        String firstError = null;
        for (Measurement run : runs) {
            latency.add(run.latencyNanos());
            seconds += run.seconds();
            operations += run.operations();
            events += run.events();
            errors += run.errors();
            firstError = firstError == null ? run.firstError() : firstError;
        }
        return new Measurement(runs.getFirst().clients(), seconds, operations, events, errors, firstError, latency);
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }

    public double operationsPerSecond() {
        return seconds > 0 ? operations / seconds : 0;
    }

    public double percentileMillis(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1_000_000.0;
    }

    public double meanMillis() {
        return latencyNanos.getMean() / 1_000_000.0;
    }
}
