package io.riskloop.store.decisions;

import java.time.Instant;

/** One label in a transaction's history. */
public record StoredLabel(long id, String transactionId, Instant eventTime, boolean fraud, String source, String author,
                          String comment, Instant knownAt, Instant createdAt) {
}
