package io.riskloop.store.decisions;

/** A transaction id with no decision in the store. */
public final class NoSuchTransactionException extends RuntimeException {
    private final String transactionId;

    public NoSuchTransactionException(String transactionId) {
        super("no decision is stored for transaction '" + transactionId + "'");
        this.transactionId = transactionId;
    }

    public String transactionId() {
        return transactionId;
    }
}
