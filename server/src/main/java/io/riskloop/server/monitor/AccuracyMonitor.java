package io.riskloop.server.monitor;

import io.riskloop.core.metrics.CardPrecision;
import io.riskloop.core.metrics.Metrics;
import io.riskloop.core.metrics.ThresholdMetrics;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.KnownOutcome;
import io.riskloop.store.monitor.AccuracyWindow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of the served model versions on live traffic whose labels are complete: each version on the scores it
 * decided with (the champion; in an A/B test also the challenger, on its arm) and on the scores it gave beside the
 * deciding model (in shadow), each over the same window, with
 * the metrics of docs/evaluation.md (average precision, Card Precision@100 per day, precision and recall at the
 * review threshold).
 */
public final class AccuracyMonitor {

    private final DecisionStore store;
    private final double reviewThreshold;

    public AccuracyMonitor(DecisionStore store, double reviewThreshold) {
        this.store = store;
        this.reviewThreshold = reviewThreshold;
    }

    /** One window per model version that scored transactions in [{@code from}, {@code to}). */
    public List<AccuracyWindow> measure(Instant from, Instant to, Instant labelsKnownAt) {
        return measure(store.outcomes(from, to, labelsKnownAt), from, to, labelsKnownAt);
    }

    List<AccuracyWindow> measure(List<KnownOutcome> outcomes, Instant from, Instant to, Instant labelsKnownAt) {
        Map<String, List<KnownOutcome>> championRows = new LinkedHashMap<>();
        Map<String, List<KnownOutcome>> challengerRows = new LinkedHashMap<>();
        for (KnownOutcome o : outcomes) {
            championRows.computeIfAbsent(o.decision().modelVersion(), v -> new ArrayList<>()).add(o);
            if (o.decision().challengerVersion() != null && o.decision().challengerScore() != null) {
                challengerRows.computeIfAbsent(o.decision().challengerVersion(), v -> new ArrayList<>()).add(o);
            }
        }
        List<AccuracyWindow> out = new ArrayList<>();
        championRows.forEach((v, rows) -> out.add(window(v, AccuracyWindow.DECIDED, rows, false, from, to, labelsKnownAt)));
        challengerRows.forEach((v, rows) -> out.add(window(v, AccuracyWindow.SHADOW, rows, true, from, to, labelsKnownAt)));
        return out;
    }

    private AccuracyWindow window(String version, String alias, List<KnownOutcome> rows, boolean challenger,
                                  Instant from, Instant to, Instant knownAt) {
        return window(version, alias, rows, challenger, from, to, knownAt, reviewThreshold);
    }

    /**
     * The metrics of {@code rows} over [{@code from}, {@code to}): on the scores that decided, or with
     * {@code shadowScores} on the scores given beside them.
     */
    public static AccuracyWindow window(String version, String alias, List<KnownOutcome> rows, boolean shadowScores,
                                        Instant from, Instant to, Instant knownAt, double reviewThreshold) {
        boolean challenger = shadowScores;
        int n = rows.size();
        double[] score = new double[n];
        boolean[] fraud = new boolean[n];
        long[] day = new long[n];
        String[] card = new String[n];
        long frauds = 0;
        for (int i = 0; i < n; i++) {
            KnownOutcome o = rows.get(i);
            score[i] = challenger ? o.decision().challengerScore() : o.decision().score();
            fraud[i] = o.fraud();
            frauds += fraud[i] ? 1 : 0;
            day[i] = o.decision().transaction().timestamp().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
            card[i] = o.decision().transaction().cardId();
        }
        if (frauds == 0) {
            return new AccuracyWindow(version, alias, from, to, knownAt, n, 0, null, null, null, null);
        }
        ThresholdMetrics t = Metrics.atThreshold(score, fraud, reviewThreshold);
        return new AccuracyWindow(version, alias, from, to, knownAt, n, frauds, Metrics.averagePrecision(score, fraud),
                CardPrecision.atK(day, card, score, fraud, 100).mean(), t.precision(), t.recall());
    }
}
