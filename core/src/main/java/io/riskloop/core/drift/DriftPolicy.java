package io.riskloop.core.drift;

import java.util.Objects;

/**
 * Which drift test runs on which column, and when a result counts as drift. The defaults (see {@link Builder}, and
 * docs/drift.md for the reasons) follow common practice: on small live samples, significance tests (Kolmogorov-Smirnov
 * for continuous features, chi-squared for categorical and binary ones); on large samples, where any tiny difference
 * becomes significant, distances with fixed thresholds (Wasserstein normalised by the reference's standard deviation,
 * Jensen-Shannon); PSI for the score, as credit scorecards have long monitored theirs.
 *
 * @param smallSampleLimit       live values at or below which the small-sample tests apply
 * @param continuousSmall        test for continuous features on small live samples
 * @param continuousLarge        test for continuous features on large live samples
 * @param categoricalSmall       test for categorical and binary features on small live samples
 * @param categoricalLarge       test for categorical and binary features on large live samples
 * @param predictionTest         test for the model's score (prediction drift)
 * @param psiThreshold           PSI at or above which a column has drifted
 * @param ksAlpha                Kolmogorov-Smirnov p-value below which a column has drifted
 * @param chiSquaredAlpha        chi-squared p-value below which a column has drifted
 * @param jensenShannonThreshold Jensen-Shannon distance (base 2) at or above which a column has drifted
 * @param wassersteinThreshold   normalised Wasserstein distance at or above which a column has drifted
 * @param bins                   bins at the reference's quantiles for PSI and Jensen-Shannon on continuous columns
 * @param psiEpsilon             share put in place of an empty bin's 0 in PSI
 * @param datasetDriftShare      share of tested features that must drift for the dataset to count as drifted
 */
