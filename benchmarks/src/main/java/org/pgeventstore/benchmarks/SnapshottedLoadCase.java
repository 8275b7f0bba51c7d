package org.pgeventstore.benchmarks;

import java.util.List;

/**
 * Loading the 10,000-event order from a snapshot plus the events after it; target p99 at most
 * 2 ms. This build has no snapshot store, so the case reports that instead of a number.
 *
 * <p>To wire it in once snapshots exist: build the snapshot store on
 * {@code context.database().pool(...)}, append the order with
 * {@link BenchmarkOrders#append} (id {@link AggregateLoadCase#loadId} for the same size is the
 * load without snapshot to compare with), take a snapshot, then measure the snapshotted load
 * with {@link LoadDriver#run} exactly as {@link AggregateLoadCase} measures the plain one, and
 * return {@code Figure.measured(ID, "load", ..., context.baseline(AggregateLoadCase.rawReadId(10_000)),
 * TARGET, ...)} in place of the row below.
 */
final class SnapshottedLoadCase implements BenchmarkCase {

    static final String ID = "load.order." + RunPlan.HEADLINE_ORDER_SIZE + ".snapshot";
    static final Target TARGET = Target.p99AtMostMillis(2);

    @Override
    public String name() {
        return "aggregate load with snapshots";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) {
        return List.of(Figure.notAvailable(ID, "load",
                "load a " + Numbers.count(RunPlan.HEADLINE_ORDER_SIZE) + "-event order from a snapshot",
                "events/s", TARGET, "snapshots are not part of this build (no snapshot store yet)"));
    }
}
