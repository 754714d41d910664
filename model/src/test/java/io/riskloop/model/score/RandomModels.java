package io.riskloop.model.score;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Trains XGBoost4J models of a given shape on random data, for comparing the compiled scorer with XGBoost. */
final class RandomModels {

    /** How the trees are grown. */
    enum Mode { BOOSTED, FOREST, LOSSGUIDE }

    /**
     * @param booster  the trained model
     * @param json     its XGBoost JSON
     * @param features number of features
     * @param test     test rows, row-major, with NaN (missing), extreme and special values
     * @param rows     number of test rows
     */
    record Trained(Booster booster, byte[] json, int features, float[] test, int rows) {
        ModelInfo info() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < features; i++) {
                names.add("f" + i);
            }
            return new ModelInfo("xgboost-trees", names, "test", "none");
        }

        /** XGBoost4J's probabilities for the test rows (DMatrix with NaN as missing). */
        float[] xgboost() throws XGBoostError {
            DMatrix d = new DMatrix(test, rows, features, Float.NaN);
            try {
                float[][] p = booster.predict(d);
                float[] out = new float[rows];
                for (int i = 0; i < rows; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                d.dispose();
            }
        }
    }

    private static final float[] SPECIAL = {0f, -0f, 1e-38f, -1e-38f, Float.MIN_VALUE, 1e30f, -1e30f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 0.5f, 1f, -1f};

    private RandomModels() {
    }

    static Trained train(long seed, int features, int trees, int depth, Mode mode, double missingRate,
                         int trainRows, int testRows) throws XGBoostError {
        Random rnd = new Random(seed);
        float[] x = data(rnd, trainRows, features, missingRate);
        float[] y = new float[trainRows];
        double[] w = new double[features];
        for (int j = 0; j < features; j++) {
            w[j] = rnd.nextGaussian();
        }
        for (int i = 0; i < trainRows; i++) {
            double s = 0;
            for (int j = 0; j < features; j++) {
                float v = x[i * features + j];
                s += Float.isNaN(v) ? 0.3 * w[j] : w[j] * Math.tanh(v);
            }
            y[i] = s + 0.7 * rnd.nextGaussian() > 0.4 ? 1 : 0;
        }
        DMatrix d = new DMatrix(x, trainRows, features, Float.NaN);
        d.setLabel(y);
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("seed", seed);
        p.put("nthread", 1);
        p.put("verbosity", 0);
        p.put("tree_method", "hist");
        p.put("max_depth", depth);
        p.put("min_child_weight", 0.0);
        int rounds = trees;
        switch (mode) {
            case BOOSTED -> p.put("eta", 0.05 + 0.45 * rnd.nextDouble());
            case FOREST -> {
                p.put("eta", 1.0);
                p.put("num_parallel_tree", trees);
                p.put("subsample", 0.632);
                p.put("colsample_bynode", 0.6);
                p.put("base_score", 0.5);
                p.put("lambda", 0.0);
                rounds = 1;
            }
            case LOSSGUIDE -> {
                p.put("eta", 0.3);
                p.put("grow_policy", "lossguide");
                p.put("max_depth", 0);
                p.put("max_leaves", 1 << Math.min(depth, 8));
            }
        }
        if (rnd.nextBoolean()) {
            p.put("base_score", 0.05 + 0.9 * rnd.nextDouble());
        }
        Booster b = XGBoost.train(d, p, rounds, new HashMap<>(), null, null);
        d.dispose();
        return new Trained(b, b.toByteArray("json"), features, data(rnd, testRows, features, missingRate), testRows);
    }

    static float[] data(Random rnd, int rows, int features, double missingRate) {
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            double u = rnd.nextDouble();
            if (u < missingRate) {
                x[i] = Float.NaN;
            } else if (u < missingRate + 0.02) {
                x[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
            } else {
                x[i] = (float) (rnd.nextGaussian() * (rnd.nextInt(10) == 0 ? 100 : 1));
            }
        }
        return x;
    }
}
