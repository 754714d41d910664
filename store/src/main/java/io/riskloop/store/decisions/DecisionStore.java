package io.riskloop.store.decisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;
import io.riskloop.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decisions, labels and dead letters in PostgreSQL. Writes come in batches from the pipeline's sink and are
 * idempotent (a re-delivered record changes nothing); labels are appended to a history and the latest one is
 * kept on the decision.
 */
public final class DecisionStore {

    /** Sources a label may come from. */
    public static final Set<String> LABEL_SOURCES = Set.of("analyst", "chargeback", "api", "import");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Clock clock;
    private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

    public DecisionStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores decisions not stored yet (by transaction id and event time); returns how many were new. */
    public int storeDecisions(Collection<Decision> decisions) {
        if (decisions.isEmpty()) {
            return 0;
        }
        Set<LocalDate> days = new TreeSet<>();
        for (Decision d : decisions) {
            days.add(LocalDate.ofInstant(d.transaction().timestamp(), ZoneOffset.UTC));
        }
        ensurePartitions(days);
        int n = decisions.size();
        String[] id = new String[n];
        Timestamp[] time = new Timestamp[n];
        String[] card = new String[n];
        String[] terminal = new String[n];
        java.math.BigDecimal[] amount = new java.math.BigDecimal[n];
        String[] attributes = new String[n];
        String[] features = new String[n];
        Double[] score = new Double[n];
        String[] decision = new String[n];
        String[] reasons = new String[n];
        String[] version = new String[n];
        Double[] challengerScore = new Double[n];
        String[] challengerVersion = new String[n];
        Timestamp[] decidedAt = new Timestamp[n];
        int i = 0;
        for (Decision d : decisions) {
            Transaction tx = d.transaction();
            id[i] = tx.id();
            time[i] = Timestamp.from(tx.timestamp());
            card[i] = tx.cardId();
            terminal[i] = tx.terminalId();
            amount[i] = java.math.BigDecimal.valueOf(tx.amountCents(), 2);
            attributes[i] = json(tx.attributes());
            features[i] = features(d);
            score[i] = d.score();
            decision[i] = d.decision().name();
            reasons[i] = json(d.reasons());
            version[i] = d.modelVersion();
            challengerScore[i] = d.challengerScore();
            challengerVersion[i] = d.challengerVersion();
            decidedAt[i] = Timestamp.from(d.decidedAt());
            i++;
        }
        // One statement for the batch: arrays unnested into rows, duplicates ignored.
        String sql = """
                insert into decisions (transaction_id, event_time, card_id, terminal_id, amount, attributes, features,
                    score, decision, reasons, model_version, challenger_score, challenger_version, decided_at, stored_at)
                select u.id, u.t, u.card, u.terminal, u.amount, u.attributes::jsonb, u.features::jsonb, u.score,
                    u.decision, u.reasons::jsonb, u.version, u.cscore, u.cversion, u.decided, ?
                from unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::numeric[], ?::text[], ?::text[],
                    ?::float8[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::text[], ?::timestamptz[])
                    as u(id, t, card, terminal, amount, attributes, features, score, decision, reasons, version,
                         cscore, cversion, decided)
                on conflict do nothing""";
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                ps.setTimestamp(p++, Timestamp.from(clock.instant()));
                ps.setArray(p++, c.createArrayOf("text", id));
                ps.setArray(p++, c.createArrayOf("timestamptz", time));
                ps.setArray(p++, c.createArrayOf("text", card));
                ps.setArray(p++, c.createArrayOf("text", terminal));
                ps.setArray(p++, c.createArrayOf("numeric", amount));
                ps.setArray(p++, c.createArrayOf("text", attributes));
                ps.setArray(p++, c.createArrayOf("text", features));
                ps.setArray(p++, c.createArrayOf("float8", score));
                ps.setArray(p++, c.createArrayOf("text", decision));
                ps.setArray(p++, c.createArrayOf("text", reasons));
                ps.setArray(p++, c.createArrayOf("text", version));
                ps.setArray(p++, c.createArrayOf("float8", challengerScore));
                ps.setArray(p++, c.createArrayOf("text", challengerVersion));
                ps.setArray(p, c.createArrayOf("timestamptz", decidedAt));
                return ps.executeUpdate();
            }
        });
    }

    /** Stores dead letters not stored yet (by source topic, partition and offset); returns how many were new. */
    public int storeDeadLetters(Collection<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return 0;
        }
        return db.inTransaction(c -> {
            int stored = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into dead_letters (source_topic, partition, record_offset, field, reason, record, received_at)
                    values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
                for (DeadLetter d : letters) {
                    ps.setString(1, d.sourceTopic());
                    ps.setInt(2, d.partition());
                    ps.setLong(3, d.offset());
                    ps.setString(4, d.field());
                    ps.setString(5, d.reason());
                    ps.setString(6, d.record());
                    ps.setTimestamp(7, Timestamp.from(d.receivedAt()));
                    ps.addBatch();
                }
                for (int r : ps.executeBatch()) {
                    stored += Math.max(0, r);
                }
            }
            return stored;
        });
    }

    /** Creates the daily partitions the given days need. */
    void ensurePartitions(Set<LocalDate> days) {
        for (LocalDate day : days) {
            if (partitions.contains(day)) {
                continue;
            }
            String name = "decisions_" + day.toString().replace("-", "");
            String sql = "create table if not exists " + name + " partition of decisions for values from ('" + day
                    + "') to ('" + day.plusDays(1) + "')";
            try {
                db.withConnection(c -> Sql.update(c, sql));
            } catch (StoreException e) {
                // another writer may have created it between our check and our statement
                boolean exists = db.withConnection(c -> Sql.one(c, "select 1 from pg_class where relname = ?",
                        rs -> 1, name).isPresent());
                if (!exists) {
                    throw e;
                }
            }
            partitions.add(day);
        }
    }

    public Optional<StoredDecision> find(String transactionId) {
        return db.withConnection(c -> Sql.one(c, "select * from decisions where transaction_id = ?"
                + " order by event_time limit 1", DecisionStore::row, transactionId));
    }

    /**
     * Records a label: appended to the history, made the decision's current label. Returns the stored label.
     *
     * @throws StoreException naming the transaction when no decision exists for it
     */
    public StoredLabel label(String transactionId, boolean fraud, String source, String author, String comment,
                             Instant knownAt) {
        if (!LABEL_SOURCES.contains(source)) {
            throw new IllegalArgumentException("label source '" + source + "' is not one of " + LABEL_SOURCES);
        }
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("a label needs an author");
        }
        return db.inTransaction(c -> {
            Optional<Instant> time = Sql.one(c, "select event_time from decisions where transaction_id = ? for update",
                    rs -> Sql.instant(rs, "event_time"), transactionId);
            if (time.isEmpty()) {
                throw new NoSuchTransactionException(transactionId);
            }
            Instant now = clock.instant();
            long id = Sql.returningLong(c, """
                    insert into labels (transaction_id, event_time, fraud, source, author, comment, known_at, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?) returning id""", transactionId, time.get(), fraud, source, author,
                    comment, knownAt, now);
            Sql.update(c, """
                    update decisions set true_label = ?, label_source = ?, label_author = ?, labeled_at = ?
                    where transaction_id = ? and event_time = ?""", fraud, source, author, knownAt, transactionId,
                    time.get());
            return new StoredLabel(id, transactionId, time.get(), fraud, source, author, comment, knownAt, now);
        });
    }

    /** Marks a label as published on the labels topic. */
    public void markPublished(long labelId) {
        db.withConnection(c -> Sql.update(c, "update labels set published_at = ? where id = ?", clock.instant(), labelId));
    }

    /** Labels stored but not yet published (e.g. the broker was down), oldest first. */
    public List<StoredLabel> unpublishedLabels(int limit) {
        return db.withConnection(c -> Sql.list(c, "select * from labels where published_at is null order by id limit ?",
                DecisionStore::labelRow, limit));
    }

    /** A transaction's labels, oldest first. */
    public List<StoredLabel> labels(String transactionId) {
        return db.withConnection(c -> Sql.list(c, "select * from labels where transaction_id = ? order by id",
                DecisionStore::labelRow, transactionId));
    }

    /** Counts for summaries: decisions by type, labelled, dead letters. */
    public Map<String, Long> counts() {
        return db.withConnection(c -> {
            Map<String, Long> m = new HashMap<>();
            for (DecisionType t : DecisionType.values()) {
                m.put(t.name().toLowerCase(java.util.Locale.ROOT), 0L);
            }
            Sql.list(c, "select decision, count(*) as n from decisions group by decision",
                    rs -> m.put(rs.getString("decision").toLowerCase(java.util.Locale.ROOT), rs.getLong("n")));
            m.put("decisions", Sql.one(c, "select count(*) as n from decisions", rs -> rs.getLong("n")).orElse(0L));
            m.put("labelled", Sql.one(c, "select count(*) as n from decisions where true_label is not null",
                    rs -> rs.getLong("n")).orElse(0L));
            m.put("dead_letters", Sql.one(c, "select count(*) as n from dead_letters", rs -> rs.getLong("n")).orElse(0L));
            return m;
        });
    }

    /** The most recent dead letters. */
    public List<DeadLetter> deadLetters(int limit) {
        return db.withConnection(c -> Sql.list(c, "select * from dead_letters order by received_at desc, id desc limit ?",
                rs -> new DeadLetter(rs.getString("source_topic"), rs.getInt("partition"), rs.getLong("record_offset"),
                        rs.getString("field"), rs.getString("reason"), rs.getString("record"),
                        Sql.instant(rs, "received_at")), limit));
    }

    /**
     * The decisions with event time in [{@code from}, {@code to}), in event-time order, each with the label known at
     * {@code labelsKnownAt} (labels given later are left out: a snapshot for training sees only what was known at its
     * cut-off).
     */
    public List<KnownOutcome> outcomes(Instant from, Instant to, Instant labelsKnownAt) {
        return knownOutcomes("d.event_time >= ? and d.event_time < ?", labelsKnownAt, from, to);
    }

    /**
     * The decisions {@code challengerVersion} scored beside {@code championVersion}, with event time before
     * {@code before} (label-complete ones), each with the label known at {@code labelsKnownAt}.
     */
    public List<KnownOutcome> shadowOutcomes(String championVersion, String challengerVersion, Instant before,
                                             Instant labelsKnownAt) {
        return knownOutcomes("d.model_version = ? and d.challenger_version = ? and d.event_time < ?", labelsKnownAt,
                championVersion, challengerVersion, before);
    }

    private List<KnownOutcome> knownOutcomes(String where, Instant labelsKnownAt, Object... args) {
        List<Object> all = new ArrayList<>();
        all.add(labelsKnownAt);
        all.addAll(List.of(args));
        return db.withConnection(c -> Sql.list(c, "select d.*, (select l.fraud from labels l"
                        + " where l.transaction_id = d.transaction_id and l.known_at <= ? order by l.id desc limit 1)"
                        + " as known_label from decisions d where " + where + " order by d.event_time, d.transaction_id",
                rs -> {
                    boolean fraud = rs.getBoolean("known_label");
                    boolean labelled = !rs.wasNull();
                    return new KnownOutcome(row(rs).decision(), labelled && fraud, labelled);
                }, all));
    }

    /** Decisions {@code championVersion} made with {@code challengerVersion} scoring beside it. */
    public long shadowed(String championVersion, String challengerVersion) {
        return db.withConnection(c -> Sql.returningLong(c,
                "select count(*) from decisions where model_version = ? and challenger_version = ?", championVersion,
                challengerVersion));
    }

    /**
     * Decisions and dead letters stored after {@code since} (a previous {@link Arrivals#asOf}; null: none counted, only
     * the time taken). Indexed on the time of storing, so it costs what arrived, not the table's size. A row is stamped when its
     * write began, so a write still running at one count is seen by neither: fine for the rates it feeds.
     */
    public Arrivals arrivalsSince(Instant since) {
        return db.inTransaction(c -> {
            Instant now = Sql.one(c, "select now() as t", rs -> Sql.instant(rs, "t")).orElseThrow();
            if (since == null) {
                return new Arrivals(now, 0, 0);
            }
            long d = Sql.returningLong(c, "select count(*) from decisions where stored_at > ? and stored_at <= ?",
                    since, now);
            long l = Sql.returningLong(c, "select count(*) from dead_letters where stored_at > ? and stored_at <= ?",
                    since, now);
            return new Arrivals(now, d, l);
        });
    }

    /** Labels known at {@code at} or earlier, given after {@code after}: what "N new labels" counts. */
    public long labelsKnownBetween(Instant after, Instant at) {
        return db.withConnection(c -> Sql.returningLong(c,
                "select count(*) from labels where known_at > ? and known_at <= ?", after,
                at));
    }

    static StoredDecision row(ResultSet rs) throws SQLException {
        Map<String, String> attributes = new HashMap<>();
        JsonNode a = parse(rs.getString("attributes"));
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.put(e.getKey(), e.getValue().asText());
        }
        Transaction tx = new Transaction(rs.getString("transaction_id"), Sql.instant(rs, "event_time"),
                rs.getString("card_id"), rs.getString("terminal_id"), rs.getBigDecimal("amount").doubleValue(),
                attributes);
        JsonNode f = parse(rs.getString("features"));
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (JsonNode pair : f) {
            names.add(pair.get(0).asText());
            values.add(pair.get(1).isNull() ? Double.NaN : pair.get(1).asDouble());
        }
        List<String> reasons = new ArrayList<>();
        parse(rs.getString("reasons")).forEach(r -> reasons.add(r.asText()));
        double cs = rs.getDouble("challenger_score");
        Double challenger = rs.wasNull() ? null : cs;
        Decision d = new Decision(tx, values.stream().mapToDouble(Double::doubleValue).toArray(), names,
                rs.getDouble("score"), DecisionType.valueOf(rs.getString("decision")), reasons,
                rs.getString("model_version"), challenger, rs.getString("challenger_version"),
                Sql.instant(rs, "decided_at"));
        boolean label = rs.getBoolean("true_label");
        Boolean trueLabel = rs.wasNull() ? null : label;
        return new StoredDecision(d, trueLabel, rs.getString("label_source"), rs.getString("label_author"),
                Sql.instant(rs, "labeled_at"), Sql.instant(rs, "stored_at"));
    }

    static StoredLabel labelRow(ResultSet rs) throws SQLException {
        return new StoredLabel(rs.getLong("id"), rs.getString("transaction_id"), Sql.instant(rs, "event_time"),
                rs.getBoolean("fraud"), rs.getString("source"), rs.getString("author"), rs.getString("comment"),
                Sql.instant(rs, "known_at"), Sql.instant(rs, "created_at"));
    }

    /** Features as [[name, value], ...]: a JSON array keeps the model's order, which jsonb objects do not. */
    private static String features(Decision d) {
        ArrayNode n = JSON.createArrayNode();
        for (int i = 0; i < d.featureNames().size(); i++) {
            double v = d.features()[i];
            ArrayNode pair = n.addArray().add(d.featureNames().get(i));
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                pair.addNull();
            } else {
                pair.add(v);
            }
        }
        return n.toString();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return s == null ? JSON.createObjectNode() : JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored JSON column is not JSON: " + e.getMessage(), e);
        }
    }
}
