package io.riskloop.server;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.core.drift.LiveWindow;
import io.riskloop.core.drift.ReferenceProfile;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.NewVersion;
import io.riskloop.store.monitor.AccuracyWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Records of the monitoring loop for tests, made with the real classes: drift reports, accuracy windows, a champion. */
public final class MonitoringData {

    private MonitoringData() {
    }

    /**
     * A drift report of {@code version}: three features on 2,000 reference rows; in the 1,500 live rows of the day
     * before {@code now} the amounts are shifted by a standard deviation and the terminal kinds are only the first two
     * of four, so two of three features drift, and so does the dataset.
     */
    public static DriftReport driftReport(String version, Instant now) {
        int n = 2_000;
        Random rnd = new Random(7);
        float[] v = new float[n * 3];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            v[3 * i] = (float) rnd.nextGaussian();
            v[3 * i + 1] = rnd.nextInt(4);
            v[3 * i + 2] = rnd.nextInt(10) == 0 ? 1 : 0;
            scores[i] = rnd.nextDouble();
        }
        LabeledTransaction any = new LabeledTransaction(new Transaction("t", now, "c", "m", 1), false, 0);
        FeatureMatrix m = new FeatureMatrix(List.of("TX_AMOUNT", "TERMINAL_KIND", "TX_DURING_WEEKEND"), v, n,
                Collections.nCopies(n, any));
        ReferenceProfile ref = ReferenceProfile.builder().modelVersion(version).build(m, scores);
        LiveWindow w = LiveWindow.of(ref);
        Instant from = now.minus(Duration.ofDays(1));
        for (int i = 0; i < 1_500; i++) {
            w.add(new float[] {(float) (rnd.nextGaussian() + 1), rnd.nextInt(2), rnd.nextInt(10) == 0 ? 1 : 0},
                    rnd.nextDouble(), from.plusSeconds(50L * i));
        }
        return DriftPolicy.defaults().assess(ref, w);
    }

    /** A day-long window ending at {@code end}, labels known a week later: 1,000 rows, 12 frauds. */
    public static AccuracyWindow window(String version, String alias, Instant end, double ap) {
        return new AccuracyWindow(version, alias, end.minus(Duration.ofDays(1)), end, end.plus(Duration.ofDays(7)),
                1_000, 12, ap, ap / 2, 0.4, 0.6);
    }

    /** Registers {@code name} with one version (no files: enough for the loop's bookkeeping) as its champion. */
    public static int champion(Registry registry, String name) {
        registry.models().createModel(name, "", Map.of(), "test");
        int v = registry.models().createVersion(new NewVersion(name, "runs:/none/model", null, null, null,
                Map.of("average_precision", 0.7), null, null, "test")).version();
        registry.models().setAlias(name, "champion", v, "test", "first");
        return v;
    }
}
