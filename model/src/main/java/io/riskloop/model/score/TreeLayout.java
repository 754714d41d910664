package io.riskloop.model.score;

/**
 * How a tree ensemble's nodes are laid out and walked. Both layouts give XGBoost's result bit for bit: a split
 * sends a value left when it is below the threshold, a missing value (NaN) the node's default way, and leaf
 * values are added to the base margin in float, one tree after another, as XGBoost's predictor does.
 */
interface TreeLayout {

    /** The float margin of the row starting at {@code values[offset]}. */
    float margin(float[] values, int offset, float baseMargin);

    /** Margins of {@code rows} rows of {@code columns} values each, written to {@code out} as floats. */
    void margins(float[] values, int rows, int columns, float baseMargin, double[] out);

    /** A short name for benchmarks and logs. */
    String name();
}
