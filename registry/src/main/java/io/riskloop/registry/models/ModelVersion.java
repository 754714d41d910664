package io.riskloop.registry.models;

import io.riskloop.model.ModelManifest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a registered model.
 *
 * @param id                the row id other tables (decisions) reference
 * @param source            where the model's files are: {@code runs:/<run id>/model} for riskloop's own runs, or
 *                          what an MLflow client registered
 * @param runId             the run that made it, or null
 * @param snapshotId        the dataset snapshot it was trained on, or null
 * @param featureSchemaHash the hash of the feature set it takes, or null when not known (MLflow-registered)
 * @param modelSha256       SHA-256 of the model file, or null
 * @param manifest          riskloop's manifest, or null for a version registered through MLflow without one
 * @param metrics           the metrics it was registered with
 * @param status            MLflow's status: READY for every version riskloop registers
 * @param aliases           the aliases that point at it now
 */
public record ModelVersion(long id, String modelName, int version, String source, String runId, Long snapshotId,
                           String featureSchemaHash, String modelSha256, ModelManifest manifest,
                           Map<String, Double> metrics, String description, String status, Instant createdAt,
                           Instant updatedAt, String createdBy, Map<String, String> tags, List<String> aliases) {
    public ModelVersion {
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /** "fraud v3" */
    public String label() {
        return modelName + " v" + version;
    }
}
