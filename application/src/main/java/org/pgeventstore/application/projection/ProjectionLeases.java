package org.pgeventstore.application.projection;

import java.util.Optional;

/** Hands out {@link ProjectionLease}s: at most one holder per projection name at a time. */
public interface ProjectionLeases {

    /** The lease of {@code projection}, or empty when another runner holds it. Never blocks. */
    Optional<ProjectionLease> tryAcquire(String projection);

    /** Leases that are always granted, for a single runner in one process (tests, benchmarks). */
    ProjectionLeases UNCONTENDED = projection -> Optional.of(new ProjectionLease() {
        @Override
        public boolean isHeld() {
            return true;
        }

        @Override
        public void close() {
        }
    });
}
