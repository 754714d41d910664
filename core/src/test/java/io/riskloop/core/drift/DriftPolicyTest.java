package io.riskloop.core.drift;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drift verdicts on seeded data: the same distribution passes, shifted ones are caught. */
class DriftPolicyTest {

    private static final int REF_ROWS = 20_000;
    private static final List<String> NAMES = List.of("amount", "channel", "flag");
    private static final ReferenceProfile REFERENCE = ReferenceProfile.builder().modelVersion("fraud-xgb/7").build(
            DriftData.matrix(NAMES, DriftData.normal(1, REF_ROWS, 0, 1),
                    DriftData.categorical(2, REF_ROWS, 0.5, 0.3, 0.2), DriftData.categorical(3, REF_ROWS, 0.9, 0.1)),
            DriftData.toDouble(DriftData.normal(4, REF_ROWS, 0.3, 0.1)));
    private static final DriftPolicy POLICY = DriftPolicy.defaults();

    @Test
    void theKindsAreInferredAsTheTestsBelowExpect() {
        assertThat(REFERENCE.features()).extracting(ColumnProfile::kind)
                .containsExactly(FeatureKind.CONTINUOUS, FeatureKind.CATEGORICAL, FeatureKind.BINARY);
    }

    @Test
    void theSameDistributionIsRarelyFlaggedOnSmallSamples() {
        // twenty independent live samples of 500 from the reference's distributions: at a 5% level about one
        // false alarm per feature is expected; more than four would mean the tests are not calibrated
        int[] alarms = new int[3];
        for (int s = 0; s < 20; s++) {
            DriftReport r = POLICY.assess(REFERENCE, window(500, 100 + s, 0, 1, new double[] {0.5, 0.3, 0.2},
                    new double[] {0.9, 0.1}, 0.3));
            assertThat(r.features()).extracting(DriftResult::test).containsExactly(DriftTest.KOLMOGOROV_SMIRNOV,
                    DriftTest.CHI_SQUARED, DriftTest.CHI_SQUARED);
            for (int f = 0; f < 3; f++) {
                alarms[f] += r.features().get(f).drifted() ? 1 : 0;
            }
            assertThat(r.prediction().drifted()).isFalse();
        }
        assertThat(java.util.Arrays.stream(alarms).max().orElseThrow()).isLessThanOrEqualTo(4);
    }

    @Test
    void theSameDistributionIsNotFlaggedOnLargeSamples() {
        DriftReport r = POLICY.assess(REFERENCE, window(8_000, 200, 0, 1, new double[] {0.5, 0.3, 0.2},
                new double[] {0.9, 0.1}, 0.3));
        assertThat(r.features()).extracting(DriftResult::test).containsExactly(DriftTest.WASSERSTEIN,
                DriftTest.JENSEN_SHANNON, DriftTest.JENSEN_SHANNON);
        assertThat(r.features()).noneMatch(DriftResult::drifted);
        assertThat(r.features()).allSatisfy(f -> assertThat(f.statistic()).isLessThan(f.threshold() / 2));
        assertThat(r.prediction().test()).isEqualTo(DriftTest.PSI);
        assertThat(r.prediction().statistic()).isLessThan(0.05);
        assertThat(r.prediction().drifted()).isFalse();
        assertThat(r.datasetDrift()).isFalse();
        assertThat(r.driftedShare()).isZero();
    }

    @Test
    void aHalfSigmaMeanShiftIsFlaggedBySmallAndLargeSampleTests() {
        DriftResult small = POLICY.assess(REFERENCE, window(500, 300, 0.5, 1, null, null, 0.3)).feature("amount");
        assertThat(small.test()).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
        assertThat(small.pValue()).isLessThan(1e-6);
        assertThat(small.drifted()).isTrue();
        DriftResult large = POLICY.assess(REFERENCE, window(8_000, 301, 0.5, 1, null, null, 0.3)).feature("amount");
        assertThat(large.test()).isEqualTo(DriftTest.WASSERSTEIN);
        // W1 between N(0, 1) and N(0.5, 1) is 0.5 standard deviations
        assertThat(large.statistic()).isBetween(0.4, 0.6);
        assertThat(large.drifted()).isTrue();
    }

    @Test
    void aScaleChangeIsFlagged() {
        DriftResult small = POLICY.assess(REFERENCE, window(500, 400, 0, 1.5, null, null, 0.3)).feature("amount");
        assertThat(small.drifted()).isTrue();
        DriftResult large = POLICY.assess(REFERENCE, window(8_000, 401, 0, 1.5, null, null, 0.3)).feature("amount");
        // W1 between N(0, 1) and N(0, 1.5^2) is 0.5 * E|Z| = 0.5 * sqrt(2 / pi), about 0.40
        assertThat(large.statistic()).isBetween(0.3, 0.5);
        assertThat(large.drifted()).isTrue();
    }

