package io.riskloop.model.score;

import java.util.List;

/**
 * The identity of a scoring model.
 *
 * @param kind         how it scores: "xgboost-trees", "linear", "onnx"
 * @param featureNames input features in order
 * @param version      a version label (the registry's model version, or the manifest's name)
 * @param contentHash  SHA-256 of the model file's bytes
 */
public record ModelInfo(String kind, List<String> featureNames, String version, String contentHash) {
    public ModelInfo {
        featureNames = List.copyOf(featureNames);
    }

    public int features() {
        return featureNames.size();
    }
}
