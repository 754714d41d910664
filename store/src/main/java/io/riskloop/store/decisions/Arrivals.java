package io.riskloop.store.decisions;

import java.time.Instant;

/**
 * What the store took in after a moment, as the database counts it.
 *
 * @param asOf        the database's time of the count: the moment to ask from next time
 * @param decisions   decision rows stored since
 * @param deadLetters dead-letter rows stored since
 */
public record Arrivals(Instant asOf, long decisions, long deadLetters) {
}
