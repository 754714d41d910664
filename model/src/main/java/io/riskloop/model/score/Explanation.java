package io.riskloop.model.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Per-feature contributions to one prediction's margin (log-odds for logistic models): {@code bias} plus the
 * sum of {@code contributions} equals {@code margin}.
 *
 * @param featureNames  feature names, in the order of the contributions
 * @param contributions one value per feature
 * @param bias          the expected margin (the part no feature explains)
 * @param margin        the prediction's margin
 * @param method        "tree_shap" (exact, path-dependent), "saabas" (path attribution: fast, adds up, not
 *                      Shapley values), "linear" (weight x value) or "occlusion" (approximate: the change when a
 *                      feature is replaced by its reference value)
 */
public record Explanation(List<String> featureNames, double[] contributions, double bias, double margin,
                          String method) {

    /** One feature's part. */
    public record Contribution(String feature, double value) {
    }

    /** The {@code k} contributions of largest magnitude, largest first. */
    public List<Contribution> top(int k) {
        List<Contribution> all = new ArrayList<>();
        for (int i = 0; i < contributions.length; i++) {
            all.add(new Contribution(featureNames.get(i), contributions[i]));
        }
        all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.value())));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** The fraud probability the margin stands for (logistic link). */
    public double probability() {
        return 1 / (1 + Math.exp(-margin));
    }

    @Override
    public String toString() {
        return "Explanation[" + method + ", margin=" + margin + ", bias=" + bias + ", contributions="
                + Arrays.toString(contributions) + "]";
    }
}
