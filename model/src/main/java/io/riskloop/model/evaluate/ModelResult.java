package io.riskloop.model.evaluate;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.model.train.TrainingParams;

import java.util.Arrays;

/**
 * One model's evaluation: its figures per fold (one fold for the baseline protocol), the detailed metrics and
 * scores of the first fold (for curves), and the handbook's published row to compare with.
 *
 * @param name       the model's name
 * @param params     the parameters evaluated (chosen on validation for the prequential protocol)
 * @param first      detailed metrics of the first (most recent) fold
 * @param aucRoc     ROC AUC per fold
 * @param ap         average precision per fold
 * @param cp100      Card Precision@100 per fold
 * @param scores     the first fold's test scores
 * @param test       the first fold's test rows
 * @param book       the published row, or null
 * @param selection  how the parameters were chosen, or null for the baseline protocol
 */
public record ModelResult(String name, TrainingParams params, ModelMetrics first, double[] aucRoc, double[] ap,
                          double[] cp100, double[] scores, FeatureMatrix test, BookResults.Row book,
                          String selection) {

    public static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** Sample standard deviation over folds (0 for one fold). */
    public static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    public int folds() {
        return aucRoc.length;
    }
}
