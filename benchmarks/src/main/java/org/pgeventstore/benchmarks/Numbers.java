package org.pgeventstore.benchmarks;

import java.util.List;
import java.util.Locale;

/** How the harness writes numbers for people: grouped counts, milliseconds, ratios. */
final class Numbers {

    private Numbers() {
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Counts, comma-separated: the runs of an interleaved case, say. */
    static String counts(List<Double> values) {
        return String.join(", ", values.stream().map(Numbers::count).toList());
    }

    static String millis(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
