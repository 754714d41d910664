package io.riskloop.model.evaluate;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureMatrix;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A time-based split in whole UTC days: train on [trainStart, trainStart + trainDays), leave a gap of
 * delayDays (labels not known yet), test on the testDays after it. Cards already known to be defrauded are
 * taken out of the test days: those with a fraud in training, and before test day k those with a fraud on the
 * last training day + k (reference-benchmark.md, section 3).
 */
public record TimeSplit(LocalDate trainStart, int trainDays, int delayDays, int testDays) {

    /** The handbook's split: train 2018-07-25 .. 07-31, gap 7 days, test 2018-08-08 .. 08-14. */
    public static final TimeSplit BOOK = new TimeSplit(LocalDate.of(2018, 7, 25), 7, 7, 7);

    /** The rows of each side, as indexes into the matrix. */
    public record Indexes(int[] train, int[] test) {
    }

    public TimeSplit {
        if (trainStart == null) {
            throw new IllegalArgumentException("trainStart is required");
        }
        if (trainDays < 1 || testDays < 1 || delayDays < 0) {
            throw new IllegalArgumentException("train and test need at least one day and the delay cannot be"
                    + " negative: train " + trainDays + ", delay " + delayDays + ", test " + testDays);
        }
    }

    public LocalDate testStart() {
        return trainStart.plusDays(trainDays + delayDays);
    }

    public LocalDate testEnd() {
        return testStart().plusDays(testDays);
    }

    /** The same split moved {@code days} earlier. */
    public TimeSplit shiftedBack(int days) {
        return new TimeSplit(trainStart.minusDays(days), trainDays, delayDays, testDays);
    }

    public Indexes apply(FeatureMatrix m) {
        long trainFrom = trainStart.toEpochDay();
        long trainTo = trainFrom + trainDays;
        long testFrom = trainTo + delayDays;
        long testTo = testFrom + testDays;
        List<LabeledTransaction> rows = m.source();
        List<Integer> train = new ArrayList<>();
        Set<String> known = new HashSet<>();
        List<List<Integer>> testByDay = new ArrayList<>();
        List<Set<String>> defraudedByDay = new ArrayList<>(); // days trainTo-1 .. trainTo-2+testDays
        for (int k = 0; k < testDays; k++) {
            testByDay.add(new ArrayList<>());
            defraudedByDay.add(new HashSet<>());
        }
        for (int i = 0; i < rows.size(); i++) {
            LabeledTransaction lt = rows.get(i);
            long day = day(lt);
            if (day >= trainFrom && day < trainTo) {
                train.add(i);
                if (lt.fraud()) {
                    known.add(lt.transaction().cardId());
                }
            }
            if (day >= testFrom && day < testTo) {
                testByDay.get((int) (day - testFrom)).add(i);
            }
            long k = day - (trainTo - 1);
            if (lt.fraud() && k >= 0 && k < testDays) {
                defraudedByDay.get((int) k).add(lt.transaction().cardId());
            }
        }
        List<Integer> test = new ArrayList<>();
        for (int k = 0; k < testDays; k++) {
            known.addAll(defraudedByDay.get(k));
            for (int i : testByDay.get(k)) {
                if (!known.contains(rows.get(i).transaction().cardId())) {
                    test.add(i);
                }
            }
        }
        return new Indexes(train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
    }

    static long day(LabeledTransaction lt) {
        return Math.floorDiv(lt.transaction().timestamp().getEpochSecond(), 86_400);
    }

    /** "train 2018-07-25..07-31, gap 7 d, test 2018-08-08..08-14" */
    public String describe() {
        return "train " + trainStart + ".." + trainStart.plusDays(trainDays - 1) + ", gap " + delayDays + " d, test "
                + testStart() + ".." + testEnd().minusDays(1);
    }
}
