package io.riskloop.store.access;

import io.riskloop.store.Database;
import io.riskloop.store.Sql;
import io.riskloop.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code api_keys} table: hashes of API keys with their names and roles. */
public final class ApiKeyStore {

    private final Database db;

    public ApiKeyStore(Database db) {
        this.db = db;
    }

    /**
     * Stores a new key's hash.
     *
     * @throws IllegalArgumentException when a live key already has this name
     */
    public ApiKey insert(String name, String role, String keyHash, String prefix, String createdBy, Instant at) {
        try {
            return db.withConnection(c -> Sql.one(c, """
                    insert into api_keys (name, role, key_hash, key_prefix, created_at, created_by)
                    values (?, ?, ?, ?, ?, ?) returning *""", ApiKeyStore::row, name, role, keyHash, prefix, at,
                    createdBy).orElseThrow());
        } catch (StoreException e) {
            if ("23505".equals(e.sqlState())) {
                throw new IllegalArgumentException("a live key named '" + name + "' exists already: revoke it first"
                        + " or choose another name", e);
            }
            throw e;
        }
    }

    /** The live key with this hash. */
    public Optional<ApiKey> findLiveByHash(String keyHash) {
        return db.withConnection(c -> Sql.one(c, "select * from api_keys where key_hash = ? and revoked_at is null",
                ApiKeyStore::row, keyHash));
    }

    /** The live key with this name. */
    public Optional<ApiKey> findLiveByName(String name) {
        return db.withConnection(c -> Sql.one(c, "select * from api_keys where name = ? and revoked_at is null",
                ApiKeyStore::row, name));
    }

    /** Keys, newest first; revoked ones too when asked. */
    public List<ApiKey> list(boolean includeRevoked) {
        return db.withConnection(c -> Sql.list(c, "select * from api_keys"
                + (includeRevoked ? "" : " where revoked_at is null") + " order by id desc", ApiKeyStore::row));
    }

    /** Revokes the live key named {@code name}; returns it as it was, or empty when there is none. */
    public Optional<ApiKey> revoke(String name, String by, Instant at) {
        return db.inTransaction(c -> {
            Optional<ApiKey> before = Sql.one(c, "select * from api_keys where name = ? and revoked_at is null"
                    + " for update", ApiKeyStore::row, name);
            if (before.isPresent()) {
                Sql.update(c, "update api_keys set revoked_at = ?, revoked_by = ? where id = ?", at, by,
                        before.get().id());
            }
            return before;
        });
    }

    /** Number of live keys with this role. */
    public long countLive(String role) {
        return db.withConnection(c -> Sql.one(c, "select count(*) from api_keys where role = ? and revoked_at is null",
                rs -> rs.getLong(1), role).orElse(0L));
    }

    static ApiKey row(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getString("name"), rs.getString("role"), rs.getString("key_prefix"),
                Sql.instant(rs, "created_at"), rs.getString("created_by"), Sql.instant(rs, "revoked_at"),
                rs.getString("revoked_by"));
    }
}
