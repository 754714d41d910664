package io.riskloop.model.score;

import io.riskloop.model.ModelManifest;
import io.riskloop.model.TrainedModel;

import java.nio.file.Path;

/** Loads a riskloop model directory (model.json + manifest.json) as a scoring model, without XGBoost4J. */
public final class Scorers {

    private Scorers() {
    }

    public static ScoringModel load(Path dir) {
        return load(dir, null);
    }

    /** @param version the version label to report (e.g. the registry's "fraud-model/3"); the manifest name if null */
    public static ScoringModel load(Path dir, String version) {
        TrainedModel.Files files = TrainedModel.readFiles(dir);
        ModelManifest m = files.manifest();
        ModelInfo info = new ModelInfo(m.algorithm() == io.riskloop.model.train.Algorithm.LOGISTIC_REGRESSION
                ? "linear" : "xgboost-trees", m.featureNames(), version != null ? version : m.name(),
                m.modelSha256());
        return fromXgboostJson(files.modelJson(), info, m.standardizer());
    }

    /** A tree ensemble or a linear model, whichever the JSON holds. */
    public static ScoringModel fromXgboostJson(byte[] json, ModelInfo info,
                                               io.riskloop.model.train.Standardizer standardizer) {
        XgboostJson.Parsed p = XgboostJson.parse(json);
        return switch (p.booster()) {
            case "gblinear" -> LinearModel.fromXgboostJson(json, info, standardizer);
            default -> CompiledEnsemble.compile(p, info, CompiledEnsemble.Layout.AUTO);
        };
    }
}
