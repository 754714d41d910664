package io.riskloop.stream;

import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a score into approve / review / decline, with simple rules on top, and says why. The most severe outcome
 * wins, except that an allow-listed card is always approved.
 *
 * @param reviewThreshold  a score at or above this is reviewed
 * @param declineThreshold a score at or above this is declined
 * @param allowCards       cards always approved
 * @param blockCards       cards always declined
 * @param blockTerminals   terminals whose transactions are always declined
 * @param reviewAmount     amounts at or above this are reviewed (infinity: no limit)
 * @param declineAmount    amounts at or above this are declined (infinity: no limit)
 */
public record DecisionPolicy(double reviewThreshold, double declineThreshold, Set<String> allowCards,
                             Set<String> blockCards, Set<String> blockTerminals, double reviewAmount,
                             double declineAmount) {

    public static final DecisionPolicy DEFAULT = new DecisionPolicy(0.5, 0.9, Set.of(), Set.of(), Set.of(),
            Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /** A decision and its reasons. */
    public record Outcome(DecisionType decision, List<String> reasons) {
    }

    public DecisionPolicy {
        if (!(reviewThreshold >= 0 && reviewThreshold <= declineThreshold && declineThreshold <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= review <= decline <= 1, got review "
                    + reviewThreshold + " and decline " + declineThreshold);
        }
        if (!(reviewAmount > 0) || !(declineAmount > 0)) {
            throw new IllegalArgumentException("amount limits must be positive, got review " + reviewAmount
                    + " and decline " + declineAmount);
        }
        allowCards = Set.copyOf(allowCards);
        blockCards = Set.copyOf(blockCards);
        blockTerminals = Set.copyOf(blockTerminals);
    }

    public DecisionPolicy withThresholds(double review, double decline) {
        return new DecisionPolicy(review, decline, allowCards, blockCards, blockTerminals, reviewAmount, declineAmount);
    }

    public Outcome decide(Transaction tx, double score) {
        if (allowCards.contains(tx.cardId())) {
            return new Outcome(DecisionType.APPROVE, List.of("card on the allow list"));
        }
        List<String> reasons = new ArrayList<>();
        DecisionType d = DecisionType.APPROVE;
        if (blockCards.contains(tx.cardId())) {
            reasons.add("card on the block list");
            d = DecisionType.DECLINE;
        }
        if (blockTerminals.contains(tx.terminalId())) {
            reasons.add("terminal on the block list");
            d = DecisionType.DECLINE;
        }
        if (tx.amount() >= declineAmount) {
            reasons.add(String.format(Locale.ROOT, "amount %.2f at or above the decline limit %.2f", tx.amount(),
                    declineAmount));
            d = DecisionType.DECLINE;
        } else if (tx.amount() >= reviewAmount) {
            reasons.add(String.format(Locale.ROOT, "amount %.2f at or above the review limit %.2f", tx.amount(),
                    reviewAmount));
            d = max(d, DecisionType.REVIEW);
        }
        if (score >= declineThreshold) {
            reasons.add(String.format(Locale.ROOT, "score %.3f at or above the decline threshold %.2f", score,
                    declineThreshold));
            d = DecisionType.DECLINE;
        } else if (score >= reviewThreshold) {
            reasons.add(String.format(Locale.ROOT, "score %.3f at or above the review threshold %.2f", score,
                    reviewThreshold));
            d = max(d, DecisionType.REVIEW);
        }
        if (reasons.isEmpty()) {
            reasons.add(String.format(Locale.ROOT, "score %.3f below the review threshold %.2f", score,
                    reviewThreshold));
        }
        return new Outcome(d, reasons);
    }

    private static DecisionType max(DecisionType a, DecisionType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
