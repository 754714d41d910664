package io.riskloop.model.evaluate;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.metrics.CardPrecision;
import io.riskloop.core.metrics.CostThreshold;
import io.riskloop.core.metrics.Metrics;
import io.riskloop.core.metrics.ThresholdMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's figures on one test set.
 *
 * @param aucRoc              ROC AUC
 * @param averagePrecision    average precision
 * @param cardPrecisionAt100  Card Precision@100, mean over test days
 * @param atHalf              precision, recall and F1 when flagging scores >= 0.5
 * @param cheapest            the cost-minimising threshold (missed fraud costs its amount, a review {@value #REVIEW_COST})
 * @param rows                test rows
 * @param frauds              frauds among them
 */
public record ModelMetrics(double aucRoc, double averagePrecision, double cardPrecisionAt100, ThresholdMetrics atHalf,
                           CostThreshold cheapest, int rows, long frauds) {

    /** Cost of one analyst review, in the transactions' currency, used for the cost-based threshold. */
    public static final double REVIEW_COST = 5.0;
    public static final int CARDS_PER_DAY = 100;

    public static ModelMetrics of(FeatureMatrix test, double[] scores) {
        int n = test.rows();
        boolean[] fraud = new boolean[n];
        long[] day = new long[n];
        String[] card = new String[n];
        double[] amount = new double[n];
        long frauds = 0;
        for (int i = 0; i < n; i++) {
            LabeledTransaction lt = test.source().get(i);
            fraud[i] = lt.fraud();
            frauds += fraud[i] ? 1 : 0;
            day[i] = TimeSplit.day(lt);
            card[i] = lt.transaction().cardId();
            amount[i] = lt.transaction().amount();
        }
        return new ModelMetrics(Metrics.rocAuc(scores, fraud), Metrics.averagePrecision(scores, fraud),
                CardPrecision.atK(day, card, scores, fraud, CARDS_PER_DAY).mean(),
                Metrics.atThreshold(scores, fraud, 0.5), Metrics.minimiseCost(scores, fraud, amount, REVIEW_COST),
                n, frauds);
    }

    /** The figures as a flat map, the form manifests and run logs keep. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc_roc", aucRoc);
        m.put("average_precision", averagePrecision);
        m.put("card_precision_at_100", cardPrecisionAt100);
        m.put("precision_at_0.5", atHalf.precision());
        m.put("recall_at_0.5", atHalf.recall());
        m.put("f1_at_0.5", atHalf.f1());
        m.put("cost_threshold", cheapest.threshold());
        m.put("cost_at_threshold", cheapest.cost());
        m.put("test_rows", (double) rows);
        m.put("test_frauds", (double) frauds);
        return m;
    }
}
