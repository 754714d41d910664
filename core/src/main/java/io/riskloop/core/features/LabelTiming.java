package io.riskloop.core.features;

import io.riskloop.core.domain.LabeledTransaction;

import java.time.Duration;
import java.time.Instant;

/** When the label of a transaction became known during a replay; null means never within the replay. */
@FunctionalInterface
public interface LabelTiming {

    Instant knownAt(LabeledTransaction row);

    /**
     * Every fraud becomes known {@code delay} after its transaction (the handbook's assumption, with a 7-day
     * delay). Genuine labels are not replayed: a transaction is genuine until it is known to be fraud, so they
     * would change nothing.
     */
    static LabelTiming fraudKnownAfter(Duration delay) {
        return row -> row.fraud() ? row.transaction().timestamp().plus(delay) : null;
    }
}