public record DriftPolicy(int smallSampleLimit, DriftTest continuousSmall, DriftTest continuousLarge,
                          DriftTest categoricalSmall, DriftTest categoricalLarge, DriftTest predictionTest,
                          double psiThreshold, double ksAlpha, double chiSquaredAlpha, double jensenShannonThreshold,
                          double wassersteinThreshold, int bins, double psiEpsilon, double datasetDriftShare) {

    public DriftPolicy {
        if (smallSampleLimit < 0) {
            throw new IllegalArgumentException("smallSampleLimit must be >= 0, got " + smallSampleLimit);
        }
        Objects.requireNonNull(categoricalSmall, "categoricalSmall");
        Objects.requireNonNull(categoricalLarge, "categoricalLarge");
        continuousTest("continuousSmall", continuousSmall);
        continuousTest("continuousLarge", continuousLarge);
        continuousTest("predictionTest", predictionTest);
        positiveBelow("psiThreshold", psiThreshold, Double.POSITIVE_INFINITY);
        positiveBelow("ksAlpha", ksAlpha, 1);
        positiveBelow("chiSquaredAlpha", chiSquaredAlpha, 1);
        if (!(jensenShannonThreshold > 0 && jensenShannonThreshold <= 1)) {
            throw new IllegalArgumentException("jensenShannonThreshold must be in (0, 1], got " + jensenShannonThreshold);
        }
        positiveBelow("wassersteinThreshold", wassersteinThreshold, Double.POSITIVE_INFINITY);
        if (bins < 2 || bins > 100) {
            throw new IllegalArgumentException("bins must be in [2, 100], got " + bins);
        }
        if (!(psiEpsilon > 0 && psiEpsilon <= 0.01)) {
            throw new IllegalArgumentException("psiEpsilon must be in (0, 0.01], got " + psiEpsilon);
        }
        if (!(datasetDriftShare > 0 && datasetDriftShare <= 1)) {
            throw new IllegalArgumentException("datasetDriftShare must be in (0, 1], got " + datasetDriftShare);
        }
    }

    private static void positiveBelow(String name, double v, double max) {
        if (!(v > 0 && v < max)) {
            throw new IllegalArgumentException(name + " must be in (0, " + (max == 1 ? "1" : "infinity") + "), got " + v);
        }
    }

    private static void continuousTest(String name, DriftTest t) {
        Objects.requireNonNull(t, name);
        if (t == DriftTest.CHI_SQUARED) {
            throw new IllegalArgumentException(name + " cannot be CHI_SQUARED: continuous columns have no counts per"
                    + " value; use KOLMOGOROV_SMIRNOV, PSI, JENSEN_SHANNON or WASSERSTEIN");
        }
    }

    /** The defaults of {@link Builder}. */
    public static DriftPolicy defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The test for a feature of this kind with this many live values. */
    public DriftTest testFor(FeatureKind kind, long liveValues) {
        boolean small = liveValues <= smallSampleLimit;
        return kind.counted() ? (small ? categoricalSmall : categoricalLarge)
                : (small ? continuousSmall : continuousLarge);
    }

    /** The threshold that applies to a test's result. */
    public double threshold(DriftTest test) {
        return switch (test) {
            case PSI -> psiThreshold;
            case KOLMOGOROV_SMIRNOV -> ksAlpha;
            case CHI_SQUARED -> chiSquaredAlpha;
            case JENSEN_SHANNON -> jensenShannonThreshold;
            case WASSERSTEIN -> wassersteinThreshold;
        };
    }

    /**
     * Compares a live window with the reference profile it was made for.
     *
     * @throws IllegalArgumentException when the window was made for a profile with other features
     * @throws IllegalStateException    when the window is empty
     */
    public DriftReport assess(ReferenceProfile reference, LiveWindow window) {
        return DriftAssessment.assess(this, reference, window);
    }

    /** Settings of a policy, each starting at its default. */
    public static final class Builder {

        private int smallSampleLimit = 1_000;
        private DriftTest continuousSmall = DriftTest.KOLMOGOROV_SMIRNOV;
        private DriftTest continuousLarge = DriftTest.WASSERSTEIN;
        private DriftTest categoricalSmall = DriftTest.CHI_SQUARED;
        private DriftTest categoricalLarge = DriftTest.JENSEN_SHANNON;
        private DriftTest predictionTest = DriftTest.PSI;
        private double psiThreshold = 0.2;
        private double ksAlpha = 0.05;
        private double chiSquaredAlpha = 0.05;
        private double jensenShannonThreshold = 0.1;
        private double wassersteinThreshold = 0.1;
        private int bins = 10;
        private double psiEpsilon = 1e-4;
        private double datasetDriftShare = 0.5;

        private Builder() {
        }

        /** Live values at or below which the small-sample tests apply (default 1,000). */
        public Builder smallSampleLimit(int n) {
            smallSampleLimit = n;
            return this;
        }

        /** Tests for continuous features on small and large samples (default Kolmogorov-Smirnov, Wasserstein). */
        public Builder continuous(DriftTest small, DriftTest large) {
            continuousSmall = small;
            continuousLarge = large;
            return this;
        }

        /** Tests for categorical and binary features on small and large samples (default chi-squared, Jensen-Shannon). */
        public Builder categorical(DriftTest small, DriftTest large) {
            categoricalSmall = small;
            categoricalLarge = large;
            return this;
        }

        /** Test for the score (default PSI). */
        public Builder predictionTest(DriftTest t) {
            predictionTest = t;
            return this;
        }

        /** PSI at or above which a column has drifted (default 0.2, "significant shift" in scorecard practice). */
        public Builder psiThreshold(double v) {
            psiThreshold = v;
            return this;
        }

        /** Kolmogorov-Smirnov significance level (default 0.05). */
        public Builder ksAlpha(double v) {
            ksAlpha = v;
            return this;
        }

        /** Chi-squared significance level (default 0.05). */
        public Builder chiSquaredAlpha(double v) {
            chiSquaredAlpha = v;
            return this;
        }

        /** Jensen-Shannon distance threshold, base 2, in (0, 1] (default 0.1). */
        public Builder jensenShannonThreshold(double v) {
            jensenShannonThreshold = v;
            return this;
        }

        /** Threshold on the Wasserstein distance in reference standard deviations (default 0.1). */
        public Builder wassersteinThreshold(double v) {
            wassersteinThreshold = v;
            return this;
        }

        /** Quantile bins for PSI and Jensen-Shannon on continuous columns, in [2, 100] (default 10). */
        public Builder bins(int n) {
            bins = n;
            return this;
        }

        /** Share used in PSI for an empty bin, in (0, 0.01] (default 0.0001). */
        public Builder psiEpsilon(double v) {
            psiEpsilon = v;
            return this;
        }

        /** Share of tested features that must drift for dataset drift, in (0, 1] (default 0.5). */
        public Builder datasetDriftShare(double v) {
            datasetDriftShare = v;
            return this;
        }

        public DriftPolicy build() {
            return new DriftPolicy(smallSampleLimit, continuousSmall, continuousLarge, categoricalSmall,
                    categoricalLarge, predictionTest, psiThreshold, ksAlpha, chiSquaredAlpha, jensenShannonThreshold,
                    wassersteinThreshold, bins, psiEpsilon, datasetDriftShare);
        }
    }
}
