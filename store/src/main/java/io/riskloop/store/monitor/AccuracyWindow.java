package io.riskloop.store.monitor;

import java.time.Instant;

/**
 * Accuracy of one model version over a label-complete window of live traffic. Metrics are null when the window
 * holds no fraud (they are undefined, not zero).
 *
 * @param modelVersion          e.g. {@code fraud/3}
 * @param alias                 the role the version had on that traffic: {@value #DECIDED} (its scores decided: the
 *                              champion, or the challenger on its A/B arm) or {@value #SHADOW} (it scored beside
 *                              the deciding model)
 * @param labelsKnownAt         labels known by then count; frauds reported later do not
 * @param precisionAtReview     precision of scores at or above the review threshold
 * @param recallAtReview        recall at the review threshold
 */
public record AccuracyWindow(String modelVersion, String alias, Instant windowStart, Instant windowEnd,
                             Instant labelsKnownAt, long rows, long frauds, Double averagePrecision,
                             Double cardPrecisionAt100, Double precisionAtReview, Double recallAtReview) {

    public static final String DECIDED = "decided";
    public static final String SHADOW = "shadow";
}
