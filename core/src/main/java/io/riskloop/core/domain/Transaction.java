package io.riskloop.core.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One card transaction as riskloop sees it: never a raw card number, only the card token.
 *
 * @param id         unique transaction id
 * @param timestamp  event time (UTC)
 * @param cardId     card token (or customer id in simulated data)
 * @param terminalId terminal or merchant id; empty when the source has none
 * @param amount     amount in the transaction currency, two decimals
 * @param attributes further source-specific fields (e.g. merchant category, coordinates)
 */
public record Transaction(String id, Instant timestamp, String cardId, String terminalId, double amount,
                          Map<String, String> attributes) {

    public Transaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(terminalId, "terminalId");
        attributes = attributes == null || attributes.isEmpty() ? Map.of() : Map.copyOf(attributes);
    }

    public Transaction(String id, Instant timestamp, String cardId, String terminalId, double amount) {
        this(id, timestamp, cardId, terminalId, amount, Map.of());
    }

    /** The amount in whole cents, the unit feature state keeps so that window sums are exact. */
    public long amountCents() {
        return Math.round(amount * 100.0);
    }

    /** An attribute parsed as a number, or NaN when it is absent or not a number. */
    public double numericAttribute(String name) {
        String v = attributes.get(name);
        if (v == null || v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
