package io.riskloop.registry.tracking;

import io.riskloop.registry.Names;
import io.riskloop.registry.Page;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.search.Clause;
import io.riskloop.registry.search.Filter;
import io.riskloop.registry.search.OrderBy;
import io.riskloop.registry.search.PageToken;
import io.riskloop.registry.search.SqlWhere;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;
import io.riskloop.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Experiments and runs: parameters (written once), metrics (every value, with step and time), tags, status, the
 * code version and dataset snapshot a run used, and its files in the artifact store.
 */
public final class Tracking {

    /** MLflow's limits on one log-batch call. */
    public static final int MAX_BATCH_METRICS = 1000;
    public static final int MAX_BATCH_PARAMS = 100;
    public static final int MAX_BATCH_TAGS = 100;

    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    /** Which runs or experiments a search sees, by lifecycle stage (MLflow's ViewType). */
    public enum View { ACTIVE_ONLY, DELETED_ONLY, ALL }

    private final Database db;
    private final ArtifactStore artifacts;
    private final Clock clock;

    public Tracking(Database db, ArtifactStore artifacts, Clock clock) {
        this.db = db;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---------------------------------------------------------------- experiments

    public Experiment createExperiment(String name, String artifactLocation, Map<String, String> tags) {
        Names.check().experimentName(name, "name").tags(tags, "tags").orThrow();
        try {
            return db.inTransaction(c -> {
                Instant now = now();
                long id = Sql.returningLong(c, "insert into experiments (name, artifact_location, created_at, updated_at)"
                        + " values (?, ?, ?, ?) returning id", name, artifactLocation, now, now);
                if (tags != null) {
                    for (var t : tags.entrySet()) {
                        Sql.update(c, "insert into experiment_tags (experiment_id, key, value) values (?, ?, ?)", id,
                                t.getKey(), t.getValue());
                    }
                }
                return experiment(c, id).orElseThrow();
            });
        } catch (StoreException e) {
            if (e.isUniqueViolation("experiments_name_key")) {
                throw RegistryException.alreadyExists("name", "an experiment named '" + name + "' already exists");
            }
            throw e;
        }
    }

    /** The experiment called {@code name}, created if missing (safe when two processes race to create it). */
    public Experiment experimentNamed(String name) {
        Optional<Experiment> e = experimentByName(name);
        if (e.isPresent()) {
            return e.get();
        }
        try {
            return createExperiment(name, null, Map.of());
        } catch (RegistryException ex) {
            if (ex.kind() == RegistryException.Kind.ALREADY_EXISTS) {
                return experimentByName(name).orElseThrow(() -> ex);
            }
            throw ex;
        }
    }

    public Experiment experiment(long id) {
        return db.withConnection(c -> experiment(c, id)).orElseThrow(() -> RegistryException.notFound("experiment_id",
                "no experiment with id " + id));
    }

    public Optional<Experiment> experimentByName(String name) {
        return db.withConnection(c -> Sql.one(c, "select id from experiments where name = ?", rs -> rs.getLong(1), name)
                .flatMap(id -> {
                    try {
                        return experiment(c, id);
                    } catch (SQLException e) {
                        throw new StoreException("cannot read experiment " + id, e);
                    }
                }));
    }

    public void setExperimentTag(long experimentId, String key, String value) {
        Names.check().key(key, "key").value(value, Names.MAX_TAG_VALUE, "value").orThrow();
        db.inTransaction(c -> {
            requireExperiment(c, experimentId);
            Sql.update(c, "insert into experiment_tags (experiment_id, key, value) values (?, ?, ?)"
                    + " on conflict (experiment_id, key) do update set value = excluded.value", experimentId, key, value);
            return Sql.update(c, "update experiments set updated_at = ? where id = ?", now(), experimentId);
        });
    }

    public Page<Experiment> searchExperiments(String filter, List<String> orderBy, Integer maxResults, String pageToken,
                                              View view) {
        int size = PageToken.size(maxResults, 1000, 50_000);
        int offset = PageToken.offset(pageToken);
        SqlWhere where = new SqlWhere();
        lifecycle(where, "e.lifecycle_stage", view);
        for (Clause cl : Filter.parse(filter)) {
            switch (cl.entity()) {
                case Clause.TAGS -> where.keyValue("experiment_tags", "experiment_id", "e.id", cl, false);
                case Clause.ATTRIBUTES -> {
                    switch (cl.key()) {
                        case "name" -> where.string("e.name", cl);
                        case "creation_time" -> where.number("(extract(epoch from e.created_at) * 1000)", cl);
                        case "last_update_time" -> where.number("(extract(epoch from e.updated_at) * 1000)", cl);
                        default -> throw SqlWhere.unknown(cl, "name, creation_time, last_update_time and tags.<key>");
                    }
                }
                default -> throw SqlWhere.unknown(cl, "name, creation_time, last_update_time and tags.<key>");
            }
        }
        StringBuilder order = new StringBuilder();
        for (OrderBy o : OrderBy.parse(orderBy)) {
            String column = switch (o.key()) {
                case "name" -> "e.name";
                case "creation_time" -> "e.created_at";
                case "last_update_time" -> "e.updated_at";
                case "experiment_id" -> "e.id";
                default -> throw RegistryException.invalid("order_by", "cannot order experiments by '" + o.key()
                        + "': use name, creation_time, last_update_time or experiment_id");
            };
            order.append(column).append(' ').append(o.direction()).append(", ");
        }
        order.append("e.id desc");
        List<Object> args = new ArrayList<>(where.args());
        args.add(size + 1);
        args.add(offset);
        return db.withConnection(c -> {
            List<Long> ids = Sql.list(c, "select e.id from experiments e" + where.where() + " order by " + order
                    + " limit ? offset ?", rs -> rs.getLong(1), args);
            List<Experiment> out = new ArrayList<>();
            for (long id : ids.subList(0, Math.min(size, ids.size()))) {
                out.add(experiment(c, id).orElseThrow());
            }
            return new Page<>(out, ids.size() > size ? PageToken.of(offset + size) : null);
        });
    }

    private static Optional<Experiment> experiment(Connection c, long id) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        for (String[] kv : Sql.list(c, "select key, value from experiment_tags where experiment_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, id)) {
            tags.put(kv[0], kv[1]);
        }
        return Sql.one(c, "select * from experiments where id = ?", rs -> new Experiment(rs.getLong("id"),
                rs.getString("name"), rs.getString("artifact_location"), rs.getString("lifecycle_stage"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), tags), id);
    }

    private static void requireExperiment(Connection c, long id) throws SQLException {
        if (Sql.one(c, "select 1 from experiments where id = ?", rs -> 1, id).isEmpty()) {
            throw RegistryException.notFound("experiment_id", "no experiment with id " + id);
        }
    }

    // ---------------------------------------------------------------- runs

    public Run createRun(NewRun r) {
        Names.Check check = Names.check().present(r.userId(), "user_id").tags(r.tags(), "tags");
        if (r.name() != null) {
            check.value(r.name(), Names.MAX_KEY, "run_name");
        }
        check.orThrow();
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = r.name() == null || r.name().isBlank() ? "run-" + id.substring(0, 8) : r.name();
        Instant start = r.startTime() != null ? r.startTime().truncatedTo(ChronoUnit.MILLIS) : now();
        return db.inTransaction(c -> {
            Optional<String> stage = Sql.one(c, "select lifecycle_stage from experiments where id = ?",
                    rs -> rs.getString(1), r.experimentId());
            if (stage.isEmpty()) {
                throw RegistryException.notFound("experiment_id", "no experiment with id " + r.experimentId());
            }
            if (!stage.get().equals(ACTIVE)) {
                throw RegistryException.invalid("experiment_id", "experiment " + r.experimentId()
                        + " is deleted: restore it before starting runs in it");
            }
            if (r.snapshotId() != null && Sql.one(c, "select 1 from dataset_snapshots where id = ?", rs -> 1,
                    r.snapshotId()).isEmpty()) {
                throw RegistryException.notFound("snapshot_id", "no dataset snapshot with id " + r.snapshotId());
            }
            if (r.parentRunId() != null) {
                requireRun(c, r.parentRunId(), "parent_run_id");
            }
            Sql.update(c, "insert into runs (id, experiment_id, name, status, user_id, start_time, code_version,"
                            + " snapshot_id, parent_run_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, r.experimentId(), name,
                    RunStatus.RUNNING, r.userId(), start, r.codeVersion(), r.snapshotId(), r.parentRunId());
            for (var t : r.tags().entrySet()) {
                Sql.update(c, "insert into run_tags (run_id, key, value) values (?, ?, ?)", id, t.getKey(), t.getValue());
            }
            return runs(c, List.of(id)).getFirst();
        });
    }

    public Run run(String id) {
        return db.withConnection(c -> {
            requireRun(c, id, "run_id");
            return runs(c, List.of(id)).getFirst();
        });
    }

    /** Sets status, end time (null: now when the status ends the run) and name (null: unchanged). */
    public Run updateRun(String id, RunStatus status, Instant endTime, String name) {
        if (name != null) {
            Names.check().value(name, Names.MAX_KEY, "run_name").orThrow();
        }
        return db.inTransaction(c -> {
            requireRun(c, id, "run_id");
            if (status != null) {
                Instant end = endTime != null ? endTime.truncatedTo(ChronoUnit.MILLIS) : status.ended() ? now() : null;
                Sql.update(c, "update runs set status = ?, end_time = ? where id = ?", status, end, id);
            }
            if (name != null && !name.isBlank()) {
                Sql.update(c, "update runs set name = ? where id = ?", name, id);
            }
            return runs(c, List.of(id)).getFirst();
        });
    }

    public void logMetric(String runId, Metric m) {
        logBatch(runId, List.of(m), Map.of(), Map.of());
    }

    public void logParam(String runId, String key, String value) {
        logBatch(runId, List.of(), Map.of(key, value), Map.of());
    }

    public void setTag(String runId, String key, String value) {
        logBatch(runId, List.of(), Map.of(), Map.of(key, value));
    }

    public void deleteTag(String runId, String key) {
        db.inTransaction(c -> {
            requireActiveRun(c, runId);
            if (Sql.update(c, "delete from run_tags where run_id = ? and key = ?", runId, key) == 0) {
                throw RegistryException.notFound("key", "run " + runId + " has no tag '" + key + "'");
            }
            return null;
        });
    }

    /**
     * Logs metrics, params and tags in one transaction: all or none. A param logged again with the same value is
     * accepted; with another value it is refused, as MLflow refuses it (params describe how a run was made).
     */
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        Names.Check check = Names.check()
                .require(metrics.size() <= MAX_BATCH_METRICS, "metrics", "at most " + MAX_BATCH_METRICS
                        + " metrics per batch, got " + metrics.size())
                .require(params.size() <= MAX_BATCH_PARAMS, "params", "at most " + MAX_BATCH_PARAMS
                        + " params per batch, got " + params.size())
                .require(tags.size() <= MAX_BATCH_TAGS, "tags", "at most " + MAX_BATCH_TAGS + " tags per batch, got "
                        + tags.size());
        for (int i = 0; i < metrics.size(); i++) {
            check.key(metrics.get(i).key(), "metrics[" + i + "].key");
        }
        params.forEach((k, v) -> check.key(k, "params.key").value(v, Names.MAX_PARAM_VALUE, "params[" + k + "].value"));
        check.tags(tags, "tags").orThrow();
        db.inTransaction(c -> {
            requireActiveRun(c, runId);
            for (Metric m : metrics) {
                Sql.update(c, "insert into run_metrics (run_id, key, value, timestamp_ms, step) values (?, ?, ?, ?, ?)",
                        runId, m.key(), m.value(), m.timestamp(), m.step());
            }
            for (var p : params.entrySet()) {
                Sql.update(c, "insert into run_params (run_id, key, value) values (?, ?, ?) on conflict do nothing",
                        runId, p.getKey(), p.getValue());
                String stored = Sql.one(c, "select value from run_params where run_id = ? and key = ?",
                        rs -> rs.getString(1), runId, p.getKey()).orElseThrow();
                if (!stored.equals(p.getValue())) {
                    throw RegistryException.invalid("params", "param '" + p.getKey() + "' of run " + runId
                            + " was logged as '" + stored + "'; it cannot change to '" + p.getValue() + "'. Params are written once:"
                            + " start a new run for other parameters.");
                }
            }
            for (var t : tags.entrySet()) {
                Sql.update(c, "insert into run_tags (run_id, key, value) values (?, ?, ?)"
                        + " on conflict (run_id, key) do update set value = excluded.value", runId, t.getKey(), t.getValue());
            }
            return null;
        });
    }

