package io.riskloop.store.decisions;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.store.Database;
import io.riskloop.store.Sql;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reading decisions for people: searches with filters and keyset paging (stable under concurrent inserts, cheap
 * at any depth), a card's history, and the figures of the analysts' dashboard.
 */
public final class DecisionQueries {

    /** Orders of a search. */
    public enum Order {
        /** newest event first */
        TIME,
        /** highest score first (the review queue) */
        SCORE
    }

    /** One page of a search, and the token of the next page (null on the last). */
    public record Page(List<StoredDecision> items, String nextPageToken) {
    }

    /** Decisions in one time bucket. */
    public record Bucket(Instant start, long decisions, long alerts) {
    }

    /** Labelled decisions of one day (event time): flagged = review or decline. */
    public record DailyAccuracy(LocalDate day, long truePositives, long falsePositives, long falseNegatives,
                                long trueNegatives) {
        /** Flagged and fraud, of flagged; NaN when nothing labelled was flagged. */
        public double precision() {
            long flagged = truePositives + falsePositives;
            return flagged == 0 ? Double.NaN : truePositives / (double) flagged;
        }

        /** Flagged and fraud, of fraud; NaN when no labelled fraud. */
        public double recall() {
            long fraud = truePositives + falseNegatives;
            return fraud == 0 ? Double.NaN : truePositives / (double) fraud;
        }
    }

    /**
     * The dashboard's figures.
     *
     * @param perMinute      decisions per minute of decision time, over the window, oldest first
     * @param mix            decisions by type over the window
     * @param scoreHistogram counts of scores in {@code scoreHistogram.length} equal bins of [0, 1] over the window
     * @param accuracy       precision and recall on labelled decisions per day of event time, oldest first
     * @param deadLetters    dead letters, all time
     * @param unlabelledReviews reviews waiting for a label, all time
     */
    public record Dashboard(List<Bucket> perMinute, java.util.Map<DecisionType, Long> mix, long[] scoreHistogram,
                            List<DailyAccuracy> accuracy, long deadLetters, long unlabelledReviews) {
        public long decisions() {
            return mix.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Reviews and declines, of all decisions in the window; NaN when there are none. */
        public double alertRate() {
            long all = decisions();
            return all == 0 ? Double.NaN
                    : (mix.getOrDefault(DecisionType.REVIEW, 0L) + mix.getOrDefault(DecisionType.DECLINE, 0L))
                    / (double) all;
        }
    }

    public static final int MAX_PAGE = 500;
    public static final int HISTOGRAM_BINS = 20;

    private final Database db;

    public DecisionQueries(Database db) {
        this.db = db;
    }

    /**
     * One page of the decisions matching {@code filter}.
     *
     * @param pageToken the previous page's {@code nextPageToken}, or null for the first page
     * @throws IllegalArgumentException when the page token is not one this search made
     */
    public Page search(DecisionFilter filter, Order order, int limit, String pageToken) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        StringBuilder sql = new StringBuilder("select * from decisions where true");
        List<Object> args = new ArrayList<>();
        where(filter, sql, args);
        if (pageToken != null) {
            Cursor c = Cursor.decode(pageToken, order);
            if (order == Order.SCORE) {
                sql.append(" and (score, event_time, transaction_id) < (?, ?, ?)");
                args.add(c.score());
            } else {
                sql.append(" and (event_time, transaction_id) < (?, ?)");
            }
            args.add(c.time());
            args.add(c.id());
        }
        sql.append(order == Order.SCORE ? " order by score desc, event_time desc, transaction_id desc"
                : " order by event_time desc, transaction_id desc");
        sql.append(" limit ?");
        args.add(limit + 1);
        List<StoredDecision> rows = db.withConnection(c -> Sql.list(c, sql.toString(), DecisionStore::row, args));
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<StoredDecision> items = List.copyOf(rows.subList(0, limit));
        StoredDecision last = items.get(limit - 1);
        return new Page(items, new Cursor(last.decision().score(), last.decision().transaction().timestamp(),
                last.decision().transaction().id()).encode(order));
    }

    /** How many decisions match (for the queue's size). */
    public long count(DecisionFilter filter) {
        StringBuilder sql = new StringBuilder("select count(*) from decisions where true");
        List<Object> args = new ArrayList<>();
        where(filter, sql, args);
        return db.withConnection(c -> Sql.one(c, sql.toString(), rs -> rs.getLong(1), args.toArray()).orElse(0L));
    }

