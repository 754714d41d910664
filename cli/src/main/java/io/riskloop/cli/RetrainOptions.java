package io.riskloop.cli;

import io.riskloop.server.retrain.RetrainPolicy;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How a retraining builds and judges a challenger (docs/monitoring.md), for `retrain` and the monitoring loop. */
final class RetrainOptions {

    @Option(names = "--train-days", defaultValue = "21", description = "Days of history a challenger learns from, default ${DEFAULT-VALUE}.")
    int trainDays;

    @Option(names = "--holdout-days", defaultValue = "7",
            description = "Most recent label-complete days challenger and champion are compared on, default ${DEFAULT-VALUE}.")
    int holdoutDays;

    @Option(names = "--label-delay-days", defaultValue = "7",
            description = "Days frauds take to be reported; younger days stay out of snapshots and accuracy, default ${DEFAULT-VALUE}.")
    int labelDelayDays;

    @Option(names = "--min-rows", defaultValue = "10000", description = "Fewest training transactions, default ${DEFAULT-VALUE}.")
    long minRows;

    @Option(names = "--min-frauds", defaultValue = "50", description = "Fewest known frauds in training, default ${DEFAULT-VALUE}.")
    long minFrauds;

    @Option(names = "--shadow-transactions", defaultValue = "10000",
            description = "Decisions a challenger shadows before it may be promoted, default ${DEFAULT-VALUE}.")
    long shadowTransactions;

    RetrainPolicy policy() {
        RetrainPolicy d = RetrainPolicy.DEFAULT;
        return d.withWindows(trainDays, holdoutDays, Duration.ofDays(labelDelayDays)).withVolumes(minRows, minFrauds)
                .withShadow(shadowTransactions, d.watchTransactions(), d.minWatchFrauds());
    }
}
