package org.pgeventstore.adapters.postgres.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the append notifications travel: a PostgreSQL channel name, and how to open the dedicated
 * connections that send and listen on it (never connections of the service's pools, whose
 * sessions are lent to requests and, behind a transaction pooler, shared).
 */
public record NotificationChannel(String name, String jdbcUrl, String user, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public NotificationChannel {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a notification channel is a lower-case PostgreSQL identifier "
                    + "(a-z 0-9 _, at most 63 characters, not starting with a digit); was " + name);
        }
    }

    /** A new connection of its own, named {@code applicationName} in {@code pg_stat_activity}. */
    Connection open(String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        connection.setAutoCommit(true);
        return connection;
    }

    @Override
    public String toString() {
        return name;
    }
}
