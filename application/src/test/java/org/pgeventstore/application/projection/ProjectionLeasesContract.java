package org.pgeventstore.application.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@link ProjectionLeases} contract: at most one holder per projection name at a time, among
 * every instance. Every adapter that excludes (not {@link ProjectionLeases#UNCONTENDED}) runs this
 * suite by extending it. Each test uses projection names of its own.
 */
public abstract class ProjectionLeasesContract {

    /** The leases as one more instance of the service takes them (its own connections, say). */
    protected abstract ProjectionLeases newInstance();

    private final String projection = "lease-contract-" + UUID.randomUUID();

    @Test
    @DisplayName("a free lease is granted and held; while it is, no instance gets it, its holder's included")
    void exclusive() {
        ProjectionLeases first = newInstance();
        ProjectionLeases second = newInstance();

        try (ProjectionLease lease = first.tryAcquire(projection).orElseThrow()) {
            assertThat(lease.isHeld()).isTrue();
            assertThat(second.tryAcquire(projection)).as("another instance").isEmpty();
            assertThat(first.tryAcquire(projection)).as("the holder's own instance").isEmpty();
            assertThat(lease.isHeld()).isTrue();
        }
    }

    @Test
    @DisplayName("a closed lease is no longer held and another instance takes it at once")
    void closeHandsOver() {
        ProjectionLeases first = newInstance();
        ProjectionLeases second = newInstance();
        ProjectionLease lease = first.tryAcquire(projection).orElseThrow();

        lease.close();

        assertThat(lease.isHeld()).isFalse();
        try (ProjectionLease next = second.tryAcquire(projection).orElseThrow()) {
            assertThat(next.isHeld()).isTrue();
            assertThat(first.tryAcquire(projection)).as("and now the first one waits").isEmpty();
        }
    }

    @Test
    @DisplayName("leases of different projections are independent")
    void perProjection() {
        ProjectionLeases first = newInstance();
        ProjectionLeases second = newInstance();

        try (ProjectionLease one = first.tryAcquire(projection).orElseThrow();
             ProjectionLease other = second.tryAcquire(projection + "-other").orElseThrow()) {
            assertThat(one.isHeld()).isTrue();
            assertThat(other.isHeld()).isTrue();
        }
    }

    @Test
    @DisplayName("tryAcquire never waits for the holder: it answers empty at once")
    void neverBlocks() {
        ProjectionLeases first = newInstance();
        ProjectionLeases second = newInstance();

        try (ProjectionLease lease = first.tryAcquire(projection).orElseThrow()) {
            Optional<ProjectionLease> refused = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> second.tryAcquire(projection));
            assertThat(refused).isEmpty();
            assertThat(lease.isHeld()).isTrue();
        }
    }
}