    /** Every value logged for {@code key}, in step then time order. */
    public List<Metric> metricHistory(String runId, String key) {
        return db.withConnection(c -> {
            requireRun(c, runId, "run_id");
            return Sql.list(c, "select key, value, timestamp_ms, step from run_metrics where run_id = ? and key = ?"
                    + " order by step, timestamp_ms, id", Tracking::metric, runId, key);
        });
    }

    /** The runs that are part of {@code parentRunId}, oldest first. */
    public List<Run> children(String parentRunId) {
        return db.withConnection(c -> runs(c, Sql.list(c, "select id from runs where parent_run_id = ?"
                + " order by start_time, id", rs -> rs.getString(1), parentRunId)));
    }

    /**
     * Runs of the given experiments that match an MLflow filter, by default newest first. Searchable: metrics.KEY
     * and params.KEY / tags.KEY, and the attributes run_id, run_name, status, user_id, start_time, end_time.
     */
    public Page<Run> searchRuns(Collection<Long> experimentIds, String filter, List<String> orderBy,
                                Integer maxResults, String pageToken, View view) {
        int size = PageToken.size(maxResults, 1000, 50_000);
        int offset = PageToken.offset(pageToken);
        SqlWhere where = new SqlWhere();
        if (experimentIds != null && !experimentIds.isEmpty()) {
            where.and("r.experiment_id in (" + "?, ".repeat(experimentIds.size() - 1) + "?)",
                    experimentIds.toArray());
        }
        lifecycle(where, "r.lifecycle_stage", view);
        String known = "metrics.<key>, params.<key>, tags.<key>, run_id, run_name, status, user_id, start_time, end_time";
        for (Clause cl : Filter.parse(filter)) {
            switch (cl.entity()) {
                case Clause.METRICS -> where.keyValue("run_latest_metrics", "run_id", "r.id", cl, true);
                case Clause.PARAMS -> where.keyValue("run_params", "run_id", "r.id", cl, false);
                case Clause.TAGS -> where.keyValue("run_tags", "run_id", "r.id", cl, false);
                default -> {
                    switch (cl.key()) {
                        case "run_id" -> where.string("r.id", cl);
                        case "run_name" -> where.string("r.name", cl);
                        case "status" -> where.string("r.status", cl);
                        case "user_id" -> where.string("r.user_id", cl);
                        case "start_time" -> where.number("(extract(epoch from r.start_time) * 1000)", cl);
                        case "end_time" -> where.number("(extract(epoch from r.end_time) * 1000)", cl);
                        default -> throw SqlWhere.unknown(cl, known);
                    }
                }
            }
        }
        StringBuilder order = new StringBuilder();
        List<Object> orderArgs = new ArrayList<>();
        for (OrderBy o : OrderBy.parse(orderBy)) {
            switch (o.entity()) {
                case Clause.METRICS -> {
                    order.append("(select value from run_latest_metrics m where m.run_id = r.id and m.key = ?) ");
                    orderArgs.add(o.key());
                }
                case Clause.PARAMS -> {
                    order.append("(select value from run_params p where p.run_id = r.id and p.key = ?) ");
                    orderArgs.add(o.key());
                }
                case Clause.TAGS -> {
                    order.append("(select value from run_tags t where t.run_id = r.id and t.key = ?) ");
                    orderArgs.add(o.key());
                }
                default -> order.append(switch (o.key()) {
                    case "start_time" -> "r.start_time ";
                    case "end_time" -> "r.end_time ";
                    case "run_name" -> "r.name ";
                    case "status" -> "r.status ";
                    case "run_id" -> "r.id ";
                    default -> throw RegistryException.invalid("order_by", "cannot order runs by '" + o.key()
                            + "': use metrics.<key>, params.<key>, tags.<key>, start_time, end_time, run_name, status");
                });
            }
            order.append(o.direction()).append(" nulls last, ");
        }
        order.append("r.start_time desc, r.id");
        List<Object> args = new ArrayList<>(where.args());
        args.addAll(orderArgs);
        args.add(size + 1);
        args.add(offset);
        return db.withConnection(c -> {
            List<String> ids = Sql.list(c, "select r.id from runs r" + where.where() + " order by " + order
                    + " limit ? offset ?", rs -> rs.getString(1), args);
            List<Run> page = runs(c, ids.subList(0, Math.min(size, ids.size())));
            return new Page<>(page, ids.size() > size ? PageToken.of(offset + size) : null);
        });
    }

