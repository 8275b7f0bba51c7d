package org.pgeventstore.benchmarks;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One row of the results: a measured figure, or a case this build cannot run, said plainly.
 * Throughput is per second in {@code unit}; latencies are of one operation
 * ({@code latencyOf}) in milliseconds. {@code ratio} is this figure's throughput divided by
 * its baseline's, both measured in the same run on the same server; for an interleaved case
 * ({@code interleaving} not null) throughput and ratio are the median rounds', and the baseline is
 * the median of the baselines measured around them.
 */
public record Figure(
        String id,
        String group,
        String title,
        Status status,
        Integer clients,
        Double seconds,
        Long operations,
        Long events,
        Long errors,
        Double throughput,
        String unit,
        String latencyOf,
        Double p50Ms,
        Double p95Ms,
        Double p99Ms,
        String baselineId,
        Double baselineThroughput,
        Double ratio,
        Target target,
        String targetText,
        Boolean targetMet,
        String note,
        Interleaving interleaving) {

    public enum Status {
        MEASURED("measured"), NOT_AVAILABLE("not-available"), FAILED("failed");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }

    /** A figure from a measured run, compared with {@code baseline} (may be null) and checked against {@code target} (may be null). */
    static Figure measured(String id, String group, String title, String unit, String latencyOf, Measurement m,
                           Figure baseline, Target target, String note) {
        double throughput = m.eventsPerSecond();
        Double ratio = baseline != null && baseline.throughput() != null && baseline.throughput() > 0
                ? throughput / baseline.throughput() : null;
        Double p99 = m.percentileMillis(99);
        Status status = m.operations() > 0 ? Status.MEASURED : Status.FAILED;
        String fullNote = m.errors() > 0
                ? join(note, m.errors() + " operations failed, first: " + m.firstError())
                : note;
        if (status == Status.FAILED && m.firstError() != null) {
            fullNote = join(note, "no operation succeeded: " + m.firstError());
        }
        return new Figure(id, group, title, status, m.clients(), m.seconds(), m.operations(), m.events(), m.errors(),
                throughput, unit, latencyOf, m.percentileMillis(50), m.percentileMillis(95), p99,
                baseline == null ? null : baseline.id(), baseline == null ? null : baseline.throughput(), ratio,
                target, target == null ? null : target.describe(unit),
                status == Status.MEASURED && target != null ? target.metBy(throughput, ratio, p99) : null, fullNote,
                null);
    }

    /**
     * A case measured in rounds between its baselines: the latencies of all rounds together, the
     * median round's throughput and ratio, the spread in {@code interleaving}.
     */
    static Figure interleaved(String id, String group, String title, String unit, String latencyOf, Measurement all,
                              Interleaving interleaving, String baselineId, Target target, String note) {
        Figure pooled = measured(id, group, title, unit, latencyOf, all, null, null, note);
        double throughput = interleaving.medianThroughput();
        double ratio = interleaving.medianRatio();
        return new Figure(id, group, title, pooled.status(), pooled.clients(), pooled.seconds(), pooled.operations(),
                pooled.events(), pooled.errors(), throughput, unit, latencyOf, pooled.p50Ms(), pooled.p95Ms(),
                pooled.p99Ms(), baselineId, interleaving.medianBaseline(), ratio, target,
                target == null ? null : target.describe(unit),
                pooled.status() == Status.MEASURED && target != null ? target.metBy(throughput, ratio, pooled.p99Ms())
                        : null, pooled.note(), interleaving);
    }

    /** A case whose feature is not in this build: no number, the reason instead. */
    static Figure notAvailable(String id, String group, String title, String unit, Target target, String reason) {
        return new Figure(id, group, title, Status.NOT_AVAILABLE, null, null, null, null, null, null, unit, null,
                null, null, null, null, null, null, target, target == null ? null : target.describe(unit), null,
                "not available in this build: " + reason, null);
    }

    /** A case that could not run at all (e.g. the service did not start). */
    static Figure failed(String id, String group, String title, String unit, Target target, String reason) {
        return new Figure(id, group, title, Status.FAILED, null, null, null, null, null, null, unit, null,
                null, null, null, null, null, null, target, target == null ? null : target.describe(unit), null,
                "failed: " + reason, null);
    }

    private static String join(String a, String b) {
        return a == null || a.isBlank() ? b : a + "; " + b;
    }
}
