package io.riskloop.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.riskloop.store.monitor.AccuracyWindow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accuracy of one model version in one role over time: its label-complete windows, oldest first. What the API
 * serves and the web app charts.
 *
 * @param modelVersion e.g. {@code fraud/3}
 * @param alias        decided (its scores decided that traffic) or shadow (it scored it beside the deciding model)
 */
public record AccuracySeries(String modelVersion, String alias, List<Window> windows) {

    public AccuracySeries {
        windows = List.copyOf(windows);
    }

    /** One window's figures; the metrics are null when the window held no known fraud. */
    public record Window(Instant windowStart, Instant windowEnd, Instant labelsKnownAt, long rows, long frauds,
                         Double averagePrecision,
                         @JsonProperty("card_precision_at_100") Double cardPrecisionAt100,
                         Double precisionAtReview, Double recallAtReview) {
    }

    /** One series per version and role, in the order they first appear in {@code windows} (oldest first). */
    public static List<AccuracySeries> of(List<AccuracyWindow> windows) {
        Map<List<String>, List<Window>> byVersion = new LinkedHashMap<>();
        for (AccuracyWindow w : windows) {
            byVersion.computeIfAbsent(List.of(w.modelVersion(), w.alias()), k -> new ArrayList<>())
                    .add(new Window(w.windowStart(), w.windowEnd(), w.labelsKnownAt(), w.rows(), w.frauds(),
                            w.averagePrecision(), w.cardPrecisionAt100(), w.precisionAtReview(), w.recallAtReview()));
        }
        List<AccuracySeries> out = new ArrayList<>();
        byVersion.forEach((k, v) -> out.add(new AccuracySeries(k.get(0), k.get(1), v)));
        return out;
    }
}
