package io.riskloop.server.retrain;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.metrics.Metrics;
import io.riskloop.store.decisions.KnownOutcome;
import org.apache.commons.statistics.distribution.HypergeometricDistribution;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An A/B test's outcome on labelled traffic (docs/monitoring.md, "A/B"): each arm's transactions decided by its own
 * model, the frauds it caught (reviewed or declined) and missed, its false alerts, and Fisher's exact test of whether
 * the two arms catch frauds at different rates (on Apache Commons Statistics' hypergeometric distribution), which stays
 * exact however few frauds a test has gathered.
 */
public record AbTest(Arm champion, Arm challenger, double pValue) {

    /** One arm: the decisions its model made. */
    public record Arm(String version, long transactions, long frauds, long caught, long falseAlerts,
                      Double averagePrecision) {

        public double recall() {
            return frauds == 0 ? Double.NaN : (double) caught / frauds;
        }

        public double alertPrecision() {
            return caught + falseAlerts == 0 ? Double.NaN : (double) caught / (caught + falseAlerts);
        }

        static Arm of(String version, List<KnownOutcome> rows) {
            long frauds = 0;
            long caught = 0;
            long falseAlerts = 0;
            double[] score = new double[rows.size()];
            boolean[] fraud = new boolean[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                KnownOutcome o = rows.get(i);
                boolean alerted = o.decision().decision() != DecisionType.APPROVE;
                score[i] = o.decision().score();
                fraud[i] = o.fraud();
                frauds += o.fraud() ? 1 : 0;
                caught += o.fraud() && alerted ? 1 : 0;
                falseAlerts += !o.fraud() && alerted ? 1 : 0;
            }
            Double ap = frauds == 0 || frauds == rows.size() ? null : Metrics.averagePrecision(score, fraud);
            return new Arm(version, rows.size(), frauds, caught, falseAlerts, ap);
        }
    }

    /**
     * Compares the arms: {@code championArm} the label-complete decisions the champion made, {@code challengerArm}
     * those the challenger made for its share of cards.
     */
    public static AbTest of(String championVersion, List<KnownOutcome> championArm, String challengerVersion,
                            List<KnownOutcome> challengerArm) {
        Arm a = Arm.of(championVersion, championArm);
        Arm b = Arm.of(challengerVersion, challengerArm);
        double p = Double.NaN;
        if (a.frauds() > 0 && b.frauds() > 0) {
            p = fisherTwoSided(Math.toIntExact(a.caught()), Math.toIntExact(a.frauds() - a.caught()),
                    Math.toIntExact(b.caught()), Math.toIntExact(b.frauds() - b.caught()));
        }
        return new AbTest(a, b, p);
    }

    /**
     * Fisher's exact test, two-sided, of the table [[a, b], [c, d]]: given its margins, the probability of a table
     * no more likely than this one. Tables within a relative 1e-7 of the observed one's probability count as equally
     * likely, as in R's {@code fisher.test}: probabilities that are equal in exact arithmetic often differ in their
     * last bits once computed, and Commons Statistics' {@code FisherExactTest} (1.2) compares them as computed, so it
     * leaves out a table exactly as likely as the observed one (for [[2, 8], [13, 7]] it gives 0.028, not 0.050).
     */
    static double fisherTwoSided(int a, int b, int c, int d) {
        HypergeometricDistribution h = HypergeometricDistribution.of(a + b + c + d, a + b, a + c);
        double bound = h.probability(a) * (1 + 1e-7);
        double p = 0;
        for (int x = h.getSupportLowerBound(); x <= h.getSupportUpperBound(); x++) {
            double px = h.probability(x);
            if (px <= bound) {
                p += px;
            }
        }
        return Math.min(1.0, p);
    }

    public String describe() {
        return String.format(Locale.ROOT, "A/B: %s caught %d of %d frauds (%.1f %%), %s caught %d of %d (%.1f %%);"
                        + " Fisher's exact p = %.3g", champion.version(), champion.caught(), champion.frauds(),
                100 * champion.recall(), challenger.version(), challenger.caught(), challenger.frauds(),
                100 * challenger.recall(), pValue);
    }

    public Map<String, Object> details() {
        return io.riskloop.store.monitor.LoopEvent.details(
                "ab_champion_transactions", champion.transactions(), "ab_champion_frauds", champion.frauds(),
                "ab_champion_caught", champion.caught(), "ab_champion_false_alerts", champion.falseAlerts(),
                "ab_challenger_transactions", challenger.transactions(), "ab_challenger_frauds", challenger.frauds(),
                "ab_challenger_caught", challenger.caught(), "ab_challenger_false_alerts", challenger.falseAlerts(),
                "ab_p_value", Double.isNaN(pValue) ? null : pValue);
    }
}
