package io.riskloop.registry.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.model.Json;
import io.riskloop.registry.RegistryException;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Registers data sets by content and finds them again. */
public final class Snapshots {

    private final Database db;
    private final Clock clock;

    public Snapshots(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public DatasetSnapshot register(Dataset d, SnapshotOrigin origin) {
        return register(d.rows(), d.format().cliName(), origin);
    }

    /**
     * Registers the rows' content. Data already registered (same canonical hash) return their existing snapshot,
     * with the origin it was first registered with; two processes registering the same data at once get one row.
     */
    public DatasetSnapshot register(List<LabeledTransaction> rows, String layout, SnapshotOrigin origin) {
        if (origin == null) {
            throw RegistryException.invalid("origin", "a dataset snapshot needs its origin (simulator parameters,"
                    + " import file or store export)");
        }
        CanonicalForm.Summary s = CanonicalForm.of(rows);
        DatasetSnapshot.Schema schema = new DatasetSnapshot.Schema(layout, s.columns());
        return db.inTransaction(c -> {
            Optional<Long> id = Sql.one(c, "insert into dataset_snapshots (sha256, canonical_version, row_count,"
                            + " start_time, end_time, frauds, genuine, schema, origin_kind, origin, created_at)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (sha256) do nothing returning id",
                    rs -> rs.getLong(1), s.sha256(), CanonicalForm.VERSION, s.rows(), s.start(), s.end(), s.frauds(),
                    s.rows() - s.frauds(), json(schema), origin.kind(), json(origin),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            long found = id.isPresent() ? id.get() : Sql.returningLong(c,
                    "select id from dataset_snapshots where sha256 = ?", s.sha256());
            return Sql.one(c, "select * from dataset_snapshots where id = ?", Snapshots::snapshot, found).orElseThrow();
        });
    }

    public DatasetSnapshot get(long id) {
        return db.withConnection(c -> Sql.one(c, "select * from dataset_snapshots where id = ?", Snapshots::snapshot, id))
                .orElseThrow(() -> RegistryException.notFound("snapshot_id", "no dataset snapshot with id " + id));
    }

    public Optional<DatasetSnapshot> bySha256(String sha256) {
        return db.withConnection(c -> Sql.one(c, "select * from dataset_snapshots where sha256 = ?",
                Snapshots::snapshot, sha256));
    }

    /** The newest snapshots first. */
    public List<DatasetSnapshot> list(int limit) {
        return db.withConnection(c -> Sql.list(c, "select * from dataset_snapshots order by id desc limit ?",
                Snapshots::snapshot, limit));
    }

    static DatasetSnapshot snapshot(ResultSet rs) throws SQLException {
        try {
            return new DatasetSnapshot(rs.getLong("id"), rs.getString("sha256"), rs.getInt("canonical_version"),
                    rs.getLong("row_count"), Sql.instant(rs, "start_time"), Sql.instant(rs, "end_time"),
                    rs.getLong("frauds"), rs.getLong("genuine"),
                    Json.mapper().readValue(rs.getString("schema"), DatasetSnapshot.Schema.class),
                    Json.mapper().readValue(rs.getString("origin"), SnapshotOrigin.class), Sql.instant(rs, "created_at"));
        } catch (JsonProcessingException e) {
            throw new SQLException("dataset snapshot " + rs.getLong("id") + " holds unreadable JSON: " + e.getMessage(), e);
        }
    }

    static Sql.Json json(Object o) {
        try {
            return new Sql.Json(Json.mapper().writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + o + " as JSON", e);
        }
    }
}
