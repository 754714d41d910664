package io.riskloop.store.monitor;

import java.time.Instant;
import java.util.Map;

/**
 * One thing the monitoring loop saw or did.
 *
 * @param id        database id (0 before it is stored)
 * @param at        when, in the loop's clock (simulated time in a scenario)
 * @param kind      what: {@code drift_detected}, {@code accuracy_drop}, {@code retrain_triggered},
 *                  {@code retrain_failed}, {@code challenger_registered}, {@code shadow}, {@code promoted},
 *                  {@code rolled_back}, {@code watch_ended}, {@code alert} ...
 * @param modelName the registered model
 * @param version   the model version concerned (e.g. {@code fraud/3}), or null
 * @param summary   one line for people
 * @param details   figures behind it
 */
public record LoopEvent(long id, Instant at, String kind, String modelName, String version, String summary,
                        Map<String, Object> details) {

    public LoopEvent {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** Details from key-value pairs, in order; values may be null. */
    public static Map<String, Object> details(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("details come in key-value pairs, got " + keyValues.length + " items");
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static LoopEvent of(Instant at, String kind, String modelName, String version, String summary,
                               Map<String, Object> details) {
        return new LoopEvent(0, at, kind, modelName, version, summary, details);
    }
}
