package org.pgeventstore.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * What one measured run recorded: how many operations and events completed in how long, and
 * the latency of each operation (nanoseconds) in a histogram.
 */
public record Measurement(int clients, double seconds, long operations, long events, long errors, String firstError,
                          Histogram latencyNanos) {

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
