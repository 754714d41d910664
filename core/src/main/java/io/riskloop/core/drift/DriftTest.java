package io.riskloop.core.drift;

/** The drift tests riskloop runs; docs/drift.md gives each one's formula and default threshold. */
public enum DriftTest {
    /** Population stability index on bins at the reference's quantiles (or per category); drift when at or above the threshold. */
    PSI(false),
    /** Two-sample Kolmogorov-Smirnov test on the reservoir samples; drift when the p-value is below the threshold. */
    KOLMOGOROV_SMIRNOV(true),
    /** Chi-squared test of homogeneity on the counts per category; drift when the p-value is below the threshold. */
    CHI_SQUARED(true),
    /** Jensen-Shannon distance (base 2, in [0, 1]) on the same bins as PSI; drift when at or above the threshold. */
    JENSEN_SHANNON(false),
    /** Wasserstein-1 distance divided by the reference's standard deviation; drift when at or above the threshold. */
    WASSERSTEIN(false);

    private final boolean significance;

    DriftTest(boolean significance) {
        this.significance = significance;
    }

    /** True for the tests whose threshold is a significance level on a p-value, false for distances. */
    public boolean hasPValue() {
        return significance;
    }
}
