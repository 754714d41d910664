package io.riskloop.cli;

import io.riskloop.store.monitor.LoopEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closed loop end to end on the real pipeline, broker and database (docs/monitoring.md, "The drift scenario"):
 * each step the loop must take is asserted in order, and the accuracy figures must show the drop and the recovery.
 */
class DriftScenarioTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void driftIsDetectedAndARetrainedChallengerIsShadowedPromotedAndRecoversAccuracy() throws Exception {
        StringWriter log = new StringWriter();
        DriftScenario.Result r = new DriftScenario(DriftScenario.Settings.small(), dir, new PrintWriter(log)).run();
        List<LoopEvent> events = r.events();
        List<String> kinds = events.stream().map(LoopEvent::kind).toList();

        // nothing drifts before the drift starts
        LoopEvent drift = first(events, "drift_detected");
        assertThat(drift.at()).as(log.toString()).isAfterOrEqualTo(r.driftStart());
        assertThat(events.stream().filter(e -> e.at().isBefore(r.driftStart()))).isEmpty();

        // detected -> retraining -> challenger -> shadow -> promoted, in that order (a challenger may be withdrawn
        // or gated on the way: the chain asserted is the one that ends in the first promotion)
        LoopEvent promoted = first(events, "promoted");
        LoopEvent registered = lastBefore(events, "challenger_registered", promoted.version(), promoted.at());
        LoopEvent shadow = lastBefore(events, "shadow", promoted.version(), promoted.at());
        LoopEvent triggered = lastBefore(events, "retrain_triggered", null, registered.at());
        assertThat(first(events, "retrain_triggered").at()).as("drift is seen before any retraining")
                .isAfterOrEqualTo(drift.at());
        assertThat(shadow.at()).isAfterOrEqualTo(registered.at());
        assertThat(triggered.at()).isBeforeOrEqualTo(registered.at());
        assertThat(((Number) shadow.details().get("challenger_ap")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) shadow.details().get("champion_ap")).doubleValue() - 0.02);
        assertThat(kinds).as("a promoted champion is watched by the one it replaced")
                .contains("watch_ended");
        assertThat(r.promotedAt()).as("the champion at the end is a promoted one").isNotNull();

        // accuracy on labelled live traffic: the drift hurts, the promotion recovers it
        double before = ap(r, "before_drift");
        double after = ap(r, "after_drift");
        double recovered = ap(r, "after_promotion");
        assertThat(after).as("accuracy drops with the new fraud pattern").isLessThan(before);
        assertThat(recovered).as("accuracy recovers after the promotion").isGreaterThan(after + 0.1);
        assertThat(r.metrics().get("after_promotion")).containsKey("card_precision_at_100");

        Map<String, Object> json = r.toJson();
        assertThat(json).containsKeys("steps", "metrics");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) json.get("steps");
        assertThat(steps).extracting(s -> s.get("name")).containsSubsequence("drift_detected", "retrain_triggered",
                "challenger_registered", "shadow", "promoted");
        assertThat(steps).allSatisfy(s -> assertThat(s).containsKeys("name", "at"));
    }

    private static double ap(DriftScenario.Result r, String period) {
        Object v = r.metrics().get(period).get("average_precision");
        assertThat(v).as(period + " average precision").isNotNull();
        return ((Number) v).doubleValue();
    }

    private static LoopEvent first(List<LoopEvent> events, String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " among " + events.stream().map(LoopEvent::kind).toList()));
    }

    /** The last event of {@code kind} (for {@code version}, unless null) at or before {@code notAfter}. */
    private static LoopEvent lastBefore(List<LoopEvent> events, String kind, String version, Instant notAfter) {
        return events.stream().filter(e -> e.kind().equals(kind) && !e.at().isAfter(notAfter)
                        && (version == null || version.equals(e.version())))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + kind + (version == null ? "" : " of " + version)
                        + " at or before " + notAfter + " among " + events.stream().map(e -> e.kind() + "@" + e.at()
                        + " " + e.version()).toList()));
    }
}
