package io.riskloop.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The moment a transaction's true label became known (analyst verdict, chargeback, or, in replay,
 * the end of the labelling delay). Label-aware features only ever see labels through these events,
 * so a feature computed at time t can only use labels known at t.
 *
 * @param transactionId the labelled transaction
 * @param cardId        its card
 * @param terminalId    its terminal
 * @param transactionTime when the transaction happened
 * @param fraud         the label
 * @param knownAt       when the label became known
 */
public record LabelEvent(String transactionId, String cardId, String terminalId, Instant transactionTime,
                         boolean fraud, Instant knownAt) {
    public LabelEvent {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(transactionTime, "transactionTime");
        Objects.requireNonNull(knownAt, "knownAt");
    }

    public static LabelEvent of(Transaction tx, boolean fraud, Instant knownAt) {
        return new LabelEvent(tx.id(), tx.cardId(), tx.terminalId(), tx.timestamp(), fraud, knownAt);
    }
}
