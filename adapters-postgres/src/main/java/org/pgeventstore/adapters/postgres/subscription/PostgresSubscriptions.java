package org.pgeventstore.adapters.postgres.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.pgeventstore.adapters.postgres.PostgresFailures;
import org.pgeventstore.adapters.postgres.projection.Transactions;
import org.pgeventstore.application.subscription.Subscription;
import org.pgeventstore.application.subscription.Subscriptions;

/**
 * {@link Subscriptions} in the tables of migration V9. A change runs in one transaction that first
 * takes a transaction-level advisory lock on the subscription's name, so changes of one
 * subscription are serialised across instances, its creation included (there is no row to lock
 * yet), and writes only the rows that changed.
 */
public final class PostgresSubscriptions implements Subscriptions {

    /** The advisory lock space of subscriptions (the two-key form, apart from other users of advisory locks). */
    private static final int LOCK_SPACE = 0x5355_4253;

    private static final String COLUMNS = """
            s.name, s.category, s.types, s.start_from, s.start_position, s.members, s.rescale_to, s.rescale_at,
            m.member, m.position, m.delivered, m.last_seen""";
    private static final String LIST = "SELECT " + COLUMNS + """

              FROM subscriptions s JOIN subscription_members m ON m.subscription = s.name
             ORDER BY s.name, m.member
            """;
    private static final String FIND = "SELECT " + COLUMNS + """

              FROM subscriptions s JOIN subscription_members m ON m.subscription = s.name
             WHERE s.name = ?
             ORDER BY m.member
            """;
    private static final String LOCK = "SELECT pg_advisory_xact_lock(?, hashtext(?))";
    private static final String UPSERT = """
            INSERT INTO subscriptions (name, category, types, start_from, start_position, members, rescale_to, rescale_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE
               SET category = excluded.category, types = excluded.types, start_from = excluded.start_from,
                   start_position = excluded.start_position, members = excluded.members,
                   rescale_to = excluded.rescale_to, rescale_at = excluded.rescale_at
            """;
    private static final String UPSERT_MEMBER = """
            INSERT INTO subscription_members (subscription, member, position, delivered, last_seen)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (subscription, member) DO UPDATE
               SET position = excluded.position, delivered = excluded.delivered, last_seen = excluded.last_seen
            """;
    private static final String DELETE_MEMBERS_FROM = "DELETE FROM subscription_members WHERE subscription = ? AND member >= ?";
    private static final String DELETE = "DELETE FROM subscriptions WHERE name = ?";

    private final DataSource dataSource;

    public PostgresSubscriptions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<Subscription> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LIST)) {
            return read(statement);
        } catch (SQLException e) {
            throw PostgresFailures.translate("list the subscriptions", e);
        }
    }

    @Override
    public Optional<Subscription> find(String name) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, name);
        } catch (SQLException e) {
            throw PostgresFailures.translate("read subscription " + name, e);
        }
    }

    private static Optional<Subscription> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, name);
            return read(statement).stream().findFirst();
        }
    }

    @Override
    public Optional<Subscription> change(String name, UnaryOperator<Optional<Subscription>> change) {
        return Transactions.inTransaction(dataSource, "change subscription " + name, connection -> null, connection -> {
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setInt(1, LOCK_SPACE);
                lock.setString(2, name);
                lock.execute();
            }
            Optional<Subscription> before = find(connection, name);
            Optional<Subscription> after = change.apply(before);
            if (after.equals(before)) {
                return after;
            }
            if (after.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                    delete.setString(1, name);
                    delete.executeUpdate();
                }
                return after;
            }
            write(connection, before, after.get());
            return after;
        });
    }

    private static void write(Connection connection, Optional<Subscription> before, Subscription after) throws SQLException {
        if (before.isEmpty() || !sameDefinition(before.get(), after)) {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setString(1, after.name());
                upsert.setString(2, after.category().orElse(null));
                upsert.setArray(3, connection.createArrayOf("text", after.types().stream().sorted().toArray()));
                upsert.setString(4, after.startFrom());
                upsert.setLong(5, after.startPosition());
                upsert.setInt(6, after.members());
                if (after.rescale().isPresent()) {
                    upsert.setInt(7, after.rescale().get().members());
                    upsert.setLong(8, after.rescale().get().at());
                } else {
                    upsert.setNull(7, Types.INTEGER);
                    upsert.setNull(8, Types.BIGINT);
                }
                upsert.executeUpdate();
            }
        }
        List<Subscription.Member> old = before.map(Subscription::checkpoints).orElse(List.of());
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_MEMBER)) {
            for (Subscription.Member member : after.checkpoints()) {
                if (member.index() < old.size() && old.get(member.index()).equals(member)) {
                    continue;
                }
                upsert.setString(1, after.name());
                upsert.setInt(2, member.index());
                upsert.setLong(3, member.position());
                upsert.setLong(4, member.delivered());
                upsert.setTimestamp(5, member.lastSeen().map(Timestamp::from).orElse(null));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        if (old.size() > after.members()) {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_MEMBERS_FROM)) {
                delete.setString(1, after.name());
                delete.setInt(2, after.members());
                delete.executeUpdate();
            }
        }
    }

    private static boolean sameDefinition(Subscription a, Subscription b) {
        return a.category().equals(b.category()) && a.types().equals(b.types()) && a.startFrom().equals(b.startFrom())
                && a.startPosition() == b.startPosition() && a.members() == b.members() && a.rescale().equals(b.rescale());
    }

    private static List<Subscription> read(PreparedStatement statement) throws SQLException {
        record Header(String name, Optional<String> category, Set<String> types, String startFrom, long startPosition,
                      int members, Optional<Subscription.Rescale> rescale) {
        }
        Map<Header, List<Subscription.Member>> found = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                int rescaleTo = rows.getInt(7);
                Optional<Subscription.Rescale> rescale = rows.wasNull() ? Optional.empty()
                        : Optional.of(new Subscription.Rescale(rescaleTo, rows.getLong(8)));
                Header header = new Header(rows.getString(1), Optional.ofNullable(rows.getString(2)),
                        Set.of((String[]) rows.getArray(3).getArray()), rows.getString(4), rows.getLong(5), rows.getInt(6),
                        rescale);
                OffsetDateTime lastSeen = rows.getObject(12, OffsetDateTime.class);
                found.computeIfAbsent(header, h -> new ArrayList<>()).add(new Subscription.Member(rows.getInt(9),
                        rows.getLong(10), rows.getLong(11), Optional.ofNullable(lastSeen).map(OffsetDateTime::toInstant)));
            }
        }
        List<Subscription> subscriptions = new ArrayList<>();
        found.forEach((h, members) -> subscriptions.add(new Subscription(h.name(), h.category(), h.types(), h.startFrom(),
                h.startPosition(), h.members(), h.rescale(), members)));
        return subscriptions;
    }
}
