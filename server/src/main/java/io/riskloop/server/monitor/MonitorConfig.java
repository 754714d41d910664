package io.riskloop.server.monitor;

import java.time.Duration;

/**
 * What the monitoring loop watches and what makes it retrain (docs/monitoring.md).
 *
 * @param accuracyWindow       length of the label-complete window accuracy is measured over (it ends one label
 *                             delay before now)
 * @param driftWindow          live traffic compared with the champion's reference profile: the decisions of this
 *                             long before now
 * @param minDriftRows         fewest live decisions a drift check needs
 * @param minAveragePrecision  the champion's live average precision below this raises an accuracy alert
 * @param accuracyDropMargin   the champion's live average precision this far below its hold-out figure at
 *                             registration raises one too
 * @param minAccuracyFrauds    fewest known frauds a window needs before its accuracy is judged
 * @param newLabels            retrain after this many new labels since the last retraining (0: off)
 * @param schedule             retrain on this cron expression (Unix, 5 fields; null: off)
 * @param retrainOnDrift       whether dataset drift triggers retraining
 * @param retrainOnAccuracy    whether an accuracy drop triggers retraining
 * @param settleDays           days of labelled traffic showing the change (drift or accuracy drop) the training window
 *                             must hold before the change triggers retraining: a challenger trained before the new
 *                             behaviour has labels cannot learn it
 * @param maxDeadLetterShare   share of the records arriving between two rounds that may be dead-lettered before a
 *                             dead-letter spike is raised (at least 10 records)
 * @param maxConsumerLag       records the decision pipeline may be behind before a lag alert is raised
 * @param cooldown             least time between two retrainings started by drift, accuracy or labels (a gated
 *                             challenger leaves the drift in place: without it every check would retrain again)
 */
public record MonitorConfig(Duration accuracyWindow, Duration driftWindow, long minDriftRows,
                            double minAveragePrecision, double accuracyDropMargin, long minAccuracyFrauds,
                            long newLabels, String schedule, boolean retrainOnDrift, boolean retrainOnAccuracy,
                            int settleDays, double maxDeadLetterShare, long maxConsumerLag, Duration cooldown) {

    /** A day of accuracy, a week of drift (shorter windows see the weekly cycle as drift). */
    public static final MonitorConfig DEFAULT = new MonitorConfig(Duration.ofDays(1), Duration.ofDays(7), 1_000, 0.3,
            0.15, 20, 0, null, true, true, 2, 0.01, 10_000, Duration.ofDays(1));

    public MonitorConfig {
        if (accuracyWindow.isNegative() || accuracyWindow.isZero() || driftWindow.isNegative() || driftWindow.isZero()) {
            throw new IllegalArgumentException("accuracy and drift windows must be positive, were " + accuracyWindow
                    + " and " + driftWindow);
        }
        if (newLabels < 0) {
            throw new IllegalArgumentException("new-labels trigger must be >= 0 (0 turns it off), was " + newLabels);
        }
        if (schedule != null) {
            Schedules.parse(schedule); // fails at once, naming the expression
        }
        if (minDriftRows < 1) {
            throw new IllegalArgumentException("a drift check needs at least one live decision, min rows was " + minDriftRows);
        }
        if (!(minAveragePrecision >= 0 && minAveragePrecision <= 1) || !(accuracyDropMargin >= 0)) {
            throw new IllegalArgumentException("the accuracy bound must be in [0, 1] and the drop margin >= 0, were "
                    + minAveragePrecision + " and " + accuracyDropMargin);
        }
        if (settleDays < 0 || cooldown.isNegative()) {
            throw new IllegalArgumentException("settle days and the cool-down must not be negative, were " + settleDays
                    + " and " + cooldown);
        }
    }

    public MonitorConfig withSchedule(String cron) {
        return new MonitorConfig(accuracyWindow, driftWindow, minDriftRows, minAveragePrecision, accuracyDropMargin,
                minAccuracyFrauds, newLabels, cron, retrainOnDrift, retrainOnAccuracy, settleDays, maxDeadLetterShare, maxConsumerLag, cooldown);
    }

    public MonitorConfig withNewLabels(long n) {
        return new MonitorConfig(accuracyWindow, driftWindow, minDriftRows, minAveragePrecision, accuracyDropMargin,
                minAccuracyFrauds, n, schedule, retrainOnDrift, retrainOnAccuracy, settleDays, maxDeadLetterShare, maxConsumerLag, cooldown);
    }

    public MonitorConfig withWindows(Duration accuracy, Duration drift, Duration cool) {
        return new MonitorConfig(accuracy, drift, minDriftRows, minAveragePrecision, accuracyDropMargin,
                minAccuracyFrauds, newLabels, schedule, retrainOnDrift, retrainOnAccuracy, settleDays, maxDeadLetterShare, maxConsumerLag, cool);
    }

    public MonitorConfig withSettleDays(int days) {
        return new MonitorConfig(accuracyWindow, driftWindow, minDriftRows, minAveragePrecision, accuracyDropMargin,
                minAccuracyFrauds, newLabels, schedule, retrainOnDrift, retrainOnAccuracy, days, maxDeadLetterShare, maxConsumerLag, cooldown);
    }

    public MonitorConfig withAccuracy(double minAp, double dropMargin, boolean retrain) {
        return new MonitorConfig(accuracyWindow, driftWindow, minDriftRows, minAp, dropMargin,
                minAccuracyFrauds, newLabels, schedule, retrainOnDrift, retrain, settleDays, maxDeadLetterShare, maxConsumerLag, cooldown);
    }

    public MonitorConfig withDrift(long minRows, boolean retrain) {
        return new MonitorConfig(accuracyWindow, driftWindow, minRows, minAveragePrecision, accuracyDropMargin,
                minAccuracyFrauds, newLabels, schedule, retrain, retrainOnAccuracy, settleDays, maxDeadLetterShare, maxConsumerLag, cooldown);
    }
}
