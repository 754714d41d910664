package io.riskloop.cli;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.model.evaluate.TimeSplit;

import java.time.Duration;

/** Computes a data set's feature matrix by replaying it, with progress on the terminal. */
final class Features {

    /** A data file read, its features computed, and the split to use on it. */
    record Prepared(Dataset dataset, FeatureSet featureSet, FeatureMatrix matrix, TimeSplit split) {
        io.riskloop.model.Trainer.Source source() {
            return new io.riskloop.model.Trainer.Source(dataset.source().toString(), dataset.sha256());
        }
    }

    private Features() {
    }

    /** Reads the data, replays its layout's feature set and works out the split. */
    static Prepared prepare(DataOptions data, SplitOptions split, Progress progress, java.io.PrintWriter out) {
        Dataset d = data.read(progress, out);
        FeatureSet set = FeatureSet.forFormat(d.format());
        FeatureMatrix m = replay(d, set, split.labelDelayDays, progress);
        return new Prepared(d, set, m, split.split(d));
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
