package org.pgeventstore.application.replica;

import java.time.Duration;

/**
 * How far a streaming replica trails its primary.
 *
 * @param replayDelay  how long ago the primary committed the transaction the replica replayed
 *                     last; zero when the replica has replayed everything it received (an idle
 *                     primary makes the last replayed commit old without the replica being behind)
 * @param bytesBehind  WAL received but not yet replayed
 * @param visibleBound the replica's feed bound (see {@link ReplicaStatus#visibleBound()})
 */
public record ReplicaLag(Duration replayDelay, long bytesBehind, long visibleBound) {
}
