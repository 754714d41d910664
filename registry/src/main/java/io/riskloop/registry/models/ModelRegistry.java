package io.riskloop.registry.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.riskloop.model.Json;
import io.riskloop.model.ModelManifest;
import io.riskloop.registry.Names;
import io.riskloop.registry.Page;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.search.Clause;
import io.riskloop.registry.search.Filter;
import io.riskloop.registry.search.OrderBy;
import io.riskloop.registry.search.PageToken;
import io.riskloop.registry.search.SqlWhere;
import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.snapshot.Snapshots;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.Tracking;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;
import io.riskloop.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Registered models, their versions, and aliases (champion, challenger, or any name) with every move recorded.
 *
 * <p>Every change to a model's versions or aliases first locks the model's row ({@code SELECT ... FOR UPDATE}),
 * so changes to one model happen one after the other: version numbers have no gaps or duplicates, and each alias
 * move records the version it really replaced. The schema backs this up on its own: one row per (model, alias)
 * means an alias cannot point at two versions, and the unique move sequence per alias means two moves can never
 * both claim the same predecessor.
 */
public final class ModelRegistry {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";

    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };

    private final Database db;
    private final Tracking tracking;
    private final Snapshots snapshots;
    private final Clock clock;

    public ModelRegistry(Database db, Tracking tracking, Snapshots snapshots, Clock clock) {
        this.db = db;
        this.tracking = tracking;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---------------------------------------------------------------- registered models

    public RegisteredModel createModel(String name, String description, Map<String, String> tags, String actor) {
        Names.check().modelName(name, "name").present(actor, "actor").tags(tags, "tags")
                .value(description == null ? "" : description, Names.MAX_DESCRIPTION, "description").orThrow();
        try {
            return db.inTransaction(c -> {
                Instant now = now();
                long id = Sql.returningLong(c, "insert into registered_models (name, description, created_at, updated_at,"
                        + " created_by) values (?, ?, ?, ?, ?) returning id", name, description == null ? "" : description,
                        now, now, actor);
                if (tags != null) {
                    for (var t : tags.entrySet()) {
                        Sql.update(c, "insert into registered_model_tags (model_id, key, value) values (?, ?, ?)", id,
                                t.getKey(), t.getValue());
                    }
                }
                return model(c, id);
            });
        } catch (StoreException e) {
            if (e.isUniqueViolation("registered_models_name_key")) {
                throw RegistryException.alreadyExists("name", "a registered model named '" + name + "' already exists");
            }
            throw e;
        }
    }

    /** The model called {@code name}, created if missing (safe when two processes race to create it). */
    public RegisteredModel modelNamed(String name, String actor) {
        Optional<RegisteredModel> m = find(name);
        if (m.isPresent()) {
            return m.get();
        }
        try {
            return createModel(name, "", Map.of(), actor);
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.ALREADY_EXISTS) {
                return model(name);
            }
            throw e;
        }
    }

    public RegisteredModel model(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("name", "no registered model named '" + name + "'"));
    }

    public Optional<RegisteredModel> find(String name) {
        return db.withConnection(c -> {
            Optional<Long> id = Sql.one(c, "select id from registered_models where name = ?", rs -> rs.getLong(1), name);
            return id.isEmpty() ? Optional.empty() : Optional.of(model(c, id.get()));
        });
    }

    public RegisteredModel updateModel(String name, String description) {
        Names.check().value(description == null ? "" : description, Names.MAX_DESCRIPTION, "description").orThrow();
        return db.inTransaction(c -> {
            long id = lockModel(c, name);
            Sql.update(c, "update registered_models set description = ?, updated_at = ? where id = ?",
                    description == null ? "" : description, now(), id);
            return model(c, id);
        });
    }

    public void setModelTag(String name, String key, String value) {
        Names.check().key(key, "key").value(value, Names.MAX_TAG_VALUE, "value").orThrow();
        db.inTransaction(c -> {
            long id = lockModel(c, name);
            Sql.update(c, "insert into registered_model_tags (model_id, key, value) values (?, ?, ?)"
                    + " on conflict (model_id, key) do update set value = excluded.value", id, key, value);
            return Sql.update(c, "update registered_models set updated_at = ? where id = ?", now(), id);
        });
    }

    /** Models matching an MLflow filter on name (=, !=, LIKE, ILIKE) and tags.KEY, by name by default. */
    public Page<RegisteredModel> searchModels(String filter, List<String> orderBy, Integer maxResults, String pageToken) {
        int size = PageToken.size(maxResults, 100, 1000);
        int offset = PageToken.offset(pageToken);
        SqlWhere where = new SqlWhere();
        for (Clause cl : Filter.parse(filter)) {
            if (cl.entity().equals(Clause.TAGS)) {
                where.keyValue("registered_model_tags", "model_id", "m.id", cl, false);
            } else if (cl.key().equals("name")) {
                where.string("m.name", cl);
            } else {
                throw SqlWhere.unknown(cl, "name and tags.<key>");
            }
        }
        StringBuilder order = new StringBuilder();
        for (OrderBy o : OrderBy.parse(orderBy)) {
            order.append(switch (o.key()) {
                case "name" -> "m.name";
                case "creation_timestamp", "timestamp" -> "m.created_at";
                case "last_updated_timestamp" -> "m.updated_at";
                default -> throw RegistryException.invalid("order_by", "cannot order models by '" + o.key()
                        + "': use name, creation_timestamp or last_updated_timestamp");
            }).append(' ').append(o.direction()).append(", ");
        }
        order.append("m.name");
        List<Object> args = new ArrayList<>(where.args());
        args.add(size + 1);
        args.add(offset);
        return db.withConnection(c -> {
            List<Long> ids = Sql.list(c, "select m.id from registered_models m" + where.where() + " order by " + order
                    + " limit ? offset ?", rs -> rs.getLong(1), args);
            List<RegisteredModel> out = new ArrayList<>();
            for (long id : ids.subList(0, Math.min(size, ids.size()))) {
                out.add(model(c, id));
            }
            return new Page<>(out, ids.size() > size ? PageToken.of(offset + size) : null);
        });
    }

    private static RegisteredModel model(Connection c, long id) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        for (String[] kv : Sql.list(c, "select key, value from registered_model_tags where model_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, id)) {
            tags.put(kv[0], kv[1]);
        }
        Map<String, Integer> aliases = new TreeMap<>();
        for (Object[] a : Sql.list(c, "select a.alias, v.version from model_aliases a join model_versions v"
                + " on v.id = a.model_version_id where a.model_id = ?", rs -> new Object[] {rs.getString(1), rs.getInt(2)}, id)) {
            aliases.put((String) a[0], (Integer) a[1]);
        }
        Integer latest = Sql.one(c, "select max(version) from model_versions where model_id = ?",
                rs -> Sql.nullableInt(rs, "max"), id).orElse(null);
        return Sql.one(c, "select * from registered_models where id = ?", rs -> new RegisteredModel(rs.getLong("id"),
                rs.getString("name"), rs.getString("description"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"), rs.getString("created_by"), tags, aliases, latest), id).orElseThrow();
    }

    /** Locks the model's row for this transaction and returns its id: changes to one model go one at a time. */
    private static long lockModel(Connection c, String name) throws SQLException {
        return Sql.one(c, "select id from registered_models where name = ? for update", rs -> rs.getLong(1), name)
                .orElseThrow(() -> RegistryException.notFound("name", "no registered model named '" + name + "'"));
    }

    // ---------------------------------------------------------------- versions

    /**
     * Registers the next version of an existing model. A version made by a run takes the run's dataset snapshot
     * and its latest metrics unless given others.
     */
    public ModelVersion createVersion(NewVersion v) {
        Names.check().modelName(v.modelName(), "name").present(v.source(), "source").present(v.actor(), "actor")
                .tags(v.tags(), "tags").value(v.description(), Names.MAX_DESCRIPTION, "description").orThrow();
        Run run = v.runId() == null || v.runId().isEmpty() ? null : tracking.run(v.runId());
        Long snapshot = v.snapshotId() != null ? v.snapshotId() : run != null ? run.info().snapshotId() : null;
        if (v.snapshotId() != null) {
            snapshots.get(v.snapshotId());
        }
        Map<String, Double> metrics = new TreeMap<>(v.metrics());
        if (metrics.isEmpty() && run != null) {
            for (Metric m : run.metrics()) {
                metrics.put(m.key(), m.value());
            }
        }
        ModelManifest manifest = v.manifest();
        return db.inTransaction(c -> {
            long modelId = lockModel(c, v.modelName());
            int next = Sql.one(c, "select coalesce(max(version), 0) + 1 from model_versions where model_id = ?",
                    rs -> rs.getInt(1), modelId).orElseThrow();
            Instant now = now();
            long id = Sql.returningLong(c, "insert into model_versions (model_id, version, source, run_id, snapshot_id,"
                            + " feature_schema_hash, model_sha256, manifest, metrics, description, created_at, updated_at,"
                            + " created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
                    modelId, next, v.source(), run == null ? null : run.info().id(), snapshot,
                    manifest == null ? null : manifest.featureSchemaHash(), manifest == null ? null : manifest.modelSha256(),
                    manifest == null ? null : json(manifest), json(metrics), v.description(), now, now, v.actor());
            for (var t : v.tags().entrySet()) {
                Sql.update(c, "insert into model_version_tags (model_version_id, key, value) values (?, ?, ?)", id,
                        t.getKey(), t.getValue());
            }
            Sql.update(c, "update registered_models set updated_at = ? where id = ?", now, modelId);
            return version(c, id);
        });
    }

    public ModelVersion version(String name, int version) {
        return db.withConnection(c -> version(c, versionId(c, name, version)));
    }

    /** A version by its row id, the way a decision references it. */
    public ModelVersion versionById(long id) {
        return db.withConnection(c -> {
            if (Sql.one(c, "select 1 from model_versions where id = ?", rs -> 1, id).isEmpty()) {
                throw RegistryException.notFound("model_version_id", "no model version with id " + id);
            }
            return version(c, id);
        });
    }

    /** Every version of a model, newest first. */
    public List<ModelVersion> versions(String name) {
        return db.withConnection(c -> {
            long modelId = Sql.one(c, "select id from registered_models where name = ?", rs -> rs.getLong(1), name)
                    .orElseThrow(() -> RegistryException.notFound("name", "no registered model named '" + name + "'"));
            List<ModelVersion> out = new ArrayList<>();
            for (long id : Sql.list(c, "select id from model_versions where model_id = ? order by version desc",
                    rs -> rs.getLong(1), modelId)) {
                out.add(version(c, id));
            }
            return out;
        });
    }

    public ModelVersion updateVersion(String name, int version, String description) {
        Names.check().value(description == null ? "" : description, Names.MAX_DESCRIPTION, "description").orThrow();
        return db.inTransaction(c -> {
            lockModel(c, name);
            long id = versionId(c, name, version);
            Sql.update(c, "update model_versions set description = ?, updated_at = ? where id = ?",
                    description == null ? "" : description, now(), id);
            return version(c, id);
        });
    }

    public void setVersionTag(String name, int version, String key, String value) {
        Names.check().key(key, "key").value(value, Names.MAX_TAG_VALUE, "value").orThrow();
        db.inTransaction(c -> {
            lockModel(c, name);
            long id = versionId(c, name, version);
            Sql.update(c, "insert into model_version_tags (model_version_id, key, value) values (?, ?, ?)"
                    + " on conflict (model_version_id, key) do update set value = excluded.value", id, key, value);
            return Sql.update(c, "update model_versions set updated_at = ? where id = ?", now(), id);
        });
    }

    /** Versions matching an MLflow filter on name, run_id, source_path, version_number and tags.KEY. */
    public Page<ModelVersion> searchVersions(String filter, List<String> orderBy, Integer maxResults, String pageToken) {
        int size = PageToken.size(maxResults, 10_000, 200_000);
        int offset = PageToken.offset(pageToken);
        SqlWhere where = new SqlWhere();
        for (Clause cl : Filter.parse(filter)) {
            if (cl.entity().equals(Clause.TAGS)) {
                where.keyValue("model_version_tags", "model_version_id", "v.id", cl, false);
                continue;
            }
            switch (cl.key()) {
                case "name" -> where.string("m.name", cl);
                case "run_id" -> where.string("v.run_id", cl);
                case "source_path", "source" -> where.string("v.source", cl);
                case "version_number" -> where.number("v.version", cl);
                default -> throw SqlWhere.unknown(cl, "name, run_id, source_path, version_number and tags.<key>");
            }
        }
        StringBuilder order = new StringBuilder();
        for (OrderBy o : OrderBy.parse(orderBy)) {
            order.append(switch (o.key()) {
                case "name" -> "m.name";
                case "version_number" -> "v.version";
                case "creation_timestamp" -> "v.created_at";
                case "last_updated_timestamp" -> "v.updated_at";
                default -> throw RegistryException.invalid("order_by", "cannot order model versions by '" + o.key()
                        + "': use name, version_number, creation_timestamp or last_updated_timestamp");
            }).append(' ').append(o.direction()).append(", ");
        }
        order.append("m.name, v.version desc");
        List<Object> args = new ArrayList<>(where.args());
        args.add(size + 1);
        args.add(offset);
        return db.withConnection(c -> {
            List<Long> ids = Sql.list(c, "select v.id from model_versions v join registered_models m on m.id = v.model_id"
                    + where.where() + " order by " + order + " limit ? offset ?", rs -> rs.getLong(1), args);
            List<ModelVersion> out = new ArrayList<>();
            for (long id : ids.subList(0, Math.min(size, ids.size()))) {
                out.add(version(c, id));
            }
            return new Page<>(out, ids.size() > size ? PageToken.of(offset + size) : null);
        });
    }

    private static long versionId(Connection c, String name, int version) throws SQLException {
        return Sql.one(c, "select v.id from model_versions v join registered_models m on m.id = v.model_id"
                + " where m.name = ? and v.version = ?", rs -> rs.getLong(1), name, version)
                .orElseThrow(() -> {
                    try {
                        boolean modelExists = Sql.one(c, "select 1 from registered_models where name = ?", rs -> 1, name)
                                .isPresent();
                        return modelExists
                                ? RegistryException.notFound("version", "registered model '" + name + "' has no version "
                                + version)
                                : RegistryException.notFound("name", "no registered model named '" + name + "'");
                    } catch (SQLException e) {
                        return new StoreException("cannot look up model " + name, e);
                    }
                });
    }

    private static ModelVersion version(Connection c, long id) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        for (String[] kv : Sql.list(c, "select key, value from model_version_tags where model_version_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, id)) {
            tags.put(kv[0], kv[1]);
        }
        List<String> aliases = Sql.list(c, "select alias from model_aliases where model_version_id = ? order by alias",
                rs -> rs.getString(1), id);
        return Sql.one(c, "select v.*, m.name as model_name from model_versions v join registered_models m"
                + " on m.id = v.model_id where v.id = ?", rs -> new ModelVersion(rs.getLong("id"),
                rs.getString("model_name"), rs.getInt("version"), rs.getString("source"), rs.getString("run_id"),
                Sql.nullableLong(rs, "snapshot_id"), rs.getString("feature_schema_hash"), rs.getString("model_sha256"),
                manifest(rs), metrics(rs), rs.getString("description"), rs.getString("status"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), rs.getString("created_by"), tags,
                aliases), id).orElseThrow();
    }

    // ---------------------------------------------------------------- aliases

    /**
     * Points {@code alias} at a version and records the move with who and why. Setting an alias to the version it
     * already points at changes nothing and records nothing (empty result).
     */
    public Optional<AliasMove> setAlias(String name, String alias, int version, String actor, String reason) {
        return setAlias(name, alias, version, actor, reason, MoveRecorder.NONE);
    }

    /** {@link #setAlias(String, String, int, String, String)}, with {@code recorder} writing the move's record too. */
    public Optional<AliasMove> setAlias(String name, String alias, int version, String actor, String reason,
                                        MoveRecorder recorder) {
        Names.check().alias(alias, "alias").present(actor, "actor").orThrow();
        return db.inTransaction(c -> {
            long modelId = lockModel(c, name);
            long target = versionId(c, name, version);
            Long current = currentAlias(c, modelId, alias);
            if (current != null && current == target) {
                return Optional.empty();
            }
            return Optional.of(recorded(c, recorder, move(c, modelId, alias, AliasMove.Kind.SET, current, target,
                    actor, reason)));
        });
    }

    /** Removes an alias, recording the move. */
    public AliasMove deleteAlias(String name, String alias, String actor, String reason) {
        return deleteAlias(name, alias, actor, reason, MoveRecorder.NONE);
    }

    /** {@link #deleteAlias(String, String, String, String)}, with {@code recorder} writing the move's record too. */
    public AliasMove deleteAlias(String name, String alias, String actor, String reason, MoveRecorder recorder) {
        Names.check().alias(alias, "alias").present(actor, "actor").orThrow();
        return db.inTransaction(c -> {
            long modelId = lockModel(c, name);
            Long current = currentAlias(c, modelId, alias);
            if (current == null) {
                throw RegistryException.notFound("alias", "registered model '" + name + "' has no alias '" + alias + "'");
            }
            return recorded(c, recorder, move(c, modelId, alias, AliasMove.Kind.DELETE, current, null, actor, reason));
        });
    }

    /**
     * Points {@code alias} back at the version it pointed at before its current one, and records that as a move
     * of its own. Rollbacks undo in turn: promoting v1, v2, v3 then rolling back twice leaves v1. Removing an
     * alias starts its history afresh.
     */
    public AliasMove rollback(String name, String alias, String actor, String reason) {
        return rollback(name, alias, actor, reason, MoveRecorder.NONE);
    }

    /** {@link #rollback(String, String, String, String)}, with {@code recorder} writing the move's record too. */
    public AliasMove rollback(String name, String alias, String actor, String reason, MoveRecorder recorder) {
        Names.check().alias(alias, "alias").present(actor, "actor").orThrow();
        return db.inTransaction(c -> {
            long modelId = lockModel(c, name);
            Long current = currentAlias(c, modelId, alias);
            if (current == null) {
                throw RegistryException.invalid("alias", "registered model '" + name + "' has no " + alias
                        + ": there is nothing to roll back");
            }
            Deque<Long> stack = new ArrayDeque<>();
            for (Object[] m : Sql.list(c, "select kind, to_version_id from alias_moves where model_id = ? and alias = ?"
                    + " order by seq", rs -> new Object[] {rs.getString(1), Sql.nullableLong(rs, "to_version_id")},
                    modelId, alias)) {
                switch ((String) m[0]) {
                    case "set" -> stack.push((Long) m[1]);
                    case "rollback" -> stack.pop();
                    case "delete" -> stack.clear();
                    default -> throw new SQLException("unknown alias move kind " + m[0]);
                }
            }
            if (stack.size() < 2 || !current.equals(stack.peek())) {
                throw RegistryException.invalid("alias", "the " + alias + " of '" + name + "' has no earlier version"
                        + " to roll back to: promote the version you want instead");
            }
            stack.pop();
            return recorded(c, recorder, move(c, modelId, alias, AliasMove.Kind.ROLLBACK, current, stack.peek(),
                    actor, reason));
        });
    }

    public ModelVersion versionByAlias(String name, String alias) {
        return db.withConnection(c -> {
            long modelId = Sql.one(c, "select id from registered_models where name = ?", rs -> rs.getLong(1), name)
                    .orElseThrow(() -> RegistryException.notFound("name", "no registered model named '" + name + "'"));
            Long id = currentAlias(c, modelId, alias);
            if (id == null) {
                throw RegistryException.notFound("alias", "registered model '" + name + "' has no alias '" + alias + "'");
            }
            return version(c, id);
        });
    }

    /** The alias moves of a model (of one alias when {@code alias} is not null), newest first. */
    public List<AliasMove> history(String name, String alias) {
        model(name);
        return db.withConnection(c -> Sql.list(c, "select am.*, m.name as model_name, fv.version as from_version,"
                        + " tv.version as to_version from alias_moves am join registered_models m on m.id = am.model_id"
                        + " left join model_versions fv on fv.id = am.from_version_id"
                        + " left join model_versions tv on tv.id = am.to_version_id"
                        + " where m.name = ?" + (alias != null ? " and am.alias = ?" : "") + " order by am.id desc",
                rs -> new AliasMove(rs.getLong("id"), rs.getString("model_name"), rs.getString("alias"), rs.getInt("seq"),
                        AliasMove.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        Sql.nullableInt(rs, "from_version"), Sql.nullableInt(rs, "to_version"), rs.getString("actor"),
                        rs.getString("reason"), Sql.instant(rs, "moved_at")),
                alias != null ? new Object[] {name, alias} : new Object[] {name}));
    }

    private static Long currentAlias(Connection c, long modelId, String alias) throws SQLException {
        return Sql.one(c, "select model_version_id from model_aliases where model_id = ? and alias = ?",
                rs -> rs.getLong(1), modelId, alias).orElse(null);
    }

    /**
     * Writes a record of an alias move (an audit log entry) on the connection that makes the move, so that the move
     * and its record are committed together or not at all. A failure rolls the move back.
     */
    @FunctionalInterface
    public interface MoveRecorder {
        /** Records nothing: the move's own row in alias_moves is its only record. */
        MoveRecorder NONE = (c, move) -> {
        };

        void record(Connection c, AliasMove move) throws SQLException;
    }

    private static AliasMove recorded(Connection c, MoveRecorder recorder, AliasMove move) throws SQLException {
        recorder.record(c, move);
        return move;
    }

    private AliasMove move(Connection c, long modelId, String alias, AliasMove.Kind kind, Long from, Long to,
                           String actor, String reason) throws SQLException {
        Instant now = now();
        if (to == null) {
            Sql.update(c, "delete from model_aliases where model_id = ? and alias = ?", modelId, alias);
        } else {
            Sql.update(c, "insert into model_aliases (model_id, alias, model_version_id, moved_at) values (?, ?, ?, ?)"
                    + " on conflict (model_id, alias) do update set model_version_id = excluded.model_version_id,"
                    + " moved_at = excluded.moved_at", modelId, alias, to, now);
        }
        int seq = Sql.one(c, "select coalesce(max(seq), 0) + 1 from alias_moves where model_id = ? and alias = ?",
                rs -> rs.getInt(1), modelId, alias).orElseThrow();
        long id = Sql.returningLong(c, "insert into alias_moves (model_id, alias, seq, kind, from_version_id,"
                        + " to_version_id, actor, reason, moved_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
                modelId, alias, seq, kind.sql(), from, to, actor, reason == null ? "" : reason, now);
        Sql.update(c, "update registered_models set updated_at = ? where id = ?", now, modelId);
        String name = Sql.one(c, "select name from registered_models where id = ?", rs -> rs.getString(1), modelId)
                .orElseThrow();
        return new AliasMove(id, name, alias, seq, kind, versionNumber(c, from), versionNumber(c, to), actor,
                reason == null ? "" : reason, now);
    }

    private static Integer versionNumber(Connection c, Long versionId) throws SQLException {
        return versionId == null ? null
                : Sql.one(c, "select version from model_versions where id = ?", rs -> rs.getInt(1), versionId).orElse(null);
    }

    // ---------------------------------------------------------------- lineage and diff

    public Lineage lineage(String name, int version) {
        return lineage(version(name, version));
    }

    /** The lineage of the version with this row id: what a decision's model_version_id leads to. */
    public Lineage lineage(long modelVersionId) {
        return lineage(versionById(modelVersionId));
    }

    private Lineage lineage(ModelVersion v) {
        Run run = v.runId() == null ? null : tracking.run(v.runId());
        Experiment experiment = run == null ? null : tracking.experiment(run.info().experimentId());
        Long snapshotId = v.snapshotId() != null ? v.snapshotId() : run != null ? run.info().snapshotId() : null;
        DatasetSnapshot snapshot = snapshotId == null ? null : snapshots.get(snapshotId);
        return new Lineage(v, run, experiment, snapshot);
    }

    /** Two versions of a model side by side: training, features, data and metrics. */
    public VersionDiff diff(String name, int a, int b) {
        Lineage la = lineage(name, a);
        Lineage lb = lineage(name, b);
        Map<String, String[]> rows = new LinkedHashMap<>();
        put(rows, "run", la.run() == null ? null : la.run().info().id(), lb.run() == null ? null : lb.run().info().id());
        put(rows, "code version", la.run() == null ? null : la.run().info().codeVersion(),
                lb.run() == null ? null : lb.run().info().codeVersion());
        put(rows, "created", String.valueOf(la.version().createdAt()), String.valueOf(lb.version().createdAt()));
        ModelManifest ma = la.version().manifest();
        ModelManifest mb = lb.version().manifest();
        put(rows, "algorithm", ma == null ? null : ma.algorithm().cliName(), mb == null ? null : mb.algorithm().cliName());
        put(rows, "feature set", ma == null ? null : ma.featureSet() + " v" + ma.featureSetVersion(),
                mb == null ? null : mb.featureSet() + " v" + mb.featureSetVersion());
        put(rows, "feature schema hash", la.version().featureSchemaHash(), lb.version().featureSchemaHash());
        put(rows, "features", ma == null ? null : String.join(",", ma.featureNames()),
                mb == null ? null : String.join(",", mb.featureNames()));
        put(rows, "dataset snapshot", la.snapshot() == null ? null : la.snapshot().sha256(),
                lb.snapshot() == null ? null : lb.snapshot().sha256());
        put(rows, "dataset rows", la.snapshot() == null ? null : Long.toString(la.snapshot().rows()),
                lb.snapshot() == null ? null : Long.toString(lb.snapshot().rows()));
        put(rows, "dataset origin", la.snapshot() == null ? null : la.snapshot().origin().describe(),
                lb.snapshot() == null ? null : lb.snapshot().origin().describe());
        put(rows, "training rows", ma == null ? null : Long.toString(ma.data().rows()),
                mb == null ? null : Long.toString(mb.data().rows()));
        put(rows, "training window", ma == null ? null : ma.data().start() + " .. " + ma.data().end(),
                mb == null ? null : mb.data().start() + " .. " + mb.data().end());
        Map<String, String> pa = la.run() == null ? Map.of() : la.run().params();
        Map<String, String> pb = lb.run() == null ? Map.of() : lb.run().params();
        for (String k : new TreeSet<>(union(pa.keySet(), pb.keySet()))) {
            put(rows, "param " + k, pa.get(k), pb.get(k));
        }
        Map<String, Double> xa = la.version().metrics();
        Map<String, Double> xb = lb.version().metrics();
        for (String k : new TreeSet<>(union(xa.keySet(), xb.keySet()))) {
            put(rows, "metric " + k, xa.containsKey(k) ? format(xa.get(k)) : null, xb.containsKey(k) ? format(xb.get(k)) : null);
        }
        put(rows, "aliases", String.join(",", la.version().aliases()), String.join(",", lb.version().aliases()));
        List<VersionDiff.Row> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new VersionDiff.Row(k, v[0], v[1])));
        return new VersionDiff(la.version(), lb.version(), out);
    }

    private static void put(Map<String, String[]> rows, String key, String a, String b) {
        rows.put(key, new String[] {a, b});
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String format(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    // ---------------------------------------------------------------- JSON columns

    private static Sql.Json json(Object o) {
        try {
            return new Sql.Json(Json.mapper().writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + o.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static ModelManifest manifest(ResultSet rs) throws SQLException {
        String text = rs.getString("manifest");
        try {
            return text == null ? null : Json.mapper().readValue(text, ModelManifest.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("model version " + rs.getLong("id") + " holds an unreadable manifest: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Double> metrics(ResultSet rs) throws SQLException {
        try {
            return Json.mapper().readValue(rs.getString("metrics"), METRICS);
        } catch (JsonProcessingException e) {
            throw new SQLException("model version " + rs.getLong("id") + " holds unreadable metrics: " + e.getMessage(), e);
        }
    }
}
