package io.riskloop.core.drift;

/**
 * One column's drift test.
 *
 * @param name                  the feature's name, or "score" for the model's scores
 * @param kind                  the column's kind in the reference
 * @param test                  the test that was run
 * @param statistic             the test's statistic (PSI, D, chi-squared, distance); NaN when either side had no values
 * @param pValue                the p-value for Kolmogorov-Smirnov and chi-squared; NaN for the distances
 * @param threshold             the significance level (p-value tests) or distance at which drift is declared
 * @param drifted               p-value below the threshold, or distance at or above it; false when NaN
 * @param referenceCount        reference values compared (missing ones excluded)
 * @param liveCount             live values compared (missing ones excluded)
 * @param referenceMissingShare share of reference rows with the value missing (reported, not tested)
 * @param liveMissingShare      share of live rows with the value missing (reported, not tested)
 * @param histogram             reference and live shares over the binned tests' bins, for charts
 */
public record DriftResult(String name, FeatureKind kind, DriftTest test, double statistic, double pValue,
                          double threshold, boolean drifted, long referenceCount, long liveCount,
                          double referenceMissingShare, double liveMissingShare, Histogram histogram) {
}