    /** A card's decisions before {@code before} (exclusive), newest first. */
    public List<StoredDecision> cardHistory(String cardId, Instant before, int limit) {
        return db.withConnection(c -> Sql.list(c, """
                select * from decisions where card_id = ? and event_time < ?
                order by event_time desc, transaction_id desc limit ?""", DecisionStore::row, cardId, before, limit));
    }

    /**
     * The dashboard's figures for decisions made in [{@code since}, {@code until}); accuracy over labelled
     * decisions of the last {@code accuracyDays} days of event time that have any.
     */
    public Dashboard dashboard(Instant since, Instant until, int accuracyDays) {
        return db.withConnection(c -> {
            List<Bucket> perMinute = Sql.list(c, """
                    select date_trunc('minute', decided_at) as m, count(*) as n,
                           count(*) filter (where decision <> 'APPROVE') as a
                    from decisions where decided_at >= ? and decided_at < ? group by 1 order by 1""",
                    rs -> new Bucket(Sql.instant(rs, "m"), rs.getLong("n"), rs.getLong("a")), since, until);
            java.util.Map<DecisionType, Long> mix = new java.util.EnumMap<>(DecisionType.class);
            for (DecisionType t : DecisionType.values()) {
                mix.put(t, 0L);
            }
            Sql.list(c, "select decision, count(*) as n from decisions where decided_at >= ? and decided_at < ?"
                    + " group by decision", rs -> mix.put(DecisionType.valueOf(rs.getString("decision")),
                    rs.getLong("n")), since, until);
            long[] histogram = new long[HISTOGRAM_BINS];
            Sql.list(c, "select least(width_bucket(score, 0, 1, " + HISTOGRAM_BINS + "), " + HISTOGRAM_BINS
                    + ") as b, count(*) as n from decisions where decided_at >= ? and decided_at < ? group by 1",
                    rs -> histogram[rs.getInt("b") - 1] = rs.getLong("n"), since, until);
            List<DailyAccuracy> accuracy = Sql.list(c, """
                    select * from (
                        select (event_time at time zone 'UTC')::date as day,
                               count(*) filter (where decision <> 'APPROVE' and true_label) as tp,
                               count(*) filter (where decision <> 'APPROVE' and not true_label) as fp,
                               count(*) filter (where decision = 'APPROVE' and true_label) as fn,
                               count(*) filter (where decision = 'APPROVE' and not true_label) as tn
                        from decisions where true_label is not null group by 1 order by 1 desc limit ?
                    ) d order by day""", rs -> new DailyAccuracy(rs.getObject("day", LocalDate.class),
                    rs.getLong("tp"), rs.getLong("fp"), rs.getLong("fn"), rs.getLong("tn")), accuracyDays);
            long dead = Sql.one(c, "select count(*) from dead_letters", rs -> rs.getLong(1)).orElse(0L);
            long queue = Sql.one(c, "select count(*) from decisions where decision = 'REVIEW' and true_label is null",
                    rs -> rs.getLong(1)).orElse(0L);
            return new Dashboard(perMinute, mix, histogram, accuracy, dead, queue);
        });
    }

    private static void where(DecisionFilter f, StringBuilder sql, List<Object> args) {
        if (f.decision() != null) {
            sql.append(" and decision = ?");
            args.add(f.decision().name());
        }
        if (f.label() != null) {
            sql.append(switch (f.label()) {
                case UNLABELLED -> " and true_label is null";
                case LABELLED -> " and true_label is not null";
                case FRAUD -> " and true_label";
                case GENUINE -> " and not true_label";
            });
        }
        if (f.cardId() != null) {
            sql.append(" and card_id = ?");
            args.add(f.cardId());
        }
        if (f.terminalId() != null) {
            sql.append(" and terminal_id = ?");
            args.add(f.terminalId());
        }
        if (f.from() != null) {
            sql.append(" and event_time >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" and event_time < ?");
            args.add(f.to());
        }
        if (f.minScore() != null) {
            sql.append(" and score >= ?");
            args.add(f.minScore());
        }
        if (f.maxScore() != null) {
            sql.append(" and score <= ?");
            args.add(f.maxScore());
        }
    }

    /** Where a page ended: opaque to clients (base64 of order, score, event time in microseconds, id). */
    record Cursor(double score, Instant time, String id) {
        String encode(Order order) {
            long micros = time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
            String s = order.name().toLowerCase(Locale.ROOT) + "|" + Double.toString(score) + "|" + micros + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token, Order order) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] p = s.split("\\|", 4);
                if (p.length != 4 || !p[0].equals(order.name().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("page token of another search");
                }
                long micros = Long.parseLong(p[2]);
                Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
                return new Cursor(Double.parseDouble(p[1]), t, p[3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("page_token is not a token this search returned", e);
            }
        }
    }
}
