package io.riskloop.store.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The monitoring loop's records in PostgreSQL: its events, accuracy windows and drift reports. */
public final class MonitorStore {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Database db;

    public MonitorStore(Database db) {
        this.db = db;
    }

    /** A drift report as stored: the report itself is riskloop's JSON form (docs/drift.md). */
    public record StoredDriftReport(long id, String modelVersion, Instant windowStart, Instant windowEnd,
                                    boolean datasetDrift, double driftShare, String reportJson, Instant createdAt) {
    }

    /**
     * Runs {@code work} if no other riskloop process is running it (a PostgreSQL advisory lock held for the duration,
     * so that of several API instances only one runs the monitoring loop); empty when another one is.
     */
    public <T> java.util.Optional<T> exclusively(java.util.function.Supplier<T> work) {
        return db.inTransaction(c -> {
            boolean mine = Sql.one(c, "select pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOOP_LOCK)
                    .orElse(false);
            return mine ? java.util.Optional.ofNullable(work.get()) : java.util.Optional.<T>empty();
        });
    }

    /** The advisory lock key of the monitoring loop ("riskloop" in ASCII, as a number). */
    private static final long LOOP_LOCK = 0x7269736b6c6f6f70L;

    public LoopEvent record(LoopEvent e) {
        long id = db.inTransaction(c -> Sql.returningLong(c, "insert into loop_events (at, kind, model_name, version,"
                        + " summary, details) values (?, ?, ?, ?, ?, ?) returning id", e.at(), e.kind(), e.modelName(),
                e.version(), e.summary(), new Sql.Json(json(e.details()))));
        return new LoopEvent(id, e.at(), e.kind(), e.modelName(), e.version(), e.summary(), e.details());
    }

    /** The latest events first. */
    public List<LoopEvent> events(int limit) {
        return db.withConnection(c -> Sql.list(c, "select * from loop_events order by at desc, id desc limit ?",
                MonitorStore::event, limit));
    }

    /** Events at or after {@code from}, oldest first. */
    public List<LoopEvent> eventsSince(Instant from) {
        return db.withConnection(c -> Sql.list(c, "select * from loop_events where at >= ? order by at, id",
                MonitorStore::event, from));
    }

    public void record(AccuracyWindow w) {
        db.inTransaction(c -> Sql.update(c, "insert into accuracy_windows (model_version, alias, window_start,"
                        + " window_end, labels_known_at, rows, frauds, average_precision, card_precision_at_100,"
                        + " precision_at_review, recall_at_review) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                w.modelVersion(), w.alias(), w.windowStart(), w.windowEnd(), w.labelsKnownAt(), w.rows(), w.frauds(),
                w.averagePrecision(), w.cardPrecisionAt100(), w.precisionAtReview(), w.recallAtReview()));
    }

    /**
     * The end of the latest accuracy window, or {@code otherwise} when there is none: where "the last 30 days" end
     * for a loop whose clock is not the wall clock (a replay, a scenario).
     */
    public Instant latestAccuracy(Instant otherwise) {
        return db.withConnection(c -> Sql.one(c, "select max(window_end) from accuracy_windows",
                rs -> Sql.instant(rs, "max"))).orElse(null) instanceof Instant t ? t : otherwise;
    }

    /** Accuracy windows ending after {@code from}, oldest first. */
    public List<AccuracyWindow> accuracy(Instant from) {
        return db.withConnection(c -> Sql.list(c, "select * from accuracy_windows where window_end > ?"
                + " order by window_end, model_version", MonitorStore::accuracy, from));
    }

    public long record(String modelVersion, Instant windowStart, Instant windowEnd, boolean datasetDrift,
                       double driftShare, String reportJson) {
        return db.inTransaction(c -> Sql.returningLong(c, "insert into drift_reports (model_version, window_start,"
                        + " window_end, dataset_drift, drift_share, report) values (?, ?, ?, ?, ?, ?) returning id",
                modelVersion, windowStart, windowEnd, datasetDrift, driftShare, new Sql.Json(reportJson)));
    }

    /** The latest drift reports first. */
    public List<StoredDriftReport> driftReports(int limit) {
        return db.withConnection(c -> Sql.list(c, "select * from drift_reports order by window_end desc, id desc"
                + " limit ?", MonitorStore::drift, limit));
    }

    public java.util.Optional<StoredDriftReport> driftReport(long id) {
        return db.withConnection(c -> Sql.one(c, "select * from drift_reports where id = ?", MonitorStore::drift, id));
    }

    private static LoopEvent event(ResultSet rs) throws SQLException {
        Map<String, Object> details;
        try {
            details = JSON.readValue(rs.getString("details"), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("loop event " + rs.getLong("id") + " has unreadable details", e);
        }
        return new LoopEvent(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("kind"), rs.getString("model_name"),
                rs.getString("version"), rs.getString("summary"), details);
    }

    private static AccuracyWindow accuracy(ResultSet rs) throws SQLException {
        return new AccuracyWindow(rs.getString("model_version"), rs.getString("alias"), Sql.instant(rs, "window_start"),
                Sql.instant(rs, "window_end"), Sql.instant(rs, "labels_known_at"), rs.getLong("rows"),
                rs.getLong("frauds"), nullableDouble(rs, "average_precision"),
                nullableDouble(rs, "card_precision_at_100"), nullableDouble(rs, "precision_at_review"),
                nullableDouble(rs, "recall_at_review"));
    }

    private static StoredDriftReport drift(ResultSet rs) throws SQLException {
        return new StoredDriftReport(rs.getLong("id"), rs.getString("model_version"), Sql.instant(rs, "window_start"),
                Sql.instant(rs, "window_end"), rs.getBoolean("dataset_drift"), rs.getDouble("drift_share"),
                rs.getString("report"), Sql.instant(rs, "created_at"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + o + " as JSON", e);
        }
    }
}
