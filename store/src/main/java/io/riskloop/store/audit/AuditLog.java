package io.riskloop.store.audit;

import io.riskloop.store.Database;
import io.riskloop.store.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit log. The database refuses updates and deletes of its rows (a trigger, migration V3), so
 * what is written here stays as written.
 */
public final class AuditLog {

    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Appends one entry, stamped now.
     *
     * @param before JSON text of the state before, or null
     * @param after  JSON text of the state after, or null
     */
    public AuditEntry append(String actor, String action, String subject, String before, String after, String detail) {
        return db.withConnection(c -> append(c, actor, action, subject, before, after, detail));
    }

    /**
     * Appends one entry, stamped now, on {@code c}: inside the caller's transaction, so that the change and its
     * entry are committed (or rolled back) together.
     */
    public AuditEntry append(Connection c, String actor, String action, String subject, String before, String after,
                             String detail) throws SQLException {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs an actor");
        }
        return Sql.one(c, """
                insert into audit_log (at, actor, action, subject, before, after, detail)
                values (?, ?, ?, ?, ?, ?, ?) returning *""", AuditLog::row, clock.instant(), actor, action, subject,
                before == null ? null : new Sql.Json(before), after == null ? null : new Sql.Json(after), detail)
                .orElseThrow();
    }

    /**
     * Entries, newest first.
     *
     * @param subjectPrefix only subjects starting with this (e.g. {@code transaction:}), or null for all
     * @param actor         only this actor, or null
     * @param beforeId      only entries older than this id (paging), or null
     */
    public List<AuditEntry> recent(String subjectPrefix, String actor, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("select * from audit_log where true");
        List<Object> args = new ArrayList<>();
        if (subjectPrefix != null) {
            sql.append(" and starts_with(subject, ?)");
            args.add(subjectPrefix);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            args.add(actor);
        }
        if (beforeId != null) {
            sql.append(" and id < ?");
            args.add(beforeId);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        return db.withConnection(c -> Sql.list(c, sql.toString(), AuditLog::row, args));
    }

    /** Every entry about one subject, oldest first. */
    public List<AuditEntry> about(String subject) {
        return db.withConnection(c -> Sql.list(c, "select * from audit_log where subject = ? order by id",
                AuditLog::row, subject));
    }

    static AuditEntry row(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("before"), rs.getString("after"), rs.getString("detail"));
    }
}
