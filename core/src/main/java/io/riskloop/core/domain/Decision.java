package io.riskloop.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of scoring one transaction, as the stream processor emits it and the store keeps it.
 *
 * @param transaction       the transaction (card token, never a card number)
 * @param features          the feature vector the model saw, in {@code featureNames} order
 * @param featureNames      names of the features
 * @param score             the champion's fraud probability
 * @param decision          approve, review or decline
 * @param reasons           why: the rules that fired or the threshold crossed
 * @param modelVersion      the champion version that made the decision
 * @param challengerScore   the challenger's probability, scored in shadow, or null
 * @param challengerVersion the challenger's version, or null
 * @param decidedAt         wall-clock time of the decision
 */
public record Decision(Transaction transaction, double[] features, List<String> featureNames, double score,
                       DecisionType decision, List<String> reasons, String modelVersion, Double challengerScore,
                       String challengerVersion, Instant decidedAt) {

    public Decision {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(decision, "decision");
        reasons = List.copyOf(reasons);
        featureNames = List.copyOf(featureNames);
    }

    /** Whether an analyst should hear of it. */
    public boolean alerts() {
        return decision != DecisionType.APPROVE;
    }
}
