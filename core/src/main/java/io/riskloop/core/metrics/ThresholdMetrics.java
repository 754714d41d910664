package io.riskloop.core.metrics;

/** Confusion counts at a threshold and what follows from them (0 where a ratio has no denominator). */
public record ThresholdMetrics(double threshold, long truePositives, long falsePositives, long falseNegatives,
                               long trueNegatives) {

    public double precision() {
        long flagged = truePositives + falsePositives;
        return flagged == 0 ? 0.0 : (double) truePositives / flagged;
    }

    public double recall() {
        long frauds = truePositives + falseNegatives;
        return frauds == 0 ? 0.0 : (double) truePositives / frauds;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }
}
