package org.pgeventstore.benchmarks;

import java.util.List;

/**
 * Projection catch-up from position 0 (events/s; target at least 50,000) and the latency from an
 * order placed to the order visible in the read model. This build has no projections, so the
 * case reports that instead of numbers.
 *
 * <p>To wire it in once projections exist: start the projection runner on
 * {@code context.database().pool(...)} from position 0 over the events the append cases left in
 * the table (or append a known count first), time it until its checkpoint reaches the feed's head
 * for {@link #CATCH_UP_ID}; then, with the runner live, place orders with the command handler
 * and time each placement until the read model shows it, recording the latencies with
 * {@link LoadDriver#run} for {@link #VISIBLE_ID}. Return {@code Figure.measured(...)} for both
 * in place of the rows below (catch-up with {@link #CATCH_UP_TARGET} and
 * {@code context.baseline(FeedReadCase.RAW_ID)}: a projection reads the feed).
 */
final class ProjectionCase implements BenchmarkCase {

    static final String CATCH_UP_ID = "projection.catch-up";
    static final String VISIBLE_ID = "projection.placed-to-visible";
    static final Target CATCH_UP_TARGET = Target.throughputAtLeast(50_000);
    private static final String REASON = "projections are not part of this build (no projection runner yet)";

    @Override
    public String name() {
        return "projection catch-up and placed-to-visible latency";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) {
        return List.of(
                Figure.notAvailable(CATCH_UP_ID, "projection", "projection catch-up from position 0", "events/s",
                        CATCH_UP_TARGET, REASON),
                Figure.notAvailable(VISIBLE_ID, "projection", "order placed to visible in the read model", "orders/s",
                        null, REASON));
    }
}
