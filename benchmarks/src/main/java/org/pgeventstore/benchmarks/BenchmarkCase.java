package org.pgeventstore.benchmarks;

import java.util.List;

/**
 * One case of the suite. A case measures with {@link LoadDriver}, compares with baselines
 * already in the {@link BenchmarkContext}, and returns its figures; a case whose feature is not
 * in the build returns {@link Figure#notAvailable} rows rather than numbers.
 */
interface BenchmarkCase {

    /** What the case measures, for the progress log. */
    String name();

    List<Figure> run(BenchmarkContext context) throws Exception;
}
