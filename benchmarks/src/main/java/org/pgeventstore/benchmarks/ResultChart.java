package org.pgeventstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The results as an SVG picture: throughput as a fraction of PostgreSQL's own limit, the
 * figures with absolute targets, and load time by order length.
 */
final class ResultChart {

    private static final int WIDTH = 1100;
    private static final int LABEL = 390;
    private static final int BAR_AREA = 420;
    private static final int ROW = 26;
    private static final int VALUES = LABEL + BAR_AREA + 10;
    private static final String MET = "#2e7d32";
    private static final String MISSED = "#c62828";
    private static final String NEUTRAL = "#1565c0";
    private static final String BASE = "#9e9e9e";
    private static final Set<String> RATIO_GROUPS = Set.of("append", "load", "feed", "http");

    private final StringBuilder body = new StringBuilder();
    private int y = 0;

    private ResultChart() {
    }

    static String render(RunPlan plan, Machine machine, List<Figure> figures) {
        ResultChart chart = new ResultChart();
        chart.header(plan, machine);
        chart.ratios(figures);
        chart.targets(figures);
        chart.loadCurve(figures);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + (chart.y + 20)
                + "\" viewBox=\"0 0 " + WIDTH + " " + (chart.y + 20) + "\" font-family=\"Helvetica, Arial, sans-serif\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + chart.body + "</svg>\n";
    }

    private void header(RunPlan plan, Machine machine) {
        y += 30;
        text(20, y, 20, "bold", "#000", "start", "pg-eventstore: our figures beside PostgreSQL's own limit");
        y += 22;
        text(20, y, 12, "normal", "#444", "start", plan.mode() + " run, " + plan.measure().toSeconds()
                + " s per case after " + plan.warmup().toSeconds() + " s warm-up, " + machine.cpus() + " CPUs ("
                + machine.cpuModel() + "), " + machine.memory() + " RAM, JDK " + machine.jdk());
        y += 16;
        text(20, y, 12, "normal", "#444", "start", "PostgreSQL " + machine.postgres().get("server_version")
                + " (fsync " + machine.postgres().get("fsync") + ", synchronous_commit "
                + machine.postgres().get("synchronous_commit") + "): " + machine.database());
        y += 6;
    }

    private void ratios(List<Figure> figures) {
        List<Figure> rows = figures.stream()
                .filter(f -> RATIO_GROUPS.contains(f.group()) && f.status() == Figure.Status.MEASURED && f.ratio() != null)
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        section("Throughput as a fraction of PostgreSQL's limit (raw JDBC, same server, same run; 1.0 = the limit)");
        double max = Math.max(1.2, rows.stream().mapToDouble(Figure::ratio).max().orElse(1) * 1.05);
        int top = y;
        for (Figure f : rows) {
            double width = BAR_AREA * f.ratio() / max;
            boolean ratioTarget = f.target() != null && f.target().kind() == Target.Kind.MIN_RATIO;
            rect(LABEL, y + 4, width, ROW - 8, ratioTarget ? colour(f) : NEUTRAL);
            text(LABEL - 8, y + ROW / 2 + 4, 12, "normal", "#000", "end", f.title());
            text(VALUES, y + ROW / 2 + 4, 11, "normal", "#222", "start",
                    Numbers.ratio(f.ratio()) + "  (" + Numbers.count(f.throughput()) + " vs "
                            + Numbers.count(f.baselineThroughput()) + " " + f.unit() + ")");
            if (ratioTarget) {
                double x = LABEL + BAR_AREA * f.target().value() / max;
                line(x, y + 1, x, y + ROW - 1, "#ef6c00", 3, null);
            }
            y += ROW;
        }
        double one = LABEL + BAR_AREA / max;
        line(one, top - 4, one, y + 2, "#000", 1, "4,3");
        text(one, y + 14, 11, "normal", "#000", "middle", "1.0 = PostgreSQL's limit");
        y += 36;
        legend();
    }

