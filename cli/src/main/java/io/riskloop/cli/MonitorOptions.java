package io.riskloop.cli;

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

    boolean enabled() {
        return !every.isZero() && !every.isNegative();
    }

    MonitorConfig config() {
        return MonitorConfig.DEFAULT.withSchedule(schedule).withNewLabels(afterLabels)
                .withDrift(MonitorConfig.DEFAULT.minDriftRows(), onDrift);
    }
}