    private static void lifecycle(SqlWhere where, String column, View view) {
        switch (view == null ? View.ACTIVE_ONLY : view) {
            case ACTIVE_ONLY -> where.and(column + " = ?", ACTIVE);
            case DELETED_ONLY -> where.and(column + " = ?", DELETED);
            case ALL -> {
            }
        }
    }

    /** Loads runs with their data, in the order of {@code ids}. */
    private static List<Run> runs(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        java.sql.Array idArray = c.createArrayOf("text", ids.toArray());
        Map<String, RunInfo> infos = new HashMap<>();
        for (RunInfo i : Sql.list(c, "select * from runs where id = any(?)", Tracking::info, idArray)) {
            infos.put(i.id(), i);
        }
        Map<String, Map<String, String>> params = keyValues(c, "run_params", idArray);
        Map<String, Map<String, String>> tags = keyValues(c, "run_tags", idArray);
        Map<String, List<Metric>> metrics = new HashMap<>();
        for (Object[] row : Sql.list(c, "select run_id, key, value, timestamp_ms, step from run_latest_metrics"
                + " where run_id = any(?) order by key", rs -> new Object[] {rs.getString(1), metric(rs)}, idArray)) {
            metrics.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((Metric) row[1]);
        }
        List<Run> out = new ArrayList<>();
        for (String id : ids) {
            RunInfo info = infos.get(id);
            if (info != null) {
                out.add(new Run(info, params.getOrDefault(id, Map.of()), metrics.getOrDefault(id, List.of()),
                        tags.getOrDefault(id, Map.of())));
            }
        }
        return out;
    }

