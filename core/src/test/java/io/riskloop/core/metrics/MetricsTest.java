package io.riskloop.core.metrics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    private static final double EPS = 1e-12;

    // scikit-learn's documentation example (roc_auc_score, average_precision_score, roc_curve)
    private static final double[] SK_SCORES = {0.1, 0.4, 0.35, 0.8};
    private static final boolean[] SK_FRAUD = {false, false, true, true};

    // ---- ROC AUC -------------------------------------------------------------------------------------------

    @Test
    void rocAucMatchesTheScikitLearnDocumentationExample() {
        assertThat(Metrics.rocAuc(SK_SCORES, SK_FRAUD)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void rocAucIsOneHalfWhenEveryScoreIsEqual() {
        double[] scores = {0.3, 0.3, 0.3, 0.3, 0.3};
        boolean[] fraud = {true, false, false, true, false};
        assertThat(Metrics.rocAuc(scores, fraud)).isCloseTo(0.5, within(EPS));
    }

    @Test
    void rocAucCountsTiedPairsAsOneHalf() {
        // frauds score {0.9, 0.5, 0.1}, genuine {0.9, 0.5}; the six (fraud, genuine) pairs:
        // (0.9,0.9)=1/2 (0.9,0.5)=1 (0.5,0.9)=0 (0.5,0.5)=1/2 (0.1,0.9)=0 (0.1,0.5)=0 -> 2/6
        double[] scores = {0.9, 0.9, 0.5, 0.5, 0.1};
        boolean[] fraud = {true, false, true, false, true};
        assertThat(Metrics.rocAuc(scores, fraud)).isCloseTo(1.0 / 3, within(EPS));
    }

    @Test
    void rocAucIsOneForAPerfectRankingAndZeroForAReversedOne() {
        double[] scores = {0.1, 0.2, 0.8, 0.9};
        assertThat(Metrics.rocAuc(scores, new boolean[] {false, false, true, true})).isEqualTo(1.0);
        assertThat(Metrics.rocAuc(scores, new boolean[] {true, true, false, false})).isEqualTo(0.0);
    }

    @Test
    void rocAucIsNaNWhenAClassIsAbsent() {
        double[] scores = {0.1, 0.5, 0.9};
        assertThat(Metrics.rocAuc(scores, new boolean[] {false, false, false})).isNaN();
        assertThat(Metrics.rocAuc(scores, new boolean[] {true, true, true})).isNaN();
        assertThat(Metrics.rocAuc(new double[0], new boolean[0])).isNaN();
    }

    @Property
    void rocAucEqualsTheShareOfCorrectlyOrderedFraudGenuinePairs(@ForAll("rows") List<Row> rows) {
        Sample s = Sample.of(rows);
        assertThat(Metrics.rocAuc(s.scores, s.fraud)).isCloseTo(bruteForceAuc(rows), within(EPS));
    }

    // ---- average precision ---------------------------------------------------------------------------------

    @Test
    void averagePrecisionMatchesTheScikitLearnDocumentationExample() {
        // thresholds 0.8: P=1 R=1/2; 0.4: P=1/2 R=1/2; 0.35: P=2/3 R=1; 0.1: P=1/2 R=1
        // AP = 1/2*1 + 0 + 1/2*2/3 + 0 = 5/6
        assertThat(Metrics.averagePrecision(SK_SCORES, SK_FRAUD)).isCloseTo(5.0 / 6, within(EPS));
    }

    @Test
    void averagePrecisionLetsTransactionsTiedAtAThresholdEnterTogether() {
        // 3 frauds. Threshold 0.9: {F,G} tp=1 -> R=1/3, P=1/2, adds 1/3*1/2 = 1/6
        //           threshold 0.5: {F,G} more, tp=2 of 4 -> R=2/3, P=1/2, adds 1/3*1/2 = 1/6
        //           threshold 0.1: {F} more, tp=3 of 5 -> R=1, P=3/5, adds 1/3*3/5 = 1/5
        // AP = 1/6 + 1/6 + 1/5 = 8/15. Entering ties one by one (fraud first) would give 1/3+1/3*2/3+1/5.
        double[] scores = {0.9, 0.9, 0.5, 0.5, 0.1};
        boolean[] fraud = {true, false, true, false, true};
        assertThat(Metrics.averagePrecision(scores, fraud)).isCloseTo(8.0 / 15, within(EPS));
    }

    @Test
    void averagePrecisionIsTheFraudRateWhenEveryScoreIsEqual() {
        // one threshold: R goes 0 -> 1 at precision 2/5
        double[] scores = {0.7, 0.7, 0.7, 0.7, 0.7};
        boolean[] fraud = {true, false, false, true, false};
        assertThat(Metrics.averagePrecision(scores, fraud)).isCloseTo(0.4, within(EPS));
    }

    @Test
    void averagePrecisionIsOneWhenEveryTransactionIsFraud() {
        assertThat(Metrics.averagePrecision(new double[] {0.1, 0.2}, new boolean[] {true, true}))
                .isCloseTo(1.0, within(EPS));
    }

    @Test
    void averagePrecisionIsNaNWithoutFrauds() {
        assertThat(Metrics.averagePrecision(new double[] {0.1, 0.9}, new boolean[] {false, false})).isNaN();
        assertThat(Metrics.averagePrecision(new double[0], new boolean[0])).isNaN();
    }

    @Property
    void averagePrecisionEqualsTheSumOverDistinctThresholdsOfRecallGainTimesPrecision(
            @ForAll("rows") List<Row> rows) {
        Sample s = Sample.of(rows);
        double expected = bruteForceAveragePrecision(rows);
        if (Double.isNaN(expected)) {
            assertThat(Metrics.averagePrecision(s.scores, s.fraud)).isNaN();
        } else {
            assertThat(Metrics.averagePrecision(s.scores, s.fraud)).isCloseTo(expected, within(EPS));
        }
    }

    // ---- counts at a threshold -----------------------------------------------------------------------------

    @Test
    void atThresholdFlagsScoresAtOrAboveTheThreshold() {
        ThresholdMetrics m = Metrics.atThreshold(SK_SCORES, SK_FRAUD, 0.4);
        // flagged: 0.4 (genuine), 0.8 (fraud); not flagged: 0.1 (genuine), 0.35 (fraud)
        assertThat(m.threshold()).isEqualTo(0.4);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.falsePositives()).isEqualTo(1);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.trueNegatives()).isEqualTo(1);
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.f1()).isEqualTo(0.5);
    }

    @Property
    void atThresholdCountsAgreeWithCountingByHand(@ForAll("rows") List<Row> rows,
                                                  @ForAll("thresholds") double threshold) {
        Sample s = Sample.of(rows);
        long tp = rows.stream().filter(r -> r.fraud && r.score >= threshold).count();
        long fp = rows.stream().filter(r -> !r.fraud && r.score >= threshold).count();
        long fn = rows.stream().filter(r -> r.fraud && r.score < threshold).count();
        long tn = rows.stream().filter(r -> !r.fraud && r.score < threshold).count();
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);

        ThresholdMetrics m = Metrics.atThreshold(s.scores, s.fraud, threshold);

        assertThat(new long[] {m.truePositives(), m.falsePositives(), m.falseNegatives(), m.trueNegatives()})
                .containsExactly(tp, fp, fn, tn);
        assertThat(m.precision()).isCloseTo(precision, within(EPS));
        assertThat(m.recall()).isCloseTo(recall, within(EPS));
        assertThat(m.f1()).isCloseTo(f1, within(EPS));
    }

    // ---- cheapest threshold --------------------------------------------------------------------------------

    @Test
    void minimiseCostFindsTheCheapestThresholdInASmallExample() {
        double[] scores = {0.9, 0.8, 0.3};
        boolean[] fraud = {true, false, true};
        double[] amounts = {100, 50, 5};
        // flag nothing: 105; >=0.9: 5 + 1*10 = 15; >=0.8: 5 + 2*10 = 25; >=0.3: 0 + 3*10 = 30
        CostThreshold best = Metrics.minimiseCost(scores, fraud, amounts, 10);
        assertThat(best.threshold()).isEqualTo(0.9);
        assertThat(best.cost()).isCloseTo(15, within(EPS));
        assertThat(best.reviewCost()).isEqualTo(10);
    }

    @Test
    void minimiseCostFlagsNothingWhenReviewsCostMoreThanTheFraudsThemselves() {
        double[] scores = {0.9, 0.8, 0.3};
        boolean[] fraud = {true, false, true};
        double[] amounts = {100, 50, 5};
        CostThreshold best = Metrics.minimiseCost(scores, fraud, amounts, 1000);
        assertThat(best.threshold()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(best.cost()).isCloseTo(105, within(EPS));
    }

    @Test
    void minimiseCostTreatsTiedScoresAsOneCandidate() {
        // The fraud and the genuine transaction at 0.5 cannot be separated: flagging the fraud flags both.
        double[] scores = {0.5, 0.5, 0.1};
        boolean[] fraud = {true, false, false};
        double[] amounts = {30, 1, 1};
        // flag nothing: 30; >=0.5: 0 + 2*12 = 24; >=0.1: 0 + 3*12 = 36
        CostThreshold best = Metrics.minimiseCost(scores, fraud, amounts, 12);
        assertThat(best.threshold()).isEqualTo(0.5);
        assertThat(best.cost()).isCloseTo(24, within(EPS));
    }

    @Test
    void minimiseCostPrefersTheHigherThresholdWhenCostsTie() {
        // flag nothing: 10; >=0.9: 0 + 1*10 = 10 -> equal, the fewer reviews win; >=0.2: 20
        CostThreshold best = Metrics.minimiseCost(new double[] {0.9, 0.2}, new boolean[] {true, false},
                new double[] {10, 7}, 10);
        assertThat(best.threshold()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(best.cost()).isEqualTo(10);
    }

    @Test
    void minimiseCostRejectsAmountsOfAnotherLength() {
        assertThatThrownBy(() -> Metrics.minimiseCost(new double[] {0.1, 0.2}, new boolean[] {true, false},
                new double[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amounts");
    }

    @Property
    void minimiseCostEqualsTheMinimumOverAllCandidateThresholds(@ForAll("rows") List<Row> rows,
                                                                @ForAll("reviewCosts") double reviewCost) {
        Sample s = Sample.of(rows);
        double[] candidates = candidateThresholds(rows);
        double min = Arrays.stream(candidates).map(t -> bruteForceCost(rows, t, reviewCost)).min().orElseThrow();

        CostThreshold best = Metrics.minimiseCost(s.scores, s.fraud, s.amounts, reviewCost);

        assertThat(best.cost()).isCloseTo(min, within(1e-6));
        assertThat(candidates).contains(best.threshold());
        assertThat(bruteForceCost(rows, best.threshold(), reviewCost)).isCloseTo(best.cost(), within(1e-6));
        assertThat(best.reviewCost()).isEqualTo(reviewCost);
    }

    // ---- curves --------------------------------------------------------------------------------------------

    @Test
    void rocCurveMatchesScikitLearnWithoutDroppedPoints() {
        // sklearn roc_curve(drop_intermediate=False): fpr [0,0,.5,.5,1], tpr [0,.5,.5,1,1]
        double[][] roc = Metrics.rocCurve(SK_SCORES, SK_FRAUD);
        assertThat(roc[0]).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc[1]).containsExactly(0, 0.5, 0.5, 1, 1);
    }

    @Test
    void precisionRecallCurveHasOnePointPerDistinctThreshold() {
        // thresholds 0.8, 0.4, 0.35, 0.1 -> (recall, precision) (.5,1) (.5,.5) (1,2/3) (1,.5)
        double[][] pr = Metrics.precisionRecallCurve(SK_SCORES, SK_FRAUD);
        assertThat(pr[0]).containsExactly(0.5, 0.5, 1, 1);
        assertThat(pr[1]).containsExactly(new double[] {1, 0.5, 2.0 / 3, 0.5}, within(EPS));
    }

    @Test
    void rocCurveHasASinglePointForTiedScores() {
        double[][] roc = Metrics.rocCurve(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false});
        assertThat(roc[0]).containsExactly(0, 1);
        assertThat(roc[1]).containsExactly(0, 1);
    }

    // ---- input checks --------------------------------------------------------------------------------------

    @Test
    void rejectsLabelsOfAnotherLength() {
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 vs 1");
    }

    @Test
    void rejectsNaNScores() {
        double[] scores = {0.1, Double.NaN};
        boolean[] fraud = {true, false};
        assertThatThrownBy(() -> Metrics.averagePrecision(scores, fraud))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> Metrics.rocAuc(scores, fraud)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.atThreshold(scores, fraud, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- generators ----------------------------------------------------------------------------------------

    record Row(double score, boolean fraud, double amount) {
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        // few distinct scores, so that ties are frequent
        Arbitrary<Double> score = Arbitraries.of(-1.5, 0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0);
        Arbitrary<Boolean> fraud = Arbitraries.of(true, false);
        Arbitrary<Double> amount = Arbitraries.integers().between(0, 100_000).map(cents -> cents / 100.0);
        return Combinators.combine(score, fraud, amount).as(Row::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Double> thresholds() {
        return Arbitraries.of(Double.NEGATIVE_INFINITY, -1.5, 0.0, 0.1, 0.3, 0.5, 0.75, 1.0, 1.5,
                Double.POSITIVE_INFINITY);
    }

    @Provide
    Arbitrary<Double> reviewCosts() {
        return Arbitraries.integers().between(0, 20_000).map(cents -> cents / 100.0);
    }

    private record Sample(double[] scores, boolean[] fraud, double[] amounts) {
        static Sample of(List<Row> rows) {
            double[] scores = rows.stream().mapToDouble(Row::score).toArray();
            double[] amounts = rows.stream().mapToDouble(Row::amount).toArray();
            boolean[] fraud = new boolean[rows.size()];
            for (int i = 0; i < fraud.length; i++) {
                fraud[i] = rows.get(i).fraud();
            }
            return new Sample(scores, fraud, amounts);
        }
    }

    // ---- definitions, written the slow and obvious way -----------------------------------------------------

    /** Fraction of (fraud, genuine) pairs in which the fraud scores higher, ties counting 1/2. */
    static double bruteForceAuc(List<Row> rows) {
        double wins = 0;
        long pairs = 0;
        for (Row f : rows) {
            for (Row g : rows) {
                if (f.fraud && !g.fraud) {
                    pairs++;
                    if (f.score > g.score) {
                        wins += 1;
                    } else if (f.score == g.score) {
                        wins += 0.5;
                    }
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    /** Sum over distinct thresholds t, highest first, of (R(t) - R(previous t)) * P(t), counting score >= t. */
    static double bruteForceAveragePrecision(List<Row> rows) {
        long positives = rows.stream().filter(Row::fraud).count();
        if (positives == 0) {
            return Double.NaN;
        }
        double[] thresholds = rows.stream().mapToDouble(Row::score).distinct().sorted().toArray();
        double ap = 0;
        double previousRecall = 0;
        for (int i = thresholds.length - 1; i >= 0; i--) {
            double t = thresholds[i];
            long flagged = rows.stream().filter(r -> r.score >= t).count();
            long tp = rows.stream().filter(r -> r.fraud && r.score >= t).count();
            double recall = tp / (double) positives;
            double precision = tp / (double) flagged;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /** Each distinct score, plus +infinity (flag nothing). */
    static double[] candidateThresholds(List<Row> rows) {
        double[] scores = rows.stream().mapToDouble(Row::score).distinct().toArray();
        double[] candidates = Arrays.copyOf(scores, scores.length + 1);
        candidates[scores.length] = Double.POSITIVE_INFINITY;
        return candidates;
    }

    /** Missed fraud amounts (score below t) plus one review per flagged transaction (score at or above t). */
    static double bruteForceCost(List<Row> rows, double t, double reviewCost) {
        double missed = rows.stream().filter(r -> r.fraud && r.score < t).mapToDouble(Row::amount).sum();
        long flagged = rows.stream().filter(r -> r.score >= t).count();
        return missed + reviewCost * flagged;
    }
}
