package io.riskloop.registry.models;

import io.riskloop.model.ModelManifest;

import java.util.Map;

/**
 * What a new model version is registered with. Null snapshot and empty metrics are taken from the run, when
 * there is one.
 */
public record NewVersion(String modelName, String source, String runId, Long snapshotId, ModelManifest manifest,
                         Map<String, Double> metrics, String description, Map<String, String> tags, String actor) {
    public NewVersion {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        description = description == null ? "" : description;
    }
}
