package io.riskloop.store.decisions;

import java.time.Instant;

/** A record the pipeline could not process, with where it came from and why. */
public record DeadLetter(String sourceTopic, int partition, long offset, String field, String reason, String record,
                         Instant receivedAt) {
}
