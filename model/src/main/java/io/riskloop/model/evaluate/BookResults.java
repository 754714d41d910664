package io.riskloop.model.evaluate;

import java.util.Map;

/** The handbook's published test figures on its simulated data (reference-benchmark.md, section 4). */
public final class BookResults {

    /** One published row: ROC AUC, average precision, Card Precision@100. */
    public record Row(double aucRoc, double averagePrecision, double cardPrecisionAt100) {
    }

    public static final Map<String, Row> BASELINE = Map.of(
            ModelSpec.LOGISTIC_REGRESSION, new Row(0.871, 0.606, 0.291),
            ModelSpec.DECISION_TREE_DEPTH2, new Row(0.763, 0.496, 0.241),
            ModelSpec.DECISION_TREE, new Row(0.788, 0.309, 0.243),
            ModelSpec.RANDOM_FOREST, new Row(0.867, 0.658, 0.287),
            ModelSpec.XGBOOST, new Row(0.862, 0.639, 0.273));

    public static final Map<String, Row> PREQUENTIAL = Map.of(
            ModelSpec.DECISION_TREE, new Row(0.797, 0.579, 0.284),
            ModelSpec.LOGISTIC_REGRESSION, new Row(0.868, 0.623, 0.297),
            ModelSpec.RANDOM_FOREST, new Row(0.870, 0.678, 0.299),
            ModelSpec.XGBOOST, new Row(0.869, 0.687, 0.303));

    private BookResults() {
    }
}
