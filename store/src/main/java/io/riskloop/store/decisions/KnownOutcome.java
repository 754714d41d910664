package io.riskloop.store.decisions;

import io.riskloop.core.domain.Decision;

/**
 * A stored decision with its label as known at a given time: the latest label given by then, or genuine when none
 * was (riskloop's convention for label-complete windows: a fraud not reported by then counts as genuine).
 *
 * @param decision what the pipeline decided, with the features it saw
 * @param fraud    the label known at that time
 * @param labelled whether any label was known at that time
 */
public record KnownOutcome(Decision decision, boolean fraud, boolean labelled) {
}
