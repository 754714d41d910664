package io.riskloop.store.decisions;

import io.riskloop.core.domain.Decision;

import java.time.Instant;

/**
 * A decision as stored, with its current true label (null until known).
 *
 * @param decision    the decision
 * @param trueLabel   true fraud, false genuine, null unknown
 * @param labelSource where the current label came from (analyst, chargeback, api, import)
 * @param labelAuthor who gave it
 * @param labeledAt   when
 * @param storedAt    when the decision reached the store
 */
public record StoredDecision(Decision decision, Boolean trueLabel, String labelSource, String labelAuthor,
                             Instant labeledAt, Instant storedAt) {
}
