package io.riskloop.core.drift;

import io.riskloop.core.features.FeatureMatrix;
import org.apache.commons.rng.simple.RandomSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model's reference data looked like, feature by feature and for the model's scores on it: the baseline that
 * live traffic is compared with. Built once (usually from the training or validation rows) and stored with the model
 * version as {@link #toBytes() bytes}; its size does not grow with the rows.
 *
 * @param modelVersion the model version the profile belongs to
 * @param rows         reference rows profiled
 * @param seed         seed of the reservoir samples
 * @param features     one profile per feature, in the model's input order
 * @param score        the model's scores on the reference rows
 */
public record ReferenceProfile(String modelVersion, long rows, long seed, List<ColumnProfile> features,
                               ColumnProfile score) {

    /** A feature with all-integer values and at most this many distinct values is categorical. */
    public static final int MAX_INFERRED_CATEGORIES = 20;

    public ReferenceProfile {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(score, "score");
        features = List.copyOf(features);
        Map<String, Integer> seen = new HashMap<>();
        for (ColumnProfile f : features) {
            if (seen.put(f.name(), 1) != null) {
                throw new IllegalArgumentException("reference profile has two features named '" + f.name() + "'");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Feature names, in the order of the feature vectors that a {@link LiveWindow} takes. */
    public List<String> names() {
        return features.stream().map(ColumnProfile::name).toList();
    }

    /** The profile of the named feature. */
    public ColumnProfile feature(String name) {
        for (ColumnProfile f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no feature '" + name + "' in the reference profile of model "
                + modelVersion + "; it has " + names());
    }

    /** The stored form (see {@link #fromBytes(byte[])}): a versioned binary layout described in docs/drift.md. */
    public byte[] toBytes() {
        return ProfileCodec.write(this);
    }

    /**
     * Reads a stored profile.
     *
     * @throws IllegalArgumentException when the bytes are not a profile, are cut short, or are of a format version
     *                                  this riskloop does not read
     */
    public static ReferenceProfile fromBytes(byte[] bytes) {
        return ProfileCodec.read(bytes);
    }

    /** Settings of a profile; {@link #build(FeatureMatrix, double[])} reads the data in one pass. */
    public static final class Builder {

        private String modelVersion = "unversioned";
        private int sketchK = 400;
        private int sampleSize = 5_000;
        private long seed = 1;
        private final Map<String, FeatureKind> kinds = new HashMap<>();

        private Builder() {
        }

        /** The model version the profile is stored with. */
        public Builder modelVersion(String v) {
            this.modelVersion = Objects.requireNonNull(v, "modelVersion");
            return this;
        }

        /** KLL sketch size k (default 200: rank error about 1.3% at 99% confidence); range [8, 65535]. */
        public Builder sketchK(int k) {
            this.sketchK = ColumnAccumulator.checkSketchK(k);
            return this;
        }

        /** Values kept per column in the uniform sample for the Kolmogorov-Smirnov test (default 5,000); at least 10. */
        public Builder sampleSize(int n) {
            this.sampleSize = ColumnAccumulator.checkSampleSize(n);
            return this;
        }

        /** Seed of the reservoir samples (default 1). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Sets a feature's kind instead of inferring it (e.g. an integer count that should be compared as a number). */
        public Builder kind(String feature, FeatureKind kind) {
            kinds.put(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(kind, "kind"));
            return this;
        }

        /**
         * Profiles the rows of {@code data} and the model's {@code scores} on them (one per row, same order).
         * Missing values (NaN) are counted apart.
         */
        public ReferenceProfile build(FeatureMatrix data, double[] scores) {
            if (scores.length != data.rows()) {
                throw new IllegalArgumentException("expected one score per row: " + data.rows() + " rows, "
                        + scores.length + " scores");
            }
            for (String k : kinds.keySet()) {
                if (!data.names().contains(k)) {
                    throw new IllegalArgumentException("kind set for feature '" + k + "', which the data does not have;"
                            + " it has " + data.names());
                }
            }
            int w = data.columns();
            List<ColumnAccumulator> acc = new ArrayList<>(w);
            for (int c = 0; c < w; c++) {
                FeatureKind fixed = kinds.get(data.names().get(c));
                ColumnAccumulator.Counting counting = fixed == null ? ColumnAccumulator.Counting.INFER
                        : fixed.counted() ? ColumnAccumulator.Counting.COUNT : ColumnAccumulator.Counting.NONE;
                int limit = fixed == null ? MAX_INFERRED_CATEGORIES : LiveWindow.MAX_CATEGORIES;
                acc.add(new ColumnAccumulator(sketchK, sampleSize, counting, limit, rng(seed, c)));
            }
            ColumnAccumulator scoreAcc = new ColumnAccumulator(sketchK, sampleSize, ColumnAccumulator.Counting.NONE, 0,
                    rng(seed, w));
            float[] v = data.values();
            for (int r = 0; r < data.rows(); r++) {
                int base = r * w;
                for (int c = 0; c < w; c++) {
                    acc.get(c).add(v[base + c]);
                }
                scoreAcc.add((float) scores[r]);
            }
            List<ColumnProfile> cols = new ArrayList<>(w);
            for (int c = 0; c < w; c++) {
                String name = data.names().get(c);
                FeatureKind kind = kinds.getOrDefault(name, acc.get(c).inferredKind());
                cols.add(acc.get(c).toProfile(name, kind));
            }
            return new ReferenceProfile(modelVersion, data.rows(), seed, cols,
                    scoreAcc.toProfile("score", FeatureKind.CONTINUOUS));
        }
    }

    /** One generator per column, so that a column's sample does not depend on the other columns. */
    static org.apache.commons.rng.UniformRandomProvider rng(long seed, long stream) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seed, stream * 0x9E3779B97F4A7C15L});
    }
}
