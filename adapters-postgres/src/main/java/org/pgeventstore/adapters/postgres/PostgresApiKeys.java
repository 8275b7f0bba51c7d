package org.pgeventstore.adapters.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.pgeventstore.application.access.ApiKey;
import org.pgeventstore.application.access.ApiKeys;
import org.pgeventstore.application.access.Role;

/** {@link ApiKeys} in the {@code api_keys} table (migration V8). */
public final class PostgresApiKeys implements ApiKeys {

    private static final String COLUMNS = "id, name, roles, categories, created_at, created_by, revoked_at";

    private static final String INSERT = """
            INSERT INTO api_keys (id, name, secret_hash, roles, categories, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String LIST = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id";
    private static final String BY_HASH = "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ?";
    private static final String REVOKE = """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, ?)
             WHERE id = ?
            RETURNING\s""" + COLUMNS;
    private static final String ANY = "SELECT EXISTS (SELECT 1 FROM api_keys)";

    private final DataSource dataSource;

    public PostgresApiKeys(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void add(ApiKey key, byte[] secretHash) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setObject(1, key.id());
            statement.setString(2, key.name());
            statement.setBytes(3, secretHash);
            statement.setArray(4, connection.createArrayOf("text", key.roles().stream().map(Role::inWords).sorted().toArray()));
            statement.setArray(5, key.categories().isEmpty() ? null
                    : connection.createArrayOf("text", key.categories().get().stream().sorted().toArray()));
            statement.setTimestamp(6, Timestamp.from(key.createdAt()));
            statement.setString(7, key.createdBy());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw PostgresFailures.translate("store API key " + key.name(), e);
        }
    }

    @Override
    public List<ApiKey> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LIST);
             ResultSet rows = statement.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(key(rows));
            }
            return keys;
        } catch (SQLException e) {
            throw PostgresFailures.translate("list the API keys", e);
        }
    }

    @Override
    public Optional<ApiKey> findBySecretHash(byte[] secretHash) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(BY_HASH)) {
            statement.setBytes(1, secretHash);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(key(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("check an API key", e);
        }
    }

    @Override
    public Optional<ApiKey> revoke(UUID id, String revokedBy) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(REVOKE)) {
            statement.setString(1, revokedBy);
            statement.setObject(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(key(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate("revoke API key " + id, e);
        }
    }

    @Override
    public boolean any() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(ANY);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        } catch (SQLException e) {
            throw PostgresFailures.translate("look for API keys", e);
        }
    }

    private static ApiKey key(ResultSet rows) throws SQLException {
        Set<Role> roles = strings(rows.getArray(3)).stream().map(role -> Role.parse(role).orElseThrow(
                () -> new IllegalStateException("api_keys holds an unknown role " + role))).collect(Collectors.toSet());
        Array categories = rows.getArray(4);
        OffsetDateTime revokedAt = rows.getObject(7, OffsetDateTime.class);
        return new ApiKey(rows.getObject(1, UUID.class), rows.getString(2), roles,
                categories == null ? Optional.empty() : Optional.of(Set.copyOf(strings(categories))),
                rows.getObject(5, OffsetDateTime.class).toInstant(), rows.getString(6),
                Optional.ofNullable(revokedAt).map(OffsetDateTime::toInstant));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
