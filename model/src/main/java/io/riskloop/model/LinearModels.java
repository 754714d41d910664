package io.riskloop.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.riskloop.model.train.TrainingParams;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Logistic regression trained with LIBLINEAR and stored as an XGBoost linear model (gblinear JSON with the
 * weights and the intercept as bias, base score 0.5 = margin 0), so that every riskloop model is one XGBoost
 * JSON file with one loader and one scoring path. XGBoost's own gblinear updaters were tried first and did not
 * converge on these data (the amount feature separates scenario-1 frauds perfectly); see
 * docs/adr/0004-logistic-regression-with-liblinear.md.
 */
final class LinearModels {

    private static final double STOPPING_TOLERANCE = 1e-6;

    static {
        Linear.disableDebugOutput();
    }

    private LinearModels() {
    }

    /**
     * Trains on standardised row-major values (NaN = missing, which contributes nothing, as in XGBoost's
     * linear booster) and returns the model as an XGBoost booster.
     */
    static Booster train(float[] values, int rows, int cols, float[] labels, TrainingParams params)
            throws XGBoostError {
        Problem problem = new Problem();
        problem.l = rows;
        problem.n = cols + 1; // + the bias feature
        problem.bias = 1.0;
        problem.x = new Feature[rows][];
        problem.y = new double[rows];
        for (int r = 0; r < rows; r++) {
            int present = 0;
            for (int j = 0; j < cols; j++) {
                if (!Float.isNaN(values[r * cols + j])) {
                    present++;
                }
            }
            Feature[] x = new Feature[present + 1];
            int k = 0;
            for (int j = 0; j < cols; j++) {
                float v = values[r * cols + j];
                if (!Float.isNaN(v)) {
                    x[k++] = new FeatureNode(j + 1, v);
                }
            }
            x[k] = new FeatureNode(cols + 1, 1.0);
            problem.x[r] = x;
            problem.y[r] = labels[r] > 0.5f ? 1 : 0;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, params.liblinearC(), STOPPING_TOLERANCE);
        parameter.setRandom(new java.util.Random(params.seed()));
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // LIBLINEAR's weights favour its first label; make them favour fraud (label 1).
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        return toBooster(w, cols, sign);
    }

    private static Booster toBooster(double[] w, int cols, double sign) throws XGBoostError {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode learner = root.putObject("learner");
        learner.putObject("attributes");
        learner.putArray("feature_names");
        learner.putArray("feature_types");
        ObjectNode booster = learner.putObject("gradient_booster");
        booster.put("name", "gblinear");
        ObjectNode model = booster.putObject("model");
        model.put("boosted_rounds", 1);
        ArrayNode weights = model.putArray("weights");
        for (int j = 0; j < cols; j++) {
            weights.add((float) (sign * w[j]));
        }
        weights.add((float) (sign * w[cols])); // the intercept is XGBoost's bias, last
        ObjectNode param = learner.putObject("learner_model_param");
        param.put("base_score", "5E-1");
        param.put("boost_from_average", "0");
        param.put("num_class", "0");
        param.put("num_feature", Integer.toString(cols));
        param.put("num_target", "1");
        ObjectNode objective = learner.putObject("objective");
        objective.put("name", "binary:logistic");
        objective.putObject("reg_loss_param").put("scale_pos_weight", "1");
        root.putArray("version").add(3).add(0).add(4);
        try {
            // compact: XGBoost's JSON reader rejects the pretty printer's "[ ]"
            return XGBoost.loadModel(Json.mapper().writer()
                    .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
