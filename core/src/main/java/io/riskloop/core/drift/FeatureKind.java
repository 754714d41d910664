package io.riskloop.core.drift;

/**
 * How a feature's values are compared. Inferred from the reference data when a profile is built: a feature whose
 * values are all integers with at most {@value ReferenceProfile#MAX_INFERRED_CATEGORIES} distinct values is
 * categorical, and binary when those values are only 0 and 1; anything else is continuous.
 */
public enum FeatureKind {
    /** Compared through quantiles: bins at the reference's quantiles, samples, the Wasserstein distance. */
    CONTINUOUS,
    /** Compared through exact counts per value. */
    CATEGORICAL,
    /** Categorical with the values 0 and 1 only. */
    BINARY;

    /** Categorical or binary: the kinds with exact counts per value. */
    public boolean counted() {
        return this != CONTINUOUS;
    }
}
