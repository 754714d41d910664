package io.riskloop.server.retrain;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.store.decisions.KnownOutcome;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The A/B comparison of the arms: per-arm figures counted from the decisions, and Fisher's exact test (two-sided) of
 * caught against missed frauds, checked against p-values computed by hand and against an exact hypergeometric
 * reference written here.
 */
class AbTestTest {

    static final Instant T = Instant.parse("2018-05-01T00:00:00Z");

    /** Two-sided p-values of classic 2x2 tables, exact fractions worked out by hand from the hypergeometric law. */
    @ParameterizedTest(name = "[[{0},{1}],[{2},{3}]] p = {4}")
    @CsvSource({
            // Fisher's lady tasting tea: P(a) = 1, 16, 36, 16, 1 over 70; two-sided 34/70
            "3, 1, 1, 3, 0.48571428571428571",
            // the 2x2 example of Fisher's exact test on Wikipedia (p = 0.002759): 41/14858
            "1, 9, 11, 3, 0.0027594561852200836",
            // perfectly separated: 2/70 and 2/252
            "4, 0, 0, 4, 0.028571428571428571",
            "0, 5, 5, 0, 0.0079365079365079365",
            // identical rates: every table is at most as likely as the observed one
            "2, 3, 2, 3, 1.0",
            "7, 3, 2, 8, 0.069778518694927364",
            // a table exactly as likely as the observed one is counted, though its computed probability may differ
            // in the last bits: P(1), P(2), P(3) = 3, 21, 21 over 45, so p = 1; and 0.050175 (R, SciPy), not 0.028
            "2, 1, 6, 1, 1.0",
            "1, 0, 10, 11, 1.0",
            "2, 8, 13, 7, 0.05017491254372814"})
    void pValueMatchesKnownTables(int championCaught, int championMissed, int challengerCaught, int challengerMissed,
                                  double expected) {
        AbTest t = AbTest.of("fraud/1", arm(championCaught, championMissed, 0, 0), "fraud/2",
                arm(challengerCaught, challengerMissed, 0, 0));
        assertThat(t.pValue()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void armsCountTransactionsFraudsCaughtMissedAndFalseAlerts() {
        // champion: 3 frauds caught (one reviewed, two declined), 1 missed, 2 false alerts, 4 quiet genuine
        List<KnownOutcome> champion = new ArrayList<>();
        champion.add(outcome("a1", 0.95, DecisionType.DECLINE, true));
        champion.add(outcome("a2", 0.90, DecisionType.DECLINE, true));
        champion.add(outcome("a3", 0.60, DecisionType.REVIEW, true));
        champion.add(outcome("a4", 0.10, DecisionType.APPROVE, true));
        champion.add(outcome("a5", 0.70, DecisionType.REVIEW, false));
        champion.add(outcome("a6", 0.80, DecisionType.DECLINE, false));
        for (int i = 0; i < 4; i++) {
            champion.add(outcome("a-ok" + i, 0.01 * (i + 1), DecisionType.APPROVE, false));
        }
        // challenger: 1 of 2 frauds caught, no false alert
        List<KnownOutcome> challenger = List.of(
                outcome("b1", 0.9, DecisionType.REVIEW, true),
                outcome("b2", 0.2, DecisionType.APPROVE, true),
                outcome("b3", 0.3, DecisionType.APPROVE, false));

        AbTest t = AbTest.of("fraud/1", champion, "fraud/2", challenger);

        AbTest.Arm a = t.champion();
        assertThat(a.version()).isEqualTo("fraud/1");
        assertThat(a.transactions()).isEqualTo(10);
        assertThat(a.frauds()).isEqualTo(4);
        assertThat(a.caught()).isEqualTo(3);
        assertThat(a.falseAlerts()).isEqualTo(2);
        assertThat(a.recall()).isEqualTo(0.75);
        assertThat(a.alertPrecision()).isEqualTo(0.6);
        // ranked by score: F F g(0.80) g(0.70) F(0.60) F(0.10) g g g g: precisions at the frauds 1, 1, 3/5, 4/6
        assertThat(a.averagePrecision()).isCloseTo((1 + 1 + 3.0 / 5 + 4.0 / 6) / 4, within(1e-12));

        AbTest.Arm b = t.challenger();
        assertThat(b.version()).isEqualTo("fraud/2");
        assertThat(b.transactions()).isEqualTo(3);
        assertThat(b.frauds()).isEqualTo(2);
        assertThat(b.caught()).isEqualTo(1);
        assertThat(b.falseAlerts()).isZero();
        assertThat(b.recall()).isEqualTo(0.5);
        assertThat(b.alertPrecision()).isEqualTo(1.0);
        // F(0.9) g(0.3) F(0.2): 1 and 2/3
        assertThat(b.averagePrecision()).isCloseTo((1 + 2.0 / 3) / 2, within(1e-12));

        // the table [[3, 1], [1, 1]]: P(a) for a = 2, 3, 4 is 6/15, 8/15, 1/15; two-sided 1
        assertThat(t.pValue()).isCloseTo(1.0, within(1e-12));

        Map<String, Object> d = t.details();
        assertThat(d).containsEntry("ab_champion_transactions", 10L).containsEntry("ab_champion_frauds", 4L)
                .containsEntry("ab_champion_caught", 3L).containsEntry("ab_champion_false_alerts", 2L)
                .containsEntry("ab_challenger_transactions", 3L).containsEntry("ab_challenger_frauds", 2L)
                .containsEntry("ab_challenger_caught", 1L).containsEntry("ab_challenger_false_alerts", 0L);
        assertThat((Double) d.get("ab_p_value")).isCloseTo(1.0, within(1e-12));
        assertThat(t.describe()).contains("fraud/1 caught 3 of 4 frauds (75.0 %)")
                .contains("fraud/2 caught 1 of 2 (50.0 %)");
    }

    @Test
    void emptyArmsHaveNoRatesNoAveragePrecisionAndNoTest() {
        AbTest t = AbTest.of("fraud/1", List.of(), "fraud/2", List.of());
        for (AbTest.Arm arm : List.of(t.champion(), t.challenger())) {
            assertThat(arm.transactions()).isZero();
            assertThat(arm.frauds()).isZero();
            assertThat(arm.caught()).isZero();
            assertThat(arm.falseAlerts()).isZero();
            assertThat(arm.recall()).isNaN();
            assertThat(arm.alertPrecision()).isNaN();
            assertThat(arm.averagePrecision()).isNull();
        }
        assertThat(t.pValue()).isNaN();
        assertThat(t.details()).containsEntry("ab_p_value", null);
    }

    @Test
    void anArmWithoutFraudsIsNotTested() {
        // champion saw frauds, the challenger's cards none: nothing to compare catch rates on
        List<KnownOutcome> quiet = List.of(outcome("q1", 0.8, DecisionType.REVIEW, false),
                outcome("q2", 0.1, DecisionType.APPROVE, false));
        AbTest t = AbTest.of("fraud/1", arm(3, 1, 2, 5), "fraud/2", quiet);
        assertThat(t.challenger().frauds()).isZero();
        assertThat(t.challenger().recall()).isNaN();
        assertThat(t.challenger().alertPrecision()).isZero();
        assertThat(t.challenger().averagePrecision()).as("no fraud: AP undefined, not zero").isNull();
        assertThat(t.pValue()).isNaN();
        assertThat(t.details()).containsEntry("ab_p_value", null);

        AbTest swapped = AbTest.of("fraud/1", quiet, "fraud/2", arm(3, 1, 2, 5));
        assertThat(swapped.pValue()).isNaN();
    }

    @Test
    void anArmOfOnlyFraudsHasNoAveragePrecisionButIsTested() {
        // AP is undefined when every row is a fraud (no ranking to judge), the catch rate is not
        AbTest t = AbTest.of("fraud/1", arm(2, 2, 0, 0), "fraud/2", arm(4, 0, 0, 0));
        assertThat(t.champion().averagePrecision()).isNull();
        assertThat(t.challenger().averagePrecision()).isNull();
        assertThat(t.challenger().recall()).isEqualTo(1.0);
        // [[2, 2], [4, 0]]: P(a) for a = 2, 3, 4 is 6/28, 16/28, 6/28; two-sided 12/28
        assertThat(t.pValue()).isCloseTo(reference(2, 2, 4, 0), within(1e-12));
        assertThat(t.pValue()).isCloseTo(3.0 / 7, within(1e-12));
    }

    /**
     * Whatever the arms, the p-value is the exact two-sided Fisher test computed here with integer arithmetic
     * (tables as likely as the observed one or less, with R's relative tolerance of 1e-7 for ties), lies in (0, 1],
     * and does not depend on which arm is called the champion. Genuine rows and false alerts do not change it.
     */
    @Property(tries = 300)
    void pValueIsTheExactHypergeometricTailWhateverTheArms(@ForAll @IntRange(max = 25) int championCaught,
                                                          @ForAll @IntRange(max = 25) int championMissed,
                                                          @ForAll @IntRange(max = 25) int challengerCaught,
                                                          @ForAll @IntRange(max = 25) int challengerMissed,
                                                          @ForAll @IntRange(max = 4) int falseAlerts,
                                                          @ForAll @IntRange(max = 4) int quiet) {
        AbTest t = AbTest.of("fraud/1", arm(championCaught, championMissed, falseAlerts, quiet), "fraud/2",
                arm(challengerCaught, challengerMissed, quiet, falseAlerts));
        if (championCaught + championMissed == 0 || challengerCaught + challengerMissed == 0) {
            assertThat(t.pValue()).isNaN();
            return;
        }
        double expected = reference(championCaught, championMissed, challengerCaught, challengerMissed);
        assertThat(t.pValue()).isCloseTo(expected, within(1e-9 + 1e-9 * expected));
        assertThat(t.pValue()).isGreaterThan(0).isLessThanOrEqualTo(1.0 + 1e-12);
        AbTest swapped = AbTest.of("fraud/2", arm(challengerCaught, challengerMissed, 0, 0), "fraud/1",
                arm(championCaught, championMissed, 0, 0));
        assertThat(swapped.pValue()).isCloseTo(t.pValue(), within(1e-12));
        assertThat(t.champion().caught()).isEqualTo(championCaught);
        assertThat(t.champion().frauds()).isEqualTo(championCaught + championMissed);
        assertThat(t.champion().falseAlerts()).isEqualTo(falseAlerts);
        assertThat(t.challenger().transactions())
                .isEqualTo(challengerCaught + challengerMissed + quiet + falseAlerts);
    }

    /** Two-sided Fisher's exact p-value of [[a, b], [c, d]], by exact hypergeometric probabilities. */
    static double reference(int a, int b, int c, int d) {
        int r1 = a + b;
        int r2 = c + d;
        int c1 = a + c;
        int n = r1 + r2;
        BigInteger total = binomial(n, c1);
        java.math.BigDecimal observed = probability(r1, r2, c1, a, total);
        java.math.BigDecimal bound = observed.multiply(java.math.BigDecimal.valueOf(1 + 1e-7));
        java.math.BigDecimal p = java.math.BigDecimal.ZERO;
        for (int x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
            java.math.BigDecimal px = probability(r1, r2, c1, x, total);
            if (px.compareTo(bound) <= 0) {
                p = p.add(px);
            }
        }
        return Math.min(1.0, p.doubleValue());
    }

    private static java.math.BigDecimal probability(int r1, int r2, int c1, int x, BigInteger total) {
        return new java.math.BigDecimal(binomial(r1, x).multiply(binomial(r2, c1 - x)))
                .divide(new java.math.BigDecimal(total), java.math.MathContext.DECIMAL128);
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    /** An arm: frauds caught (declined) and missed (approved), false alerts (reviewed) and quiet genuine rows. */
    static List<KnownOutcome> arm(int caught, int missed, int falseAlerts, int quiet) {
        List<KnownOutcome> rows = new ArrayList<>();
        for (int i = 0; i < caught; i++) {
            rows.add(outcome("caught" + i, 0.9, DecisionType.DECLINE, true));
        }
        for (int i = 0; i < missed; i++) {
            rows.add(outcome("missed" + i, 0.2, DecisionType.APPROVE, true));
        }
        for (int i = 0; i < falseAlerts; i++) {
            rows.add(outcome("false" + i, 0.7, DecisionType.REVIEW, false));
        }
        for (int i = 0; i < quiet; i++) {
            rows.add(outcome("quiet" + i, 0.05, DecisionType.APPROVE, false));
        }
        return rows;
    }

    static KnownOutcome outcome(String id, double score, DecisionType type, boolean fraud) {
        Transaction tx = new Transaction(id, T, "card-" + id, "term-1", 10);
        Decision d = new Decision(tx, new double[] {10}, List.of("TX_AMOUNT"), score, type, List.of(), "fraud/1",
                null, null, T);
        return new KnownOutcome(d, fraud, true);
    }
}
