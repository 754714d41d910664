package io.riskloop.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.features.FeatureMatrix;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A trained XGBoost model with its manifest. On disk: a directory with {@code model.json} (XGBoost's JSON
 * format) and {@code manifest.json}. Predictions go through XGBoost4J here; the compiled scorer serves them in
 * production.
 */
public final class TrainedModel implements AutoCloseable {

    public static final String MODEL_FILE = "model.json";
    public static final String MANIFEST_FILE = "manifest.json";

    private final Booster booster;
    private final byte[] modelJson;
    private final ModelManifest manifest;

    TrainedModel(Booster booster, byte[] modelJson, ModelManifest manifest) {
        this.booster = booster;
        this.modelJson = modelJson;
        this.manifest = manifest;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public TrainedModel withManifest(ModelManifest m) {
        return new TrainedModel(booster, modelJson, m);
    }

    /** The model in XGBoost's JSON format. */
    public byte[] modelJson() {
        return modelJson.clone();
    }

    /** Fraud probabilities for every row of the matrix, whose columns must be the model's features. */
    public double[] predict(FeatureMatrix m) {
        if (!m.names().equals(manifest.featureNames())) {
            throw new IllegalArgumentException("the data's features " + m.names() + " are not the model's "
                    + manifest.featureNames());
        }
        float[] values = manifest.standardizer() != null ? manifest.standardizer().apply(m) : m.values();
        try {
            DMatrix d = new DMatrix(values, m.rows(), m.columns(), Float.NaN);
            try {
                float[][] p = booster.predict(d);
                double[] out = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                d.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    public void save(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve(MODEL_FILE), modelJson);
        Json.mapper().writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
    }

    /** A model directory's manifest and model bytes, checked against each other. */
    public record Files(ModelManifest manifest, byte[] modelJson) {
    }

    /**
     * Reads a model directory, refusing a manifest of an unknown version or a model file that does not match
     * its manifest's hash.
     */
    public static Files readFiles(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST_FILE);
        Path modelFile = dir.resolve(MODEL_FILE);
        try {
            JsonNode tree = Json.mapper().readTree(java.nio.file.Files.readAllBytes(manifestFile));
            JsonNode v = tree.get("manifest_version");
            if (v == null || !v.canConvertToInt()) {
                throw new ModelFormatException(manifestFile + " has no manifest_version; it is not a riskloop model"
                        + " manifest");
            }
            if (v.asInt() != ModelManifest.CURRENT_VERSION) {
                throw new ModelFormatException(manifestFile + " has manifest version " + v.asInt()
                        + "; this riskloop reads version " + ModelManifest.CURRENT_VERSION
                        + ". Retrain the model, or use the riskloop release that wrote it.");
            }
            ModelManifest manifest = Json.mapper().treeToValue(tree, ModelManifest.class);
            byte[] json = java.nio.file.Files.readAllBytes(modelFile);
            String sha = sha256(json);
            if (!sha.equals(manifest.modelSha256())) {
                throw new ModelFormatException(modelFile + " does not match its manifest (SHA-256 " + sha
                        + ", manifest says " + manifest.modelSha256() + "): the files were changed or mixed up");
            }
            return new Files(manifest, json);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(dir + " is not a model directory: " + e.getFile() + " is missing");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read the model in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model directory into XGBoost4J (see {@link #readFiles} for the checks). */
    public static TrainedModel load(Path dir) {
        Files files = readFiles(dir);
        try {
            return new TrainedModel(XGBoost.loadModel(files.modelJson()), files.modelJson(), files.manifest());
        } catch (XGBoostError | IOException e) {
            throw new ModelFormatException(dir.resolve(MODEL_FILE) + " is not a model XGBoost can load: "
                    + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
