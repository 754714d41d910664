package io.riskloop.model.score;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads XGBoost's JSON model format into plain arrays. Numbers are read from their decimal text and parsed as
 * floats directly, as XGBoost wrote them, so thresholds and leaf values are bit-exact.
 *
 * <p>Supported: boosters {@code gbtree} (boosted trees and random forests) and {@code gblinear}, objectives
 * {@code binary:logistic} and {@code reg:logistic}, numerical splits, one output. Anything else is refused with
 * an {@link UnsupportedModelException} that names it.
 */
final class XgboostJson {

    /** XGBoost writes Infinity and NaN as bare words (e.g. in loss changes and extreme split values). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** One tree in XGBoost's own node numbering. */
    record Tree(int[] left, int[] right, int[] feature, float[] condition, boolean[] defaultLeft, double[] cover) {
        int nodes() {
            return left.length;
        }

        boolean isLeaf(int n) {
            return left[n] < 0;
        }

        int depth() {
            return depth(0);
        }

        private int depth(int n) {
            return isLeaf(n) ? 0 : 1 + Math.max(depth(left[n]), depth(right[n]));
        }
    }

    /**
     * A parsed model.
     *
     * @param booster    "gbtree" or "gblinear"
     * @param baseScore  base score in probability space
     * @param features   number of input features
     * @param trees      the trees (gbtree)
     * @param weights    feature weights then the bias (gblinear)
     */
    record Parsed(String booster, float baseScore, int features, List<Tree> trees, float[] weights) {

        /** XGBoost's base margin for the logistic objective: -log(1 / p - 1), in float as XGBoost computes it. */
        float baseMargin() {
            float p = baseScore;
            return (float) -Math.log(1.0f / p - 1.0f);
        }
    }

    private XgboostJson() {
    }

    static Parsed parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UnsupportedModelException("not an XGBoost JSON model: " + e.getMessage());
        }
        JsonNode learner = required(root, "learner");
        String objective = required(learner, "objective").path("name").asText();
        if (!objective.equals("binary:logistic") && !objective.equals("reg:logistic")) {
            throw new UnsupportedModelException("objective '" + objective + "' is not supported; riskloop scores"
                    + " binary:logistic (and reg:logistic) models");
        }
        JsonNode param = required(learner, "learner_model_param");
        int numClass = Integer.parseInt(param.path("num_class").asText("0"));
        int numTarget = Integer.parseInt(param.path("num_target").asText("1"));
        if (numClass > 1 || numTarget > 1) {
            throw new UnsupportedModelException("multi-output models (num_class " + numClass + ", num_target "
                    + numTarget + ") are not supported; riskloop scores one fraud probability");
        }
        float baseScore = parseBaseScore(param.path("base_score").asText());
        int features = Integer.parseInt(param.path("num_feature").asText("0"));
        JsonNode gb = required(learner, "gradient_booster");
        String booster = gb.path("name").asText();
        return switch (booster) {
            case "gbtree" -> new Parsed(booster, baseScore, features, trees(required(gb, "model"), features), null);
            case "gblinear" -> new Parsed(booster, baseScore, features, List.of(),
                    floats(required(required(gb, "model"), "weights")));
            default -> throw new UnsupportedModelException("booster '" + booster + "' is not supported; riskloop"
                    + " scores gbtree (boosted trees, random forests) and gblinear models");
        };
    }

    private static List<Tree> trees(JsonNode model, int features) {
        for (JsonNode c : model.path("tree_info")) {
            if (c.asInt() != 0) {
                throw new UnsupportedModelException("trees for class " + c.asInt() + ": multi-class models are not"
                        + " supported");
            }
        }
        List<Tree> out = new ArrayList<>();
        for (JsonNode t : required(model, "trees")) {
            int leafVector = Integer.parseInt(t.path("tree_param").path("size_leaf_vector").asText("1"));
            if (leafVector > 1) {
                throw new UnsupportedModelException("vector leaves (size_leaf_vector " + leafVector
                        + ") are not supported");
            }
            int[] left = ints(required(t, "left_children"));
            int[] right = ints(required(t, "right_children"));
            int[] feature = ints(required(t, "split_indices"));
            float[] cond = floats(required(t, "split_conditions"));
            int[] dl = ints(required(t, "default_left"));
            double[] cover = doubles(required(t, "sum_hessian"));
            int[] splitType = t.has("split_type") ? ints(t.get("split_type")) : new int[left.length];
            int n = left.length;
            if (right.length != n || feature.length != n || cond.length != n || dl.length != n || cover.length != n) {
                throw new UnsupportedModelException("tree " + t.path("id").asInt() + " has node arrays of"
                        + " different lengths: the file is damaged");
            }
            boolean[] defaultLeft = new boolean[n];
            for (int i = 0; i < n; i++) {
                defaultLeft[i] = dl[i] != 0;
                if (left[i] >= 0 && splitType[i] != 0) {
                    throw new UnsupportedModelException("categorical splits (tree " + t.path("id").asInt()
                            + ", node " + i + ") are not supported; train with numerical features");
                }
                if (left[i] >= 0 && (feature[i] < 0 || feature[i] >= Math.max(features, 1))) {
                    throw new UnsupportedModelException("tree " + t.path("id").asInt() + " splits on feature "
                            + feature[i] + " but the model has " + features + " features");
                }
            }
            out.add(new Tree(left, right, feature, cond, defaultLeft, cover));
        }
        return out;
    }

    private static float parseBaseScore(String s) {
        String v = s.strip();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new UnsupportedModelException("cannot read base_score '" + s + "'");
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new UnsupportedModelException("not an XGBoost JSON model: '" + field + "' is missing");
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(a.get(i).asText());
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.parseDouble(a.get(i).asText());
        }
        return out;
    }
}
