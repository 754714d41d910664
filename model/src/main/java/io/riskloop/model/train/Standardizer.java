package io.riskloop.model.train;

import io.riskloop.core.features.FeatureMatrix;

/**
 * Per-feature standardisation fitted on the training set: (x - mean) / std (std 0 is treated as 1).
 * Missing values (NaN) stay missing.
 */
public record Standardizer(double[] mean, double[] std) {

    public static Standardizer fit(FeatureMatrix m) {
        int w = m.columns();
        double[] mean = new double[w];
        double[] m2 = new double[w];
        long[] n = new long[w];
        float[] v = m.values();
        for (int r = 0; r < m.rows(); r++) {
            for (int j = 0; j < w; j++) {
                double x = v[r * w + j];
                if (Double.isNaN(x)) {
                    continue;
                }
                n[j]++;
                double d = x - mean[j];
                mean[j] += d / n[j];
                m2[j] += d * (x - mean[j]);
            }
        }
        double[] std = new double[w];
        for (int j = 0; j < w; j++) {
            double s = n[j] > 0 ? Math.sqrt(m2[j] / n[j]) : 1;
            std[j] = s > 0 ? s : 1;
        }
        return new Standardizer(mean, std);
    }

    /** A standardised copy of the matrix's values. */
    public float[] apply(FeatureMatrix m) {
        int w = m.columns();
        float[] src = m.values();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            int j = i % w;
            out[i] = (float) ((src[i] - mean[j]) / std[j]);
        }
        return out;
    }
}
