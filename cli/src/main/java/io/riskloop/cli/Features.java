package io.riskloop.cli;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;

import java.time.Duration;

/** Computes a data set's feature matrix by replaying it, with progress on the terminal. */
final class Features {

    private Features() {
    }

    static FeatureMatrix replay(Dataset d, FeatureSet set, int labelDelayDays, Progress progress) {
        if (labelDelayDays < 0) {
            throw new IllegalArgumentException("--label-delay-days cannot be negative, was " + labelDelayDays);
        }
        FeatureMatrix m = FeatureReplay.replay(d.rows(), set, LabelTiming.fraudKnownAfter(Duration.ofDays(labelDelayDays)),
                (done, total) -> progress.update("computing features", done, total));
        progress.done();
        return m;
    }
}