    @Test
    void aNewCategoryIsFlagged() {
        double[] withNew = {0.4, 0.24, 0.16, 0.2};
        DriftResult small = POLICY.assess(REFERENCE, window(500, 500, 0, 1, withNew, null, 0.3)).feature("channel");
        assertThat(small.test()).isEqualTo(DriftTest.CHI_SQUARED);
        assertThat(small.drifted()).isTrue();
        assertThat(small.histogram().bins()).containsExactly("0", "1", "2", "3");
        assertThat(small.histogram().reference().get(3)).isZero();
        DriftResult large = POLICY.assess(REFERENCE, window(8_000, 501, 0, 1, withNew, null, 0.3)).feature("channel");
        assertThat(large.test()).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(large.statistic()).isBetween(0.25, 0.4);
        assertThat(large.drifted()).isTrue();
    }

    @Test
    void aBinaryFeaturesChangedProportionIsFlagged() {
        double[] more = {0.7, 0.3};
        assertThat(POLICY.assess(REFERENCE, window(500, 600, 0, 1, null, more, 0.3)).feature("flag").drifted()).isTrue();
        assertThat(POLICY.assess(REFERENCE, window(8_000, 601, 0, 1, null, more, 0.3)).feature("flag").drifted()).isTrue();
    }

    @Test
    void aShiftedScoreIsPredictionDrift() {
        DriftReport r = POLICY.assess(REFERENCE, window(5_000, 700, 0, 1, null, null, 0.4));
        assertThat(r.prediction().test()).isEqualTo(DriftTest.PSI);
        assertThat(r.prediction().statistic()).isGreaterThan(0.5);
        assertThat(r.prediction().drifted()).isTrue();
        assertThat(r.datasetDrift()).isFalse();
    }

    @Test
    void psiCanBeChosenForFeatures() {
        DriftPolicy psi = DriftPolicy.builder().continuous(DriftTest.PSI, DriftTest.PSI).build();
        DriftResult same = psi.assess(REFERENCE, window(5_000, 800, 0, 1, null, null, 0.3)).feature("amount");
        DriftResult shifted = psi.assess(REFERENCE, window(5_000, 801, 1, 1, null, null, 0.3)).feature("amount");
        assertThat(same.test()).isEqualTo(DriftTest.PSI);
        assertThat(same.histogram().bins()).hasSize(10);
        assertThat(same.histogram().reference()).allSatisfy(s -> assertThat(s).isBetween(0.08, 0.12));
        assertThat(same.drifted()).isFalse();
        assertThat(shifted.drifted()).isTrue();
    }

    @Test
    void datasetDriftNeedsTheConfiguredShareOfFeatures() {
        List<String> names = List.of("a", "b", "c", "d");
        int n = 10_000;
        ReferenceProfile ref = ReferenceProfile.builder().build(DriftData.matrix(names, DriftData.normal(1, n, 0, 1),
                DriftData.normal(2, n, 0, 1), DriftData.normal(3, n, 0, 1), DriftData.normal(4, n, 0, 1)), new double[n]);
        DriftReport half = DriftPolicy.defaults().assess(ref, shiftedWindow(ref, 2));
        assertThat(half.testedFeatures()).isEqualTo(4);
        assertThat(half.driftedFeatures()).isEqualTo(2);
        assertThat(half.driftedShare()).isEqualTo(0.5);
        assertThat(half.datasetDrift()).isTrue();
        DriftReport quarter = DriftPolicy.defaults().assess(ref, shiftedWindow(ref, 1));
        assertThat(quarter.driftedShare()).isEqualTo(0.25);
        assertThat(quarter.datasetDrift()).isFalse();
        assertThat(DriftPolicy.builder().datasetDriftShare(0.25).build().assess(ref, shiftedWindow(ref, 1))
                .datasetDrift()).isTrue();
    }

    @Test
    void aFeatureMissingInTheWindowIsReportedButNotTested() {
        LiveWindow w = LiveWindow.of(REFERENCE);
        float[] amount = DriftData.normal(900, 2_000, 0, 1);
        for (int i = 0; i < amount.length; i++) {
            w.add(new float[] {amount[i], Float.NaN, 0}, 0.3, DriftData.T0.plusSeconds(i));
        }
        DriftReport r = POLICY.assess(REFERENCE, w);
        DriftResult channel = r.feature("channel");
        assertThat(channel.statistic()).isNaN();
        assertThat(channel.drifted()).isFalse();
        assertThat(channel.liveMissingShare()).isEqualTo(1.0);
        assertThat(r.testedFeatures()).isEqualTo(2);
        assertThat(r.liveRows()).isEqualTo(2_000);
        assertThat(r.from()).isEqualTo(DriftData.T0);
        assertThat(r.to()).isEqualTo(DriftData.T0.plusSeconds(1_999));
        assertThat(r.modelVersion()).isEqualTo("fraud-xgb/7");
        assertThat(r.referenceRows()).isEqualTo(REF_ROWS);
    }

