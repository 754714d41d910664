package io.riskloop.server.retrain;

import java.time.Duration;

/**
 * How retraining builds, checks and promotes a challenger (docs/monitoring.md, "Retraining").
 *
 * @param trainDays            days of labelled history the challenger learns from
 * @param holdoutDays          the most recent label-complete days, on which challenger and champion are compared
 * @param labelDelay           how long frauds take to be reported: days younger than this are not label-complete
 *                             and stay out of the snapshot
 * @param minRows              fewest transactions the training window must hold
 * @param minFrauds            fewest known frauds the training window must hold (and the hold-out at least one)
 * @param apMargin             the challenger's hold-out average precision may be at most this much below the
 *                             champion's
 * @param cardPrecisionMargin  the same for Card Precision@100
 * @param latencyBudgetMicros  the challenger's compiled scorer must score one transaction within this (mean, one
 *                             thread, measured on the hold-out rows)
 * @param shadowTransactions   decisions the challenger must shadow before it can be promoted
 * @param watchTransactions    after a promotion, the previous champion shadows this many decisions; if the new
 *                             champion's live average precision on their labelled part is below the previous one's by
 *                             more than {@code apMargin}, it is rolled back
 * @param minWatchFrauds       known frauds the watch needs before it judges
 */
public record RetrainPolicy(int trainDays, int holdoutDays, Duration labelDelay, long minRows, long minFrauds,
                            double apMargin, double cardPrecisionMargin, double latencyBudgetMicros,
                            long shadowTransactions, long watchTransactions, long minWatchFrauds) {

    public static final RetrainPolicy DEFAULT = new RetrainPolicy(21, 7, Duration.ofDays(7), 10_000, 50, 0.02, 0.02,
            50, 10_000, 20_000, 20);

    public RetrainPolicy {
        if (trainDays < 1 || holdoutDays < 1) {
            throw new IllegalArgumentException("training and hold-out windows need at least a day each, were "
                    + trainDays + " and " + holdoutDays);
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("label delay must not be negative, was " + labelDelay);
        }
        if (apMargin < 0 || cardPrecisionMargin < 0) {
            throw new IllegalArgumentException("gate margins must not be negative, were " + apMargin + " (average"
                    + " precision) and " + cardPrecisionMargin + " (card precision)");
        }
        if (!(latencyBudgetMicros > 0)) {
            throw new IllegalArgumentException("the latency budget must be positive, was " + latencyBudgetMicros + " us");
        }
        if (shadowTransactions < 0 || watchTransactions < 0 || minWatchFrauds < 0) {
            throw new IllegalArgumentException("shadow and watch volumes must not be negative");
        }
    }

    public RetrainPolicy withWindows(int train, int holdout, Duration delay) {
        return new RetrainPolicy(train, holdout, delay, minRows, minFrauds, apMargin, cardPrecisionMargin,
                latencyBudgetMicros, shadowTransactions, watchTransactions, minWatchFrauds);
    }

    public RetrainPolicy withVolumes(long rows, long frauds) {
        return new RetrainPolicy(trainDays, holdoutDays, labelDelay, rows, frauds, apMargin, cardPrecisionMargin,
                latencyBudgetMicros, shadowTransactions, watchTransactions, minWatchFrauds);
    }

    public RetrainPolicy withGates(double ap, double cardPrecision, double latencyMicros) {
        return new RetrainPolicy(trainDays, holdoutDays, labelDelay, minRows, minFrauds, ap, cardPrecision,
                latencyMicros, shadowTransactions, watchTransactions, minWatchFrauds);
    }

    public RetrainPolicy withShadow(long shadow, long watch, long watchFrauds) {
        return new RetrainPolicy(trainDays, holdoutDays, labelDelay, minRows, minFrauds, apMargin, cardPrecisionMargin,
                latencyBudgetMicros, shadow, watch, watchFrauds);
    }
}
