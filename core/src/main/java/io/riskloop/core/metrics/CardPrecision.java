package io.riskloop.core.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Card Precision@k: analysts can check about k cards a day, so per day each card is ranked by its highest
 * score, and the share of defrauded cards among the top k is what counts. Cards caught (defrauded and in the
 * top k) on an earlier day are left out of later days. The result is the mean over days.
 *
 * <p>Ties in a card's score are broken by card id, ascending, so the result is deterministic.
 */
public final class CardPrecision {

    private CardPrecision() {
    }

    /** Card Precision@k and its per-day values. */
    public record Result(double mean, List<Double> perDay) {
    }

    /**
     * @param day    a day number per transaction (e.g. days since the epoch)
     * @param card   the card of each transaction
     * @param score  its score
     * @param fraud  whether it was fraud
     * @param k      cards an analyst team can check per day
     */
    public static Result atK(long[] day, String[] card, double[] score, boolean[] fraud, int k) {
        int n = day.length;
        if (card.length != n || score.length != n || fraud.length != n) {
            throw new IllegalArgumentException("day, card, score and fraud must have the same length");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        TreeMap<Long, List<Integer>> byDay = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byDay.computeIfAbsent(day[i], d -> new ArrayList<>()).add(i);
        }
        Set<String> caught = new HashSet<>();
        List<Double> perDay = new ArrayList<>();
        for (List<Integer> rows : byDay.values()) {
            Map<String, double[]> cards = new HashMap<>(); // card -> {max score, any fraud}
            for (int i : rows) {
                if (caught.contains(card[i])) {
                    continue;
                }
                double[] c = cards.computeIfAbsent(card[i], x -> new double[] {Double.NEGATIVE_INFINITY, 0});
                c[0] = Math.max(c[0], score[i]);
                if (fraud[i]) {
                    c[1] = 1;
                }
            }
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>(cards.entrySet());
            ranked.sort((a, b) -> {
                int byScore = Double.compare(b.getValue()[0], a.getValue()[0]);
                return byScore != 0 ? byScore : a.getKey().compareTo(b.getKey());
            });
            int hits = 0;
            for (int r = 0; r < Math.min(k, ranked.size()); r++) {
                if (ranked.get(r).getValue()[1] == 1) {
                    hits++;
                    caught.add(ranked.get(r).getKey());
                }
            }
            perDay.add(hits / (double) k);
        }
        double mean = perDay.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Result(mean, List.copyOf(perDay));
    }
}
