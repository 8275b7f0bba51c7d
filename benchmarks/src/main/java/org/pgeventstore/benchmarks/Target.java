package org.pgeventstore.benchmarks;

/**
 * A figure the project has committed to on the reference machine. A target is checked and
 * reported, never asserted: a missed target is a finding to explain, not a failed build.
 */
public record Target(Kind kind, double value) {

    public enum Kind {
        /** Throughput at least {@code value} times the figure's baseline. */
        MIN_RATIO,
        /** Throughput at least {@code value} per second. */
        MIN_THROUGHPUT,
        /** 99th percentile latency at most {@code value} milliseconds. */
        MAX_P99_MS
    }

    public static Target ratioAtLeast(double ratio) {
        return new Target(Kind.MIN_RATIO, ratio);
    }

    public static Target throughputAtLeast(double perSecond) {
        return new Target(Kind.MIN_THROUGHPUT, perSecond);
    }

    public static Target p99AtMostMillis(double millis) {
        return new Target(Kind.MAX_P99_MS, millis);
    }

    /** Whether a measured figure meets this target; null when the figure lacks what the target needs. */
    public Boolean metBy(Double throughput, Double ratio, Double p99Ms) {
        return switch (kind) {
            case MIN_RATIO -> ratio == null ? null : ratio >= value;
            case MIN_THROUGHPUT -> throughput == null ? null : throughput >= value;
            case MAX_P99_MS -> p99Ms == null ? null : p99Ms <= value;
        };
    }

    public String describe(String unit) {
        return switch (kind) {
            case MIN_RATIO -> ">= " + Numbers.ratio(value) + " baseline";
            case MIN_THROUGHPUT -> ">= " + Numbers.count(value) + " " + unit;
            case MAX_P99_MS -> "p99 <= " + Numbers.millis(value) + " ms";
        };
    }
}
