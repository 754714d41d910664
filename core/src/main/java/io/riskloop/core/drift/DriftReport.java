package io.riskloop.core.drift;

import java.time.Instant;
import java.util.List;

/**
 * A live window compared with a model's reference profile.
 *
 * @param modelVersion    the model version whose reference profile was used
 * @param referenceRows   rows in the reference profile
 * @param liveRows        transactions in the live window
 * @param from            the earliest event time in the window (null when it is empty)
 * @param to              the latest event time in the window (null when it is empty)
 * @param features        one result per feature, in the profile's order
 * @param prediction      the score distribution's result (prediction drift)
 * @param testedFeatures  features with a defined statistic (both sides had values)
 * @param driftedFeatures features flagged as drifted
 * @param driftedShare    driftedFeatures / testedFeatures (0 when none was tested)
 * @param datasetDrift    whether driftedShare reached the policy's dataset-drift share
 * @param policy          the thresholds and test choices used
 */
public record DriftReport(String modelVersion, long referenceRows, long liveRows, Instant from, Instant to,
                          List<DriftResult> features, DriftResult prediction, int testedFeatures, int driftedFeatures,
                          double driftedShare, boolean datasetDrift, DriftPolicy policy) {

    public DriftReport {
        features = List.copyOf(features);
    }

    /** The result for the named feature. */
    public DriftResult feature(String name) {
        for (DriftResult r : features) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no feature '" + name + "' in the drift report of model " + modelVersion);
    }
}
