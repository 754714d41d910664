package io.riskloop.core.domain;

import java.util.Objects;

/**
 * A transaction with its true label, as it is known in a training data set.
 *
 * @param transaction the transaction
 * @param fraud       whether it was fraud
 * @param scenario    the simulator's fraud scenario (0 = genuine or unknown)
 */
public record LabeledTransaction(Transaction transaction, boolean fraud, int scenario) {
    public LabeledTransaction {
        Objects.requireNonNull(transaction, "transaction");
    }
}