    private static Map<String, Map<String, String>> keyValues(Connection c, String table, java.sql.Array ids)
            throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String[] row : Sql.list(c, "select run_id, key, value from " + table + " where run_id = any(?)",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, ids)) {
            out.computeIfAbsent(row[0], k -> new TreeMap<>()).put(row[1], row[2]);
        }
        return out;
    }

    private static RunInfo info(ResultSet rs) throws SQLException {
        return new RunInfo(rs.getString("id"), rs.getLong("experiment_id"), rs.getString("name"),
                RunStatus.valueOf(rs.getString("status")), rs.getString("user_id"), Sql.instant(rs, "start_time"),
                Sql.instant(rs, "end_time"), rs.getString("code_version"), Sql.nullableLong(rs, "snapshot_id"),
                rs.getString("parent_run_id"), rs.getString("lifecycle_stage"));
    }

    private static Metric metric(ResultSet rs) throws SQLException {
        return new Metric(rs.getString("key"), rs.getDouble("value"), rs.getLong("timestamp_ms"), rs.getLong("step"));
    }

    private static void requireRun(Connection c, String id, String field) throws SQLException {
        if (id == null || Sql.one(c, "select 1 from runs where id = ?", rs -> 1, id).isEmpty()) {
            throw RegistryException.notFound(field, "no run with id '" + id + "'");
        }
    }

    private static void requireActiveRun(Connection c, String id) throws SQLException {
        Optional<String> stage = id == null ? Optional.empty()
                : Sql.one(c, "select lifecycle_stage from runs where id = ? for update", rs -> rs.getString(1), id);
        if (stage.isEmpty()) {
            throw RegistryException.notFound("run_id", "no run with id '" + id + "'");
        }
        if (!stage.get().equals(ACTIVE)) {
            throw RegistryException.invalid("run_id", "run " + id + " is deleted; restore it before logging to it");
        }
    }

    // ---------------------------------------------------------------- artifacts

    /** Stores {@code file} as the run's {@code path} (replacing an earlier file at that path). */
    public RunArtifact logArtifact(String runId, String path, Path file) {
        Names.check().key(path, "path").orThrow();
        ArtifactStore.Stored s = artifacts.put(file);
        db.inTransaction(c -> {
            requireActiveRun(c, runId);
            return Sql.update(c, "insert into run_artifacts (run_id, path, sha256, size_bytes) values (?, ?, ?, ?)"
                    + " on conflict (run_id, path) do update set sha256 = excluded.sha256,"
                    + " size_bytes = excluded.size_bytes", runId, path, s.sha256(), s.size());
        });
        return new RunArtifact(path, s.sha256(), s.size());
    }

    public List<RunArtifact> artifacts(String runId) {
        return db.withConnection(c -> {
            requireRun(c, runId, "run_id");
            return Sql.list(c, "select path, sha256, size_bytes from run_artifacts where run_id = ? order by path",
                    rs -> new RunArtifact(rs.getString(1), rs.getString(2), rs.getLong(3)), runId);
        });
    }

    public RunArtifact artifact(String runId, String path) {
        return artifacts(runId).stream().filter(a -> a.path().equals(path)).findFirst()
                .orElseThrow(() -> RegistryException.notFound("path", "run " + runId + " has no artifact '" + path + "'"));
    }

    public ArtifactStore artifactStore() {
        return artifacts;
    }

    /** Params, metrics (latest values) and tags of a run as one ordered map, for display. */
    public static Map<String, String> describe(Run r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.params().forEach((k, v) -> m.put("param " + k, v));
        r.metrics().forEach(x -> m.put("metric " + x.key(), Double.toString(x.value())));
        r.tags().forEach((k, v) -> m.put("tag " + k, v));
        return m;
    }
}
