package io.riskloop.model;

import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.Standardizer;
import io.riskloop.model.train.TrainingParams;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to use a model correctly and to trace where it came from. Stored beside the model as
 * {@code manifest.json}; a model file without a readable manifest of a known version is not loaded.
 *
 * @param manifestVersion   format version of this manifest ({@link #CURRENT_VERSION})
 * @param name              a name for people, e.g. "xgboost"
 * @param algorithm         the model family
 * @param params            training parameters, seed included
 * @param featureSet        name of the feature set the model takes
 * @param featureSetVersion its version
 * @param featureSchemaHash hash of feature set name, version and names
 * @param featureNames      feature names in input order
 * @param standardizer      input standardisation, or null when the model takes raw features
 * @param data              the training data
 * @param metrics           metrics measured when the model was made (e.g. on the test set)
 * @param versions          library, JVM and riskloop versions
 * @param createdAt         when the model was made
 * @param modelSha256       SHA-256 of the model file's bytes
 */
public record ModelManifest(int manifestVersion, String name, Algorithm algorithm, TrainingParams params,
                            String featureSet, int featureSetVersion, String featureSchemaHash,
                            List<String> featureNames, Standardizer standardizer, TrainingData data,
                            Map<String, Double> metrics, Versions versions, Instant createdAt, String modelSha256) {

    public static final int CURRENT_VERSION = 1;

    /**
     * The data a model was trained on.
     *
     * @param source       the file it was read from
     * @param sourceSha256 SHA-256 of that file
     * @param rowsSha256   SHA-256 of the training rows in canonical form (id, time, card, terminal, cents, label)
     * @param start        first training transaction's time
     * @param end          last training transaction's time
     * @param rows         training rows
     * @param frauds       frauds among them
     */
    public record TrainingData(String source, String sourceSha256, String rowsSha256, Instant start, Instant end,
                               long rows, long frauds) {
    }

    /** Versions of what made the model. */
    public record Versions(String riskloop, String xgboost, String java) {
    }

    public ModelManifest withMetrics(Map<String, Double> m) {
        return new ModelManifest(manifestVersion, name, algorithm, params, featureSet, featureSetVersion,
                featureSchemaHash, featureNames, standardizer, data, Map.copyOf(m), versions, createdAt, modelSha256);
    }

    public ModelManifest withName(String n) {
        return new ModelManifest(manifestVersion, n, algorithm, params, featureSet, featureSetVersion,
                featureSchemaHash, featureNames, standardizer, data, metrics, versions, createdAt, modelSha256);
    }
}
