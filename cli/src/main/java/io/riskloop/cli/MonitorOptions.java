package io.riskloop.cli;

import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.server.monitor.MonitorConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/** When the monitoring loop runs and what makes it retrain (docs/monitoring.md). */
final class MonitorOptions {

    @Option(names = "--monitor-every", defaultValue = "15m", converter = DurationConverter.class,
            description = "How often the monitoring loop checks accuracy and drift and moves challengers, default"
                    + " ${DEFAULT-VALUE}; 0s turns the loop off (e.g. on all but one API instance, though one database"
                    + " lets only one run at a time anyway).")
    Duration every;

    @Option(names = "--retrain-schedule", description = "Also retrain on this cron expression (Unix, UTC), e.g. '0 3 * * 1'.")
    String schedule;

    @Option(names = "--retrain-after-labels", defaultValue = "0",
            description = "Also retrain after this many new labels, default ${DEFAULT-VALUE} (off).")
    long afterLabels;

    @Option(names = "--retrain-on-drift", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Retrain when live traffic drifts from the champion's reference (default on).")
    boolean onDrift;

    @Option(names = "--drift-share", defaultValue = "0.5",
            description = "Share of tested features that must drift for dataset drift, default ${DEFAULT-VALUE}.")
    double driftShare;

    @Option(names = "--drift-psi", defaultValue = "0.2",
            description = "PSI at or above which a column (and the score) drifts, default ${DEFAULT-VALUE}.")
    double psi;

    @Option(names = "--drift-wasserstein", defaultValue = "0.1",
            description = "Wasserstein distance, in reference standard deviations, at or above which a continuous"
                    + " feature drifts (large samples), default ${DEFAULT-VALUE}.")
    double wasserstein;

    @Option(names = "--drift-js", defaultValue = "0.1",
            description = "Jensen-Shannon distance at or above which a categorical feature drifts (large samples),"
                    + " default ${DEFAULT-VALUE}.")
    double jensenShannon;

    @Option(names = "--drift-alpha", defaultValue = "0.05",
            description = "Significance level of the Kolmogorov-Smirnov and chi-squared tests (small samples),"
                    + " default ${DEFAULT-VALUE}.")
    double alpha;

    /** The drift tests' thresholds (docs/drift.md); the tests chosen per feature kind stay the defaults. */
    DriftPolicy driftPolicy() {
        return DriftPolicy.builder().datasetDriftShare(driftShare).psiThreshold(psi).wassersteinThreshold(wasserstein)
                .jensenShannonThreshold(jensenShannon).ksAlpha(alpha).chiSquaredAlpha(alpha).build();
    }

    boolean enabled() {
        return !every.isZero() && !every.isNegative();
    }

    @Option(names = "--drift-window", defaultValue = "7d", converter = DurationConverter.class,
            description = "Live traffic compared with the champion's reference: the decisions of this long before now,"
                    + " default ${DEFAULT-VALUE} (shorter windows see the weekly cycle as drift).")
    java.time.Duration driftWindow;

    @Option(names = "--drift-min-rows", defaultValue = "1000",
            description = "Fewest live decisions a drift check needs, default ${DEFAULT-VALUE}.")
    long driftMinRows;

    @Option(names = "--accuracy-window", defaultValue = "1d", converter = DurationConverter.class,
            description = "Label-complete window accuracy is measured over, default ${DEFAULT-VALUE}.")
    java.time.Duration accuracyWindow;

    @Option(names = "--min-average-precision", defaultValue = "0.3",
            description = "The champion's live average precision below this raises an accuracy alert, default"
                    + " ${DEFAULT-VALUE}.")
    double minAveragePrecision;

    @Option(names = "--accuracy-drop-margin", defaultValue = "0.15",
            description = "The champion's live average precision this far below its hold-out figure raises one too,"
                    + " default ${DEFAULT-VALUE}.")
    double accuracyDropMargin;

    @Option(names = "--retrain-on-accuracy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Retrain when the champion's live accuracy drops (default on).")
    boolean onAccuracy;

    @Option(names = "--retrain-cooldown", defaultValue = "1d", converter = DurationConverter.class,
            description = "Least time between two retrainings started by drift, accuracy or labels, default"
                    + " ${DEFAULT-VALUE}.")
    java.time.Duration cooldown;

    @Option(names = "--settle-days", defaultValue = "2",
            description = "Days of labelled traffic showing a change the training window must hold before the change"
                    + " triggers retraining, default ${DEFAULT-VALUE}.")
    int settleDays;

    MonitorConfig config() {
        return MonitorConfig.DEFAULT.withSchedule(schedule).withNewLabels(afterLabels)
                .withWindows(accuracyWindow, driftWindow, cooldown)
                .withDrift(driftMinRows, onDrift)
                .withAccuracy(minAveragePrecision, accuracyDropMargin, onAccuracy)
                .withSettleDays(settleDays);
    }
}
