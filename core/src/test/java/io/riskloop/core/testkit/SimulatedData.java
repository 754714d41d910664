package io.riskloop.core.testkit;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated data for tests, computed once per configuration and JVM. The scaled-down book run keeps the book's
 * calendar (2018-04-01 on) so that the book's split (train from 2018-07-25) applies, with a tenth of the
 * customers and terminals.
 */
public final class SimulatedData {

    /** 500 customers, 1,000 terminals, radius scaled so each customer still reaches about 80 terminals. */
    public static final SimulationConfig SCALED_BOOK = new SimulationConfig(500, 1_000, 140,
            LocalDate.of(2018, 4, 1), 5 * Math.sqrt(10), 1, DriftConfig.NONE);

    private static final Map<SimulationConfig, List<LabeledTransaction>> ROWS = new ConcurrentHashMap<>();
    private static final Map<SimulationConfig, FeatureMatrix> FEATURES = new ConcurrentHashMap<>();

    private SimulatedData() {
    }

    public static List<LabeledTransaction> rows(SimulationConfig config) {
        return ROWS.computeIfAbsent(config, c -> {
            List<LabeledTransaction> out = new ArrayList<>();
            new Simulator(c).run(t -> out.add(t.toLabeled()), Simulator.Progress.NONE);
            return List.copyOf(out);
        });
    }

    /** Baseline features with the book's 7-day label delay. */
    public static FeatureMatrix baselineFeatures(SimulationConfig config) {
        return FEATURES.computeIfAbsent(config, c -> FeatureReplay.replay(rows(c), FeatureSet.BASELINE,
                LabelTiming.fraudKnownAfter(Duration.ofDays(7)), FeatureReplay.Progress.NONE));
    }
}
