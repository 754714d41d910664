package io.riskloop.model.score;

import io.riskloop.model.train.Standardizer;

/**
 * A logistic-regression model (XGBoost's gblinear JSON, as riskloop stores its logistic regressions), with the
 * input standardisation it was trained with. Computes as XGBoost does: the margin starts at bias plus base margin
 * and adds weight x value in float, skipping missing values.
 */
public final class LinearModel implements ScoringModel {

    private final ModelInfo info;
    private final float[] weights;
    private final float start;
    private final double[] mean;
    private final double[] std;

    private LinearModel(ModelInfo info, float[] weights, float start, double[] mean, double[] std) {
        this.info = info;
        this.weights = weights;
        this.start = start;
        this.mean = mean;
        this.std = std;
    }

    /**
     * @param standardizer the training standardisation to apply to raw inputs, or null when the model takes raw
     *                     values
     */
    public static LinearModel fromXgboostJson(byte[] json, ModelInfo info, Standardizer standardizer) {
        XgboostJson.Parsed p = XgboostJson.parse(json);
        if (!p.booster().equals("gblinear")) {
            throw new UnsupportedModelException("a " + p.booster() + " model is not linear; use CompiledEnsemble");
        }
        int n = p.features();
        if (p.weights().length != n + 1) {
            throw new UnsupportedModelException("a linear model with " + n + " features needs " + (n + 1)
                    + " weights (bias last), the file has " + p.weights().length);
        }
        if (info.features() != n) {
            throw new UnsupportedModelException("the model takes " + n + " features but its manifest names "
                    + info.features());
        }
        float[] w = java.util.Arrays.copyOf(p.weights(), n);
        float start = p.weights()[n] + p.baseMargin();
        double[] mean = standardizer == null ? null : standardizer.mean().clone();
        double[] std = standardizer == null ? null : standardizer.std().clone();
        return new LinearModel(info, w, start, mean, std);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    private float input(float[] values, int offset, int j) {
        float x = values[offset + j];
        return mean == null ? x : (float) ((x - mean[j]) / std[j]);
    }

    private float margin(float[] values, int offset) {
        float m = start;
        for (int j = 0; j < weights.length; j++) {
            float z = input(values, offset, j);
            if (z == z) {
                m += z * weights[j];
            }
        }
        return m;
    }

    @Override
    public double score(float[] row) {
        if (row.length < weights.length) {
            throw new IllegalArgumentException("a row needs " + weights.length + " features, got " + row.length);
        }
        return CompiledEnsemble.sigmoid(margin(row, 0));
    }

    @Override
    public void scoreBatch(float[] values, int rows, double[] out) {
        if ((long) rows * weights.length > values.length || rows > out.length) {
            throw new IllegalArgumentException("a batch of " + rows + " rows needs " + (long) rows * weights.length
                    + " values and " + rows + " outputs, got " + values.length + " and " + out.length);
        }
        for (int r = 0; r < rows; r++) {
            out[r] = CompiledEnsemble.sigmoid(margin(values, r * weights.length));
        }
    }

    /** Contribution of a feature = weight x (standardised) value, as XGBoost's predictContrib for linear models. */
    @Override
    public Explanation explain(float[] row) {
        if (row.length < weights.length) {
            throw new IllegalArgumentException("a row needs " + weights.length + " features, got " + row.length);
        }
        double[] phi = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            float z = input(row, 0, j);
            phi[j] = z == z ? (double) z * weights[j] : 0;
        }
        return new Explanation(info.featureNames(), phi, start, margin(row, 0), "linear");
    }
}
