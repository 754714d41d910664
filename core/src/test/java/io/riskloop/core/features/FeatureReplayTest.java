package io.riskloop.core.features;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The incremental features (bounded per-entity state, labels applied when known) equal a direct computation
 * from the definitions in reference-benchmark.md section 2 over the whole history.
 */
class FeatureReplayTest {

    private static final long DAY = 86_400L;
    private static final Instant T0 = Instant.parse("2018-04-01T00:00:00Z");

    /** One generated event: seconds after T0, card, terminal, cents, fraud, label delay in seconds. */
    record Event(long second, int card, int terminal, long cents, boolean fraud, long labelDelay) {
    }

    @Provide
    Arbitrary<List<Event>> histories() {
        Arbitrary<Event> event = Combinators.combine(
                Arbitraries.longs().between(0, 60 * DAY),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(1, 60_000),
                Arbitraries.integers().between(0, 9).map(i -> i < 3),
                Arbitraries.longs().between(0, 20 * DAY)).as(Event::new);
        // Ties in time are made likely by snapping some events to whole days.
        Arbitrary<Event> snapped = event.map(e -> new Event(e.second() / DAY * DAY, e.card(), e.terminal(), e.cents(),
                e.fraud(), e.labelDelay() / DAY * DAY));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, event), net.jqwik.api.Tuple.of(1, snapped))
                .list().ofMinSize(1).ofMaxSize(80)
                .map(l -> l.stream().sorted(Comparator.comparingLong(Event::second)).toList());
    }

    @Property(tries = 300)
    void baselineFeaturesWithTheBookDelayEqualTheirDefinition(@ForAll("histories") List<Event> history) {
        check(history, true);
    }

    @Property(tries = 300)
    void baselineFeaturesWithLabelsKnownAtRandomTimesEqualTheirDefinition(@ForAll("histories") List<Event> history) {
        check(history, false);
    }

    private static void check(List<Event> history, boolean bookDelay) {
        List<LabeledTransaction> rows = new ArrayList<>();
        Map<String, Instant> knownAt = new HashMap<>();
        for (int i = 0; i < history.size(); i++) {
            Event e = history.get(i);
            Transaction tx = new Transaction("tx" + i, T0.plusSeconds(e.second()), "card" + e.card(),
                    "term" + e.terminal(), e.cents() / 100.0);
            rows.add(new LabeledTransaction(tx, e.fraud(), e.fraud() ? 1 : 0));
            if (e.fraud()) {
                knownAt.put(tx.id(), tx.timestamp().plusSeconds(bookDelay ? 7 * DAY : e.labelDelay()));
            }
        }
        LabelTiming timing = row -> knownAt.get(row.transaction().id());
        FeatureMatrix m = FeatureReplay.replay(rows, FeatureSet.BASELINE, timing, FeatureReplay.Progress.NONE);

        List<ValueRange> ranges = FeatureSet.BASELINE.ranges();
        for (int i = 0; i < rows.size(); i++) {
            double[] expected = definition(rows, knownAt, i);
            for (int j = 0; j < expected.length; j++) {
                assertThat(m.get(i, j))
                        .as("row %d feature %s", i, m.names().get(j))
                        .isEqualTo((float) expected[j]);
                // what validation of stored features relies on: every value lies in its feature's declared range
                assertThat(ranges.get(j).contains(m.get(i, j)))
                        .as("row %d feature %s = %s in %s", i, m.names().get(j), m.get(i, j), ranges.get(j)).isTrue();
            }
        }
    }

    /** The 15 features of row i computed directly from the definitions over the whole history. */
    private static double[] definition(List<LabeledTransaction> rows, Map<String, Instant> knownAt, int i) {
        Transaction tx = rows.get(i).transaction();
        long t = tx.timestamp().getEpochSecond();
        ZonedDateTime z = tx.timestamp().atZone(ZoneOffset.UTC);
        List<Double> f = new ArrayList<>();
        f.add(tx.amount());
        f.add(z.getDayOfWeek() == DayOfWeek.SATURDAY || z.getDayOfWeek() == DayOfWeek.SUNDAY ? 1.0 : 0.0);
        f.add(z.getHour() <= 6 ? 1.0 : 0.0);
        for (int w : new int[] {1, 7, 30}) {
            long n = 0;
            long cents = 0;
            for (int j = 0; j <= i; j++) { // the current transaction and those before it
                Transaction o = rows.get(j).transaction();
                long s = o.timestamp().getEpochSecond();
                if (o.cardId().equals(tx.cardId()) && s > t - w * DAY && s <= t) {
                    n++;
                    cents += o.amountCents();
                }
            }
            f.add((double) n);
            f.add(n == 0 ? 0.0 : cents / (double) n / 100.0);
        }
        for (int w : new int[] {1, 7, 30}) {
            long n = 0;
            long frauds = 0;
            for (int j = 0; j < i; j++) {
                LabeledTransaction o = rows.get(j);
                long s = o.transaction().timestamp().getEpochSecond();
                if (o.transaction().terminalId().equals(tx.terminalId()) && s >= t - (7 + w) * DAY && s < t - 7 * DAY) {
                    n++;
                    Instant known = knownAt.get(o.transaction().id());
                    if (o.fraud() && known != null && !known.isAfter(tx.timestamp())) {
                        frauds++;
                    }
                }
            }
            f.add((double) n);
            f.add(n == 0 ? 0.0 : frauds / (double) n);
        }
        return f.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void aFraudLabelIsInvisibleUntilItIsKnown() {
        // Terminal T sees a fraud on day 0; its label is known on day 10. On day 8 the fraud lies in the 7-day
        // risk window [day 8 - 14, day 8 - 7) but is not known yet: risk 0. On day 11 it is known: risk 1.
        Transaction fraud = new Transaction("f", T0, "c1", "T", 10);
        Transaction day8 = new Transaction("a", T0.plusSeconds(8 * DAY), "c2", "T", 10);
        Transaction day11 = new Transaction("b", T0.plusSeconds(11 * DAY), "c3", "T", 10);
        List<LabeledTransaction> rows = List.of(new LabeledTransaction(fraud, true, 1),
                new LabeledTransaction(day8, false, 0), new LabeledTransaction(day11, false, 0));
        LabelTiming timing = r -> r.fraud() ? r.transaction().timestamp().plus(Duration.ofDays(10)) : null;
        FeatureMatrix m = FeatureReplay.replay(rows, FeatureSet.BASELINE, timing, FeatureReplay.Progress.NONE);
        int nb7 = m.names().indexOf("TERMINAL_ID_NB_TX_7DAY_WINDOW");
        int risk7 = m.names().indexOf("TERMINAL_ID_RISK_7DAY_WINDOW");
        assertThat(m.get(1, nb7)).isEqualTo(1f);
        assertThat(m.get(1, risk7)).isEqualTo(0f);
        // On day 11 the window is [day -3, day 4): the fraud only (day 8 is too recent), and now it is known.
        assertThat(m.get(2, nb7)).isEqualTo(1f);
        assertThat(m.get(2, risk7)).isEqualTo(1f);
    }

    @Test
    void unsortedInputIsRefused() {
        Transaction a = new Transaction("a", T0.plusSeconds(10), "c", "t", 1);
        Transaction b = new Transaction("b", T0, "c", "t", 1);
        assertThatThrownBy(() -> FeatureReplay.replay(List.of(new LabeledTransaction(a, false, 0),
                new LabeledTransaction(b, false, 0)), FeatureSet.BASELINE, r -> null, FeatureReplay.Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted by time");
    }

    @Property(tries = 50)
    void stateStaysBoundedByTheWindowsNotTheHistory(@ForAll @IntRange(min = 100, max = 400) int days) {
        // One card and one terminal, one transaction an hour for many days: the engine's windows never hold more
        // than the longest window's worth of events.
        FeatureEngine engine = FeatureSet.BASELINE.newEngine();
        CardSpending cards = (CardSpending) FeatureSet.BASELINE.groups().get(1);
        EventWindow cardWindow = cards.newState();
        double[] out = new double[2 * 3];
        for (long h = 0; h < days * 24L; h++) {
            Transaction tx = new Transaction("t" + h, T0.plusSeconds(h * 3600), "c", "t", 1);
            engine.apply(tx);
            cards.apply(cardWindow, tx, out, 0);
        }
        assertThat(cardWindow.size()).isLessThanOrEqualTo(30 * 24 + 1);
        assertThat(engine.entities()).isEqualTo(2); // one card state, one terminal state
    }
}
