package io.riskloop.store.decisions;

import io.riskloop.core.domain.DecisionType;

import java.time.Instant;

/**
 * What to look for among stored decisions; every field is optional (null: any).
 *
 * @param decision   approve, review or decline
 * @param label      the state of the transaction's true label
 * @param cardId     one card
 * @param terminalId one terminal
 * @param from       event time at or after
 * @param to         event time before
 * @param minScore   score at or above
 * @param maxScore   score at or below
 */
public record DecisionFilter(DecisionType decision, LabelState label, String cardId, String terminalId, Instant from,
                             Instant to, Double minScore, Double maxScore) {

    /** Whether a true label is known, and which. */
    public enum LabelState { UNLABELLED, LABELLED, FRAUD, GENUINE }

    public static final DecisionFilter ALL = new DecisionFilter(null, null, null, null, null, null, null, null);

    /** The review queue: reviews without a label. */
    public static final DecisionFilter REVIEW_QUEUE = new DecisionFilter(DecisionType.REVIEW, LabelState.UNLABELLED,
            null, null, null, null, null, null);

    public DecisionFilter withCard(String card) {
        return new DecisionFilter(decision, label, card, terminalId, from, to, minScore, maxScore);
    }
}
