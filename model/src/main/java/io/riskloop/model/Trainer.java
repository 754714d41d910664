package io.riskloop.model;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.Standardizer;
import io.riskloop.model.train.TrainingParams;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/** Trains models with XGBoost4J and gives each its manifest. */
public final class Trainer {

    /**
     * Where training data came from.
     *
     * @param file   the data file
     * @param sha256 SHA-256 of its bytes
     */
    public record Source(String file, String sha256) {
    }

    private static final Properties VERSIONS = loadVersions();

    private final Clock clock;

    public Trainer(Clock clock) {
        this.clock = clock;
    }

    public Trainer() {
        this(Clock.systemUTC());
    }

    /** Trains on every row of {@code train}; its columns must be {@code featureSet}'s features. */
    public TrainedModel train(String name, FeatureMatrix train, FeatureSet featureSet, TrainingParams params,
                              Source source) {
        if (!train.names().equals(featureSet.names())) {
            throw new IllegalArgumentException("the training data's columns are not the features of " + featureSet.name());
        }
        if (train.rows() == 0) {
            throw new IllegalArgumentException("no training rows: check the training window against the data's"
                    + " time range");
        }
        long frauds = train.frauds();
        if (frauds == 0 || frauds == train.rows()) {
            throw new IllegalArgumentException("the training rows hold only one class (" + frauds + " frauds in "
                    + train.rows() + " rows); a fraud model needs both");
        }
        Standardizer scaler = params.algorithm().standardises() ? Standardizer.fit(train) : null;
        float[] values = scaler != null ? scaler.apply(train) : train.values();
        try {
            Booster booster = params.algorithm() == Algorithm.LOGISTIC_REGRESSION
                    ? LinearModels.train(values, train.rows(), train.columns(), train.labels(), params)
                    : trainTrees(values, train, params);
            booster.setFeatureNames(train.names().toArray(String[]::new));
            byte[] json = booster.toByteArray("json");
            ModelManifest manifest = new ModelManifest(ModelManifest.CURRENT_VERSION, name, params.algorithm(),
                    params, featureSet.name(), featureSet.version(), featureSet.schemaHash(), train.names(),
                    scaler, trainingData(train, source), Map.of(), versions(), clock.instant(),
                    TrainedModel.sha256(json));
            return new TrainedModel(booster, json, manifest);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed (" + params.describe() + "): " + e.getMessage(), e);
        }
    }

    private static Booster trainTrees(float[] values, FeatureMatrix train, TrainingParams params)
            throws XGBoostError {
        DMatrix d = new DMatrix(values, train.rows(), train.columns(), Float.NaN);
        try {
            d.setLabel(train.labels());
            return XGBoost.train(d, params.toXgboost(), params.rounds(), Map.of(), null, null);
        } finally {
            d.dispose();
        }
    }

    public static ModelManifest.Versions versions() {
        return new ModelManifest.Versions(VERSIONS.getProperty("riskloop", "unknown"),
                VERSIONS.getProperty("xgboost", "unknown"), Runtime.version().toString());
    }

    private static ModelManifest.TrainingData trainingData(FeatureMatrix train, Source source) {
        MessageDigest md = sha256();
        for (LabeledTransaction lt : train.source()) {
            Transaction tx = lt.transaction();
            String line = tx.id() + ',' + tx.timestamp().toEpochMilli() + ',' + tx.cardId() + ',' + tx.terminalId()
                    + ',' + tx.amountCents() + ',' + (lt.fraud() ? 1 : 0) + '\n';
            md.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return new ModelManifest.TrainingData(source.file(), source.sha256(), HexFormat.of().formatHex(md.digest()),
                train.source().getFirst().transaction().timestamp(), train.source().getLast().transaction().timestamp(),
                train.rows(), train.frauds());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties loadVersions() {
        Properties p = new Properties();
        try (InputStream in = Trainer.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
