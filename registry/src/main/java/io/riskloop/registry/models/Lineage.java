package io.riskloop.registry.models;

import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Run;

/**
 * Where a model version came from: the run that trained it, that run's experiment, and the dataset snapshot it
 * was trained on, whose origin names the simulator parameters or the imported file. A decision names its model
 * version (by {@link ModelVersion#id()}), which leads here. Links that are not known are null.
 */
public record Lineage(ModelVersion version, Run run, Experiment experiment, DatasetSnapshot snapshot) {
}
