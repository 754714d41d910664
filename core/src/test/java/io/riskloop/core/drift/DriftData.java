package io.riskloop.core.drift;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded columns and matrices for the drift tests. */
final class DriftData {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final LabeledTransaction ANY = new LabeledTransaction(
            new Transaction("t", T0, "c", "m", 1.0), false, 0);

    private DriftData() {
    }

    /** A matrix whose column j is {@code columns[j]}. */
    static FeatureMatrix matrix(List<String> names, float[]... columns) {
        int rows = columns[0].length;
        float[] v = new float[rows * columns.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns.length; c++) {
                v[r * columns.length + c] = columns[c][r];
            }
        }
        return new FeatureMatrix(names, v, rows, Collections.nCopies(rows, ANY));
    }

    static float[] normal(long seed, int n, double mean, double sd) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + sd * rnd.nextGaussian());
        }
        return v;
    }

    /** Values 0, 1, ... drawn with the given probabilities. */
    static float[] categorical(long seed, int n, double... probabilities) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            int k = 0;
            double acc = probabilities[0];
            while (u >= acc && k < probabilities.length - 1) {
                acc += probabilities[++k];
            }
            v[i] = k;
        }
        return v;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** A column profile of the values, as a reference profile would build it. */
    static ColumnProfile column(String name, float[] values, int sketchK) {
        ColumnAccumulator a = new ColumnAccumulator(sketchK, 5_000, ColumnAccumulator.Counting.INFER,
                ReferenceProfile.MAX_INFERRED_CATEGORIES, ReferenceProfile.rng(7, 0));
        for (float v : values) {
            a.add(v);
        }
        return a.toProfile(name, a.inferredKind());
    }

    static ColumnProfile continuous(String name, float[] values, int sketchK) {
        ColumnAccumulator a = new ColumnAccumulator(sketchK, 5_000, ColumnAccumulator.Counting.NONE, 0,
                ReferenceProfile.rng(7, 0));
        for (float v : values) {
            a.add(v);
        }
        return a.toProfile(name, FeatureKind.CONTINUOUS);
    }
}