    private void targets(List<Figure> figures) {
        List<Figure> rows = figures.stream()
                .filter(f -> f.target() != null && f.target().kind() != Target.Kind.MIN_RATIO)
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        section("Absolute targets (the dashed line is the target; for p99, shorter is better)");
        int top = y;
        double targetX = LABEL + BAR_AREA * 0.5;
        for (Figure f : rows) {
            text(LABEL - 8, y + ROW / 2 + 4, 12, "normal", "#000", "end", f.title());
            if (f.status() != Figure.Status.MEASURED) {
                rect(LABEL, y + 4, BAR_AREA, ROW - 8, "#eeeeee");
                text(LABEL + 8, y + ROW / 2 + 4, 11, "italic", "#555", "start",
                        "not available in this build (target " + f.targetText() + ")");
            } else {
                boolean p99 = f.target().kind() == Target.Kind.MAX_P99_MS;
                double value = p99 ? f.p99Ms() : f.throughput();
                double width = Math.min(BAR_AREA, BAR_AREA * 0.5 * value / f.target().value());
                rect(LABEL, y + 4, width, ROW - 8, colour(f));
                text(VALUES, y + ROW / 2 + 4, 11, "normal", "#222", "start",
                        (p99 ? "p99 " + Numbers.millis(value) + " ms" : Numbers.count(value) + " " + f.unit())
                                + "  (target " + f.targetText() + ")");
            }
            y += ROW;
        }
        line(targetX, top - 4, targetX, y + 2, "#000", 1, "4,3");
        text(targetX, y + 14, 11, "normal", "#000", "middle", "target");
        y += 26;
    }

    private void loadCurve(List<Figure> figures) {
        List<Figure> ours = figures.stream()
                .filter(f -> f.group().equals("load-curve") && f.status() == Figure.Status.MEASURED).toList();
        if (ours.isEmpty()) {
            return;
        }
        section("Load time of one order by its number of events (median, milliseconds, log scale)");
        List<Double> values = new ArrayList<>();
        for (Figure f : ours) {
            values.add(f.p50Ms());
            figures.stream().filter(b -> b.id().equals(f.baselineId())).findFirst().ifPresent(b -> values.add(b.p50Ms()));
        }
        double low = Math.pow(10, Math.floor(Math.log10(Math.max(0.01, values.stream().mapToDouble(v -> v).min().orElse(1)))));
        double high = Math.pow(10, Math.ceil(Math.log10(values.stream().mapToDouble(v -> v).max().orElse(10) * 1.01)));
        int top = y;
        for (Figure f : ours) {
            Figure base = figures.stream().filter(b -> b.id().equals(f.baselineId())).findFirst().orElse(null);
            text(LABEL - 8, y + 15, 12, "normal", "#000", "end", Numbers.count(f.events() / f.operations()) + " events");
            bar(f.p50Ms(), low, high, NEUTRAL, "order load (OrderQueries)");
            if (base != null) {
                bar(base.p50Ms(), low, high, BASE, "raw SELECT of the rows");
            }
            y += 8;
        }
        for (double tick = low; tick <= high * 1.0001; tick *= 10) {
            double x = logX(tick, low, high);
            line(x, top - 2, x, y, "#ccc", 1, null);
            text(x, y + 14, 10, "normal", "#444", "middle", Numbers.millis(tick) + " ms");
        }
        y += 24;
    }

    private void bar(double ms, double low, double high, String colour, String label) {
        double width = Math.max(1, logX(ms, low, high) - LABEL);
        rect(LABEL, y + 3, width, 14, colour);
        text(LABEL + width + 6, y + 14, 11, "normal", "#222", "start", Numbers.millis(ms) + " ms  " + label);
        y += 18;
    }

    private static double logX(double value, double low, double high) {
        double clamped = Math.max(low, Math.min(high, value));
        return LABEL + BAR_AREA * (Math.log10(clamped) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    }

    private void legend() {
        int x = LABEL;
        for (String[] item : new String[][] {{MET, "target met"}, {MISSED, "target missed"}, {NEUTRAL, "no target"}}) {
            rect(x, y - 9, 12, 12, item[0]);
            text(x + 16, y + 1, 11, "normal", "#222", "start", item[1]);
            x += 110;
        }
        line(x, y - 9, x, y + 3, "#ef6c00", 3, null);
        text(x + 8, y + 1, 11, "normal", "#222", "start", "target ratio");
        y += 20;
    }

    private String colour(Figure f) {
        return Boolean.TRUE.equals(f.targetMet()) ? MET : Boolean.FALSE.equals(f.targetMet()) ? MISSED : NEUTRAL;
    }

    private void section(String title) {
        y += 26;
        text(20, y, 15, "bold", "#000", "start", title);
        y += 12;
    }

    private void rect(double x, double top, double width, double height, String fill) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, top, width, height, fill));
    }

    private void line(double x1, double y1, double x2, double y2, String stroke, double width, String dash) {
        body.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, stroke, width, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    private void text(double x, double baseline, int size, String weight, String fill, String anchor, String content) {
        String style = weight.equals("italic") ? " font-style=\"italic\"" : " font-weight=\"" + weight + "\"";
        body.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s fill=\"%s\" text-anchor=\"%s\">%s</text>%n",
                x, baseline, size, style, fill, anchor, escape(content)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
