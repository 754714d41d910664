package io.riskloop.cli;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.model.evaluate.TimeSplit;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** The time split: train window, gap, test window, in whole UTC days. */
final class SplitOptions {

    @Option(names = "--train-start", description = "First training day (UTC). Default: the handbook's 2018-07-25 when"
            + " the data cover its split, else the latest split that fits the data.")
    LocalDate trainStart;

    @Option(names = "--train-days", defaultValue = "7", description = "Training days, default ${DEFAULT-VALUE}.")
    int trainDays = 7;

    @Option(names = "--delay-days", defaultValue = "7",
            description = "Days between training and test (labels not yet known), default ${DEFAULT-VALUE}.")
    int delayDays = 7;

    @Option(names = "--test-days", defaultValue = "7", description = "Test days, default ${DEFAULT-VALUE}.")
    int testDays = 7;

    @Option(names = "--label-delay-days", defaultValue = "7",
            description = "When replaying history for features, a fraud label becomes known this many days after"
                    + " its transaction, default ${DEFAULT-VALUE}.")
    int labelDelayDays = 7;

    TimeSplit split(Dataset d) {
        LocalDate first = LocalDate.ofInstant(d.start(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(d.end(), ZoneOffset.UTC);
        if (trainStart != null) {
            return new TimeSplit(trainStart, trainDays, delayDays, testDays);
        }
        TimeSplit book = new TimeSplit(TimeSplit.BOOK.trainStart(), trainDays, delayDays, testDays);
        if (!first.isAfter(book.trainStart()) && !last.isBefore(book.testEnd().minusDays(1))) {
            return book;
        }
        LocalDate start = last.minusDays(trainDays + delayDays + testDays - 1L);
        if (start.isBefore(first)) {
            throw new IllegalArgumentException(String.format("the data cover %s..%s (%d days), too short for %d training"
                            + " + %d gap + %d test days: set --train-days, --delay-days and --test-days to fit",
                    first, last, last.toEpochDay() - first.toEpochDay() + 1, trainDays, delayDays, testDays));
        }
        return new TimeSplit(start, trainDays, delayDays, testDays);
    }
}
