package io.riskloop.model.score;

/**
 * A model that turns a feature vector into a fraud probability. Implementations are immutable after
 * construction and safe for concurrent callers; scoring one row or a batch allocates nothing.
 *
 * <p>Feature vectors are 32-bit floats in the order of {@link ModelInfo#featureNames()}, NaN meaning missing:
 * exactly what XGBoost sees, so that a compiled model can reproduce it bit for bit.
 */
public interface ScoringModel {

    /** What the model is: kind, feature names and order, version, content hash. */
    ModelInfo info();

    /** The fraud probability of one row of {@code info().featureNames().size()} values. */
    double score(float[] row);

    /**
     * Scores {@code rows} rows laid out row-major in {@code values} (rows x features) into {@code out[0..rows)}.
     */
    void scoreBatch(float[] values, int rows, double[] out);

    /** Why the model scored a row as it did: per-feature contributions to the margin (exact where the model allows). */
    Explanation explain(float[] row);

    /**
     * A cheaper explanation for hot paths (e.g. every response of a scoring API): contributions that still add up
     * to the margin but may approximate {@link #explain}'s. The method field says which it is.
     */
    default Explanation explainQuickly(float[] row) {
        return explain(row);
    }
}
