package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/** The bound holds for the loan of a connection, and only for it. */
class BoundedDataSourceTest {

    private static final Duration BOUND = Duration.ofMillis(500);

    @Test
    @DisplayName("a statement that outlasts the bound fails in about the bound, and the pool hands out a fresh connection")
    void statementOutlastingTheBound() throws SQLException {
        try (HikariDataSource pool = PostgresTestDatabase.shared().newPool(1)) {
            DataSource bounded = BoundedDataSource.of(pool, BOUND);
            long started = System.nanoTime();
            try (Connection connection = bounded.getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(3)"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).as("a connection failure").isEqualTo("08006"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
            }
            try (Connection next = bounded.getConnection(); Statement statement = next.createStatement()) {
                assertThat(statement.execute("SELECT 1")).as("the broken connection was not handed out again").isTrue();
            }
        }
    }

    @Test
    @DisplayName("the pool's own callers (the migrations) keep its unbounded setting once a bounded loan is returned")
    void boundEndsWithTheLoan() throws SQLException {
        try (HikariDataSource pool = PostgresTestDatabase.shared().newPool(1)) {
            try (Connection loan = BoundedDataSource.of(pool, BOUND).getConnection()) {
                assertThat(loan.getNetworkTimeout()).isEqualTo((int) BOUND.toMillis());
            }
            try (Connection same = pool.getConnection()) {
                assertThat(same.getNetworkTimeout()).isZero();
            }
        }
    }
}