    @Test
    void binLabelsAreShortButTellEveryEdgeApart() {
        assertThat(DriftAssessment.edgeLabels(new float[] {5.738577f, 8.747873f, 1234567f, 0.000123456f}))
                .containsExactly("5.739", "8.748", "1235000", "0.0001235");
        assertThat(DriftAssessment.edgeLabels(new float[] {1.00001f, 1.00002f})).containsExactly("1.00001", "1.00002");
    }

    @Test
    void theTestDependsOnTheKindAndTheLiveSampleSize() {
        assertThat(POLICY.testFor(FeatureKind.CONTINUOUS, 1_000)).isEqualTo(DriftTest.KOLMOGOROV_SMIRNOV);
        assertThat(POLICY.testFor(FeatureKind.CONTINUOUS, 1_001)).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(POLICY.testFor(FeatureKind.BINARY, 10)).isEqualTo(DriftTest.CHI_SQUARED);
        assertThat(POLICY.testFor(FeatureKind.CATEGORICAL, 5_000)).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(POLICY.threshold(DriftTest.PSI)).isEqualTo(0.2);
        assertThat(POLICY.threshold(DriftTest.KOLMOGOROV_SMIRNOV)).isEqualTo(0.05);
    }

    @Test
    void badSettingsFailAtOnceNamingTheSetting() {
        assertThatThrownBy(() -> DriftPolicy.builder().continuous(DriftTest.CHI_SQUARED, DriftTest.PSI).build())
                .hasMessageContaining("continuousSmall cannot be CHI_SQUARED");
        assertThatThrownBy(() -> DriftPolicy.builder().ksAlpha(1.5).build())
                .hasMessageContaining("ksAlpha").hasMessageContaining("1.5");
        assertThatThrownBy(() -> DriftPolicy.builder().jensenShannonThreshold(0).build())
                .hasMessageContaining("jensenShannonThreshold must be in (0, 1]");
        assertThatThrownBy(() -> DriftPolicy.builder().bins(1).build()).hasMessageContaining("bins");
        assertThatThrownBy(() -> DriftPolicy.builder().datasetDriftShare(0).build())
                .hasMessageContaining("datasetDriftShare");
    }

    @Test
    void aWindowIsComparedOnlyWithItsOwnKindOfProfile() {
        ReferenceProfile other = ReferenceProfile.builder().modelVersion("other/1").build(
                DriftData.matrix(List.of("x"), DriftData.normal(1, 100, 0, 1)), new double[100]);
        assertThatThrownBy(() -> POLICY.assess(REFERENCE, LiveWindow.of(other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other/1")
                .hasMessageContaining("fraud-xgb/7");
        assertThatThrownBy(() -> POLICY.assess(REFERENCE, LiveWindow.of(REFERENCE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }

    /** A live window of n rows: amount N(mean, sd^2), channel and flag by the given probabilities, scores N(score, 0.1^2). */
    private static LiveWindow window(int n, long seed, double mean, double sd, double[] channel, double[] flag,
                                     double score) {
        float[] a = DriftData.normal(seed, n, mean, sd);
        float[] c = DriftData.categorical(seed + 1, n, channel == null ? new double[] {0.5, 0.3, 0.2} : channel);
        float[] f = DriftData.categorical(seed + 2, n, flag == null ? new double[] {0.9, 0.1} : flag);
        float[] s = DriftData.normal(seed + 3, n, score, 0.1);
        LiveWindow w = LiveWindow.builder(REFERENCE).size(n).seed(seed).build();
        for (int i = 0; i < n; i++) {
            w.add(new float[] {a[i], c[i], f[i]}, s[i], DriftData.T0.plusSeconds(i));
        }
        return w;
    }

    /** 5,000 rows of four N(0, 1) features, the first {@code shifted} of them moved by one standard deviation. */
    private static LiveWindow shiftedWindow(ReferenceProfile ref, int shifted) {
        int n = 5_000;
        LiveWindow w = LiveWindow.builder(ref).size(n).build();
        float[][] cols = new float[4][];
        for (int c = 0; c < 4; c++) {
            cols[c] = DriftData.normal(50 + c, n, c < shifted ? 1 : 0, 1);
        }
        for (int i = 0; i < n; i++) {
            w.add(new float[] {cols[0][i], cols[1][i], cols[2][i], cols[3][i]}, 0, DriftData.T0);
        }
        return w;
    }
}
