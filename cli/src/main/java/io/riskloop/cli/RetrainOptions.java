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

    @Option(names = "--gate-ap-margin", defaultValue = "0.02",
            description = "How far below the champion's hold-out average precision a challenger's may be and still pass,"
                    + " default ${DEFAULT-VALUE}; also how far below the previous champion's live figure a promoted"
                    + " model may fall during its watch before it is rolled back.")
    double gateApMargin;

    @Option(names = "--gate-card-precision-margin", defaultValue = "0.02",
            description = "The same for Card Precision@100 on the hold-out, default ${DEFAULT-VALUE}.")
    double gateCardPrecisionMargin;

    @Option(names = "--gate-latency-micros", defaultValue = "50",
            description = "Mean time the challenger's compiled scorer may take for one transaction (one thread, on the"
                    + " hold-out rows), default ${DEFAULT-VALUE} us.")
    double gateLatencyMicros;

    @Option(names = "--watch-transactions", defaultValue = "20000",
            description = "After a promotion, decisions the previous champion shadows while the new one is watched,"
                    + " default ${DEFAULT-VALUE}.")
    long watchTransactions;

    @Option(names = "--watch-min-frauds", defaultValue = "20",
            description = "Known frauds the watch needs before it judges, default ${DEFAULT-VALUE}.")
    long watchMinFrauds;

    RetrainPolicy policy() {
        return RetrainPolicy.DEFAULT.withWindows(trainDays, holdoutDays, Duration.ofDays(labelDelayDays))
                .withVolumes(minRows, minFrauds)
                .withGates(gateApMargin, gateCardPrecisionMargin, gateLatencyMicros)
                .withShadow(shadowTransactions, watchTransactions, watchMinFrauds);
    }
}
