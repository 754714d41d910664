package io.riskloop.core.drift;

import org.apache.commons.rng.UniformRandomProvider;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The most recent live transactions' features and scores, summarised the way a {@link ReferenceProfile} summarises
 * the reference data, for comparison with it.
 *
 * <p>The window slides in buckets of {@code ceil(size / buckets)} transactions: when the newest bucket is full a
 * new one starts, and when the window holds {@code size} transactions the oldest bucket is dropped whole before the
 * next one is added. So once full the window covers between {@code size - ceil(size / buckets) + 1} and {@code size}
 * of the latest transactions, never an older one; more buckets make the edge finer and cost a
 * sketch and a sample per bucket and column. Each bucket keeps a KLL sketch, counts per value (for categorical
 * features, at most {@value #MAX_CATEGORIES} distinct values, the rest counted as "other") and a uniform sample per
 * column; a snapshot merges the sketches and counts exactly and draws the sample from the buckets in proportion to
 * their sizes.
 *
 * <p>Thread-safe: the stream thread may {@link #add} while a monitor takes a report.
 */
public final class LiveWindow {

    /** Distinct values a live categorical column keeps counts for; further values are counted as "other". */
    public static final int MAX_CATEGORIES = 64;

    private final ReferenceProfile reference;
    private final int size;
    private final int bucketSize;
    private final int sketchK;
    private final int sampleSize;
    private final long seed;
    private final Deque<Bucket> buckets = new ArrayDeque<>();
    private long bucketsStarted;
    private long rows;

    private LiveWindow(Builder b) {
        this.reference = b.reference;
        this.size = b.size;
        this.bucketSize = (b.size + b.buckets - 1) / b.buckets;
        this.sketchK = b.sketchK;
        this.sampleSize = b.sampleSize;
        this.seed = b.seed;
    }

    /** A window comparing against {@code reference}, with the defaults of {@link Builder}. */
    public static LiveWindow of(ReferenceProfile reference) {
        return builder(reference).build();
    }

    public static Builder builder(ReferenceProfile reference) {
        return new Builder(reference);
    }

    /**
     * Adds one live transaction.
     *
     * @param features its feature vector, in the reference profile's order ({@link ReferenceProfile#names()}); NaN
     *                 for missing values
     * @param score    the model's score for it
     * @param time     its event time
     */
    public synchronized void add(float[] features, double score, Instant time) {
        if (features.length != reference.features().size()) {
            throw new IllegalArgumentException("expected " + reference.features().size()
                    + " feature values in the order of the reference profile of model " + reference.modelVersion()
                    + " " + reference.names() + ", got " + features.length);
        }
        Objects.requireNonNull(time, "time");
        while (rows == size) { // full: the oldest bucket goes whole
            rows -= buckets.removeFirst().rows;
        }
        Bucket head = buckets.peekLast();
        if (head == null || head.rows == bucketSize) {
            head = new Bucket(bucketsStarted++);
            buckets.addLast(head);
        }
        head.add(features, score, time);
        rows++;
    }

    /** Transactions the window holds now. */
    public synchronized long rows() {
        return rows;
    }

    /** The reference profile this window is compared with. */
    public ReferenceProfile reference() {
        return reference;
    }

    /** The configured size: the most transactions the window holds. */
    public int size() {
        return size;
    }

    /** The window's contents merged into column profiles, for the drift tests. */
    synchronized Snapshot snapshot() {
        List<Bucket> parts = List.copyOf(buckets);
        long rows = 0;
        Instant from = null;
        Instant to = null;
        for (Bucket b : parts) {
            rows += b.rows;
            from = from == null || b.from.isBefore(from) ? b.from : from;
            to = to == null || b.to.isAfter(to) ? b.to : to;
        }
        // the merged sample depends on the window's contents only, not on how often it was looked at
        long head = parts.isEmpty() ? 0 : parts.getLast().sequence;
        List<ColumnProfile> features = new ArrayList<>(reference.features().size());
        for (int c = 0; c < reference.features().size(); c++) {
            ColumnProfile ref = reference.features().get(c);
            features.add(merge(ref.name(), ref.kind(), parts, c, head, rows));
        }
        ColumnProfile score = merge("score", FeatureKind.CONTINUOUS, parts, -1, head, rows);
        return new Snapshot(rows, from, to, features, score);
    }

    private ColumnProfile merge(String name, FeatureKind kind, List<Bucket> parts, int column, long head, long rows) {
        List<ColumnAccumulator> cols = new ArrayList<>(parts.size());
        for (Bucket b : parts) {
            cols.add(column < 0 ? b.score : b.columns.get(column));
        }
        UniformRandomProvider rng = ReferenceProfile.rng(seed ^ head * 0xBF58476D1CE4E5B9L ^ rows, column + 1L);
        return ColumnAccumulator.merge(name, kind, cols, sketchK, sampleSize, MAX_CATEGORIES, rng);
    }

    /** A window's merged contents. */
    record Snapshot(long rows, Instant from, Instant to, List<ColumnProfile> features, ColumnProfile score) {
    }

    private final class Bucket {

        final long sequence;
        final List<ColumnAccumulator> columns;
        final ColumnAccumulator score;
        int rows;
        Instant from;
        Instant to;

        Bucket(long sequence) {
            this.sequence = sequence;
            int w = reference.features().size();
            int capacity = Math.min(sampleSize, bucketSize);
            columns = new ArrayList<>(w);
            for (int c = 0; c < w; c++) {
                FeatureKind k = reference.features().get(c).kind();
                columns.add(new ColumnAccumulator(sketchK, capacity,
                        k.counted() ? ColumnAccumulator.Counting.COUNT : ColumnAccumulator.Counting.NONE,
                        MAX_CATEGORIES, ReferenceProfile.rng(seed ^ sequence * 0x94D049BB133111EBL, c)));
            }
            score = new ColumnAccumulator(sketchK, capacity, ColumnAccumulator.Counting.NONE, 0,
                    ReferenceProfile.rng(seed ^ sequence * 0x94D049BB133111EBL, w));
        }

        void add(float[] features, double s, Instant time) {
            for (int c = 0; c < features.length; c++) {
                columns.get(c).add(features[c]);
            }
            score.add((float) s);
            rows++;
            from = from == null || time.isBefore(from) ? time : from;
            to = to == null || time.isAfter(to) ? time : to;
        }
    }

    /** Settings of a live window. */
    public static final class Builder {

        private final ReferenceProfile reference;
        private int size = 10_000;
        private int buckets = 10;
        private int sketchK = 400;
        private int sampleSize = 2_000;
        private long seed = 1;

        private Builder(ReferenceProfile reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
        }

        /** The most transactions the window holds (default 10,000); at least 1. */
        public Builder size(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("window size must be at least 1, got " + n);
            }
            this.size = n;
            return this;
        }

        /** Buckets the window slides by (default 10); in [1, 1000] and at most the size. */
        public Builder buckets(int n) {
            if (n < 1 || n > 1_000) {
                throw new IllegalArgumentException("bucket count must be in [1, 1000], got " + n);
            }
            this.buckets = n;
            return this;
        }

        /** KLL sketch size k per bucket and column (default 200); range [8, 65535]. */
        public Builder sketchK(int k) {
            this.sketchK = ColumnAccumulator.checkSketchK(k);
            return this;
        }

        /** Sample size per column for the Kolmogorov-Smirnov test (default 2,000); at least 10. */
        public Builder sampleSize(int n) {
            this.sampleSize = ColumnAccumulator.checkSampleSize(n);
            return this;
        }

        /** Seed of the samples (default 1). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public LiveWindow build() {
            if (buckets > size) {
                throw new IllegalArgumentException("bucket count " + buckets + " is larger than the window size "
                        + size + "; use at most one bucket per transaction");
            }
            return new LiveWindow(this);
        }
    }
}
