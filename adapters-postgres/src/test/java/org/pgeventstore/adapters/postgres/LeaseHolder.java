package org.pgeventstore.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Optional;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionLeases;
import org.pgeventstore.application.projection.ProjectionLease;

/**
 * A process that takes one projection lease and holds it, for tests that freeze or kill its
 * holder. Prints {@code lease_held} once it holds it and {@code lease_lost} when it finds it lost.
 * Arguments: JDBC URL, user, password, projection name, lease timeout (ISO-8601, e.g. PT2S).
 */
public final class LeaseHolder {

    private LeaseHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Optional<ProjectionLease> lease = new PostgresProjectionLeases(pool, Duration.parse(args[4]))
                    .tryAcquire(args[3]);
            if (lease.isEmpty()) {
                System.out.println("lease_taken");
                return;
            }
            System.out.println("lease_held");
            while (lease.get().isHeld()) {
                Thread.sleep(50);
            }
            System.out.println("lease_lost");
        }
    }
}
