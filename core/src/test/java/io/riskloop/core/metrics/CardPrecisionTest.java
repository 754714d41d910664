package io.riskloop.core.metrics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CardPrecisionTest {

    /**
     * Three days, k = 2, rows deliberately out of day order.
     *
     * <pre>
     * day 1: A 0.2 genuine + A 0.9 fraud  -> A max 0.9, defrauded
     *        B 0.8 genuine, C 0.7 fraud
     *        top 2: A (fraud), B            -> 1/2; A is caught. C is defrauded but not caught (not in the top 2).
     * day 2: A 0.95 genuine (caught: left out), B 0.7 fraud, Z 0.6 genuine, C 0.6 fraud
     *        top 2: B, then C before Z (tie, ids ascending) -> 2/2; B and C are caught.
     * day 3: B 0.99 fraud (caught: left out), E 0.1 fraud
     *        top 2: E only                  -> 1/2 (divided by k, not by the cards present)
     * mean = (1/2 + 1 + 1/2) / 3 = 2/3
     * </pre>
     * Using a card's first score instead of its maximum, breaking ties by descending id, keeping caught cards, or
     * leaving out every defrauded card instead of only the caught ones each changes the per-day values.
     */
    @Test
    void ranksCardsByTheirMaxScoreBreaksTiesByIdAndLeavesOutCardsCaughtEarlier() {
        long[] day = {19002, 19000, 19001, 19000, 19001, 19000, 19002, 19001, 19000, 19001};
        String[] card = {"E", "A", "B", "B", "Z", "C", "B", "A", "A", "C"};
        double[] score = {0.1, 0.2, 0.7, 0.8, 0.6, 0.7, 0.99, 0.95, 0.9, 0.6};
        boolean[] fraud = {true, false, true, false, false, true, true, false, true, true};

        CardPrecision.Result r = CardPrecision.atK(day, card, score, fraud, 2);

        assertThat(r.perDay()).containsExactly(0.5, 1.0, 0.5);
        assertThat(r.mean()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void aCardIsDefraudedOnADayIfAnyOfItsTransactionsThatDayIsFraud() {
        // X has a genuine transaction at 0.9 and a fraud at 0.1: ranked by 0.9, counted as defrauded.
        long[] day = {1, 1, 1};
        String[] card = {"X", "X", "Y"};
        double[] score = {0.9, 0.1, 0.5};
        boolean[] fraud = {false, true, false};
        assertThat(CardPrecision.atK(day, card, score, fraud, 1).perDay()).containsExactly(1.0);
    }

    @Test
    void hasNoDaysAndAMeanOfNaNWithoutTransactions() {
        CardPrecision.Result r = CardPrecision.atK(new long[0], new String[0], new double[0], new boolean[0], 5);
        assertThat(r.perDay()).isEmpty();
        assertThat(r.mean()).isNaN();
    }

    @Test
    void rejectsKBelowOne() {
        assertThatThrownBy(() -> CardPrecision.atK(new long[] {1}, new String[] {"a"}, new double[] {1},
                new boolean[] {true}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1");
    }

    @Test
    void rejectsArraysOfDifferentLengths() {
        assertThatThrownBy(() -> CardPrecision.atK(new long[] {1, 2}, new String[] {"a"}, new double[] {1, 2},
                new boolean[] {true, false}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same length");
    }

    @Property
    void agreesWithAStraightforwardReimplementation(@ForAll("rows") List<Row> rows,
                                                     @ForAll @IntRange(min = 1, max = 4) int k) {
        long[] day = rows.stream().mapToLong(Row::day).toArray();
        String[] card = rows.stream().map(Row::card).toArray(String[]::new);
        double[] score = rows.stream().mapToDouble(Row::score).toArray();
        boolean[] fraud = new boolean[rows.size()];
        for (int i = 0; i < fraud.length; i++) {
            fraud[i] = rows.get(i).fraud();
        }

        CardPrecision.Result r = CardPrecision.atK(day, card, score, fraud, k);

        List<Double> expected = reference(rows, k);
        assertThat(r.perDay()).containsExactlyElementsOf(expected);
        assertThat(r.mean()).isCloseTo(expected.stream().mapToDouble(d -> d).sum() / expected.size(),
                within(1e-12));
    }

    record Row(long day, String card, double score, boolean fraud) {
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<Long> day = Arbitraries.longs().between(0, 3);
        Arbitrary<String> card = Arbitraries.of("c0", "c1", "c2", "c3", "c4", "c5", "c6");
        Arbitrary<Double> score = Arbitraries.of(0.0, 0.2, 0.5, 0.8, 1.0);
        Arbitrary<Boolean> fraud = Arbitraries.of(true, false);
        return Combinators.combine(day, card, score, fraud).as(Row::new).list().ofMinSize(1).ofMaxSize(40);
    }

    /** Day by day: rank the cards not caught yet by their best score (then id), count defrauded ones in the top k. */
    private static List<Double> reference(List<Row> rows, int k) {
        record CardDay(String card, double maxScore, boolean defrauded) {
        }
        Set<String> caught = new HashSet<>();
        List<Double> perDay = new ArrayList<>();
        for (long d : new TreeSet<>(rows.stream().map(Row::day).toList())) {
            Map<String, List<Row>> byCard = new TreeMap<>();
            for (Row row : rows) {
                if (row.day == d && !caught.contains(row.card)) {
                    byCard.computeIfAbsent(row.card, c -> new ArrayList<>()).add(row);
                }
            }
            List<CardDay> ranked = byCard.entrySet().stream()
                    .map(e -> new CardDay(e.getKey(),
                            e.getValue().stream().mapToDouble(Row::score).max().orElseThrow(),
                            e.getValue().stream().anyMatch(Row::fraud)))
                    .sorted(Comparator.comparingDouble(CardDay::maxScore).reversed()
                            .thenComparing(CardDay::card))
                    .limit(k)
                    .toList();
            int hits = 0;
            for (CardDay c : ranked) {
                if (c.defrauded()) {
                    hits++;
                    caught.add(c.card());
                }
            }
            perDay.add(hits / (double) k);
        }
        return perDay;
    }
}
