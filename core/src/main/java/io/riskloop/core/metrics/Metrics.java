package io.riskloop.core.metrics;

import java.util.Arrays;

/**
 * Ranking and threshold metrics on scores, ties handled as their definitions say. Written here rather than
 * taken from a library because none on the JVM matches scikit-learn's definitions, ties included, which the
 * published figures we compare with were computed by (see docs/adr/0003-metrics-by-hand.md).
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Area under the ROC curve: the probability that a random fraud scores higher than a random genuine
     * transaction, ties counting one half (Mann-Whitney U with average ranks). NaN when a class is absent.
     */
    public static double rocAuc(double[] scores, boolean[] fraud) {
        check(scores, fraud);
        int n = scores.length;
        Integer[] order = byScoreAscending(scores);
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (fraud[order[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Average precision as scikit-learn computes it: sum over distinct score thresholds, from the highest down,
     * of (R_n - R_(n-1)) * P_n, where all transactions tied at a threshold enter together. NaN without frauds.
     */
    public static double averagePrecision(double[] scores, boolean[] fraud) {
        check(scores, fraud);
        int n = scores.length;
        long positives = 0;
        for (boolean f : fraud) {
            if (f) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = byScoreAscending(scores);
        double ap = 0;
        double prevRecall = 0;
        long tp = 0;
        long fp = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                if (fraud[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / (tp + fp);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
            i = j - 1;
        }
        return ap;
    }

    /** Confusion counts and derived rates when every score at or above {@code threshold} is flagged. */
    public static ThresholdMetrics atThreshold(double[] scores, boolean[] fraud, double threshold) {
        check(scores, fraud);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (fraud[i]) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ThresholdMetrics(threshold, tp, fp, fn, tn);
    }

    /**
     * The threshold that minimises the cost of mistakes: a missed fraud costs its amount, every flagged
     * transaction costs {@code reviewCost} (an analyst's look). Candidates are the distinct scores, plus "flag
     * nothing".
     */
    public static CostThreshold minimiseCost(double[] scores, boolean[] fraud, double[] amounts, double reviewCost) {
        check(scores, fraud);
        if (amounts.length != scores.length) {
            throw new IllegalArgumentException("amounts and scores differ in length");
        }
        int n = scores.length;
        Integer[] order = byScoreAscending(scores);
        double missed = 0;
        for (int i = 0; i < n; i++) {
            if (fraud[i]) {
                missed += amounts[i];
            }
        }
        // Flag nothing: every fraud is missed.
        double bestCost = missed;
        double bestThreshold = Double.POSITIVE_INFINITY;
        long flagged = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                flagged++;
                if (fraud[order[k]]) {
                    missed -= amounts[order[k]];
                }
            }
            double cost = missed + reviewCost * flagged;
            if (cost < bestCost) {
                bestCost = cost;
                bestThreshold = scores[order[i]];
            }
            i = j - 1;
        }
        return new CostThreshold(bestThreshold, bestCost, reviewCost);
    }

    /** Points of the ROC curve (false-positive rate, true-positive rate) at each distinct threshold. */
    public static double[][] rocCurve(double[] scores, boolean[] fraud) {
        return curve(scores, fraud, true);
    }

    /** Points of the precision-recall curve (recall, precision) at each distinct threshold. */
    public static double[][] precisionRecallCurve(double[] scores, boolean[] fraud) {
        return curve(scores, fraud, false);
    }

    private static double[][] curve(double[] scores, boolean[] fraud, boolean roc) {
        check(scores, fraud);
        int n = scores.length;
        long positives = 0;
        for (boolean f : fraud) {
            if (f) {
                positives++;
            }
        }
        long negatives = n - positives;
        Integer[] order = byScoreAscending(scores);
        double[] xs = new double[n + 1];
        double[] ys = new double[n + 1];
        int m = 0;
        if (roc) {
            xs[m] = 0;
            ys[m++] = 0;
        }
        long tp = 0;
        long fp = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                if (fraud[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            if (roc) {
                xs[m] = negatives == 0 ? 0 : (double) fp / negatives;
                ys[m++] = positives == 0 ? 0 : (double) tp / positives;
            } else {
                xs[m] = positives == 0 ? 0 : (double) tp / positives;
                ys[m++] = (double) tp / (tp + fp);
            }
            i = j - 1;
        }
        return new double[][] {Arrays.copyOf(xs, m), Arrays.copyOf(ys, m)};
    }

    private static Integer[] byScoreAscending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    private static void check(double[] scores, boolean[] fraud) {
        if (scores.length != fraud.length) {
            throw new IllegalArgumentException(
                    "scores and labels differ in length: " + scores.length + " vs " + fraud.length);
        }
        for (double s : scores) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN; every transaction needs a score");
            }
        }
    }
}
