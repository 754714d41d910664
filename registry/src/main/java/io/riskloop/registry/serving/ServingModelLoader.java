package io.riskloop.registry.serving;

import io.riskloop.model.ModelManifest;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.Scorers;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelVersion;

import java.io.IOException;
import java.io.InputStream;

/** Turns a registered model version into a scoring model, from the content-addressed artifact store. */
public final class ServingModelLoader {

    private final ArtifactStore artifacts;

    public ServingModelLoader(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("(.+)/(\\d+)");

    /** The version label decisions carry: "fraud/3". */
    public static String versionLabel(ModelVersion v) {
        return v.modelName() + "/" + v.version();
    }

    /** A model name and version number, as a {@link #versionLabel} names them. */
    public record Label(String model, int version) {
    }

    /**
     * The model and version a label such as "fraud/3" names; empty when it is not such a label (a model loaded
     * from a file carries its own name, without a registry version).
     */
    public static java.util.Optional<Label> parseLabel(String label) {
        java.util.regex.Matcher m = LABEL.matcher(label == null ? "" : label);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Label(m.group(1), Integer.parseInt(m.group(2))));
        } catch (NumberFormatException tooLarge) {
            return java.util.Optional.empty();
        }
    }

    public ScoringModel load(ModelVersion v) {
        ModelManifest m = v.manifest();
        if (m == null || v.modelSha256() == null) {
            throw new IllegalStateException(v.label() + " has no riskloop manifest or model file (registered through"
                    + " the MLflow API without artifacts?); it cannot serve");
        }
        byte[] json;
        try (InputStream in = artifacts.open(v.modelSha256())) {
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the model file of " + v.label() + " (" + v.modelSha256()
                    + ") cannot be read from " + artifacts.root() + ": " + e.getMessage(), e);
        }
        ModelInfo info = new ModelInfo(m.algorithm() == io.riskloop.model.train.Algorithm.LOGISTIC_REGRESSION
                ? "linear" : "xgboost-trees", m.featureNames(), versionLabel(v), v.modelSha256());
        return Scorers.fromXgboostJson(json, info, m.standardizer());
    }
}
