package io.riskloop.model.evaluate;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.model.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handbook's protocols on a scaled-down book run (a tenth of the customers and terminals). */
class EvaluatorTest {

    private static final Trainer.Source SOURCE = new Trainer.Source("scaled.csv", "00");

    @Test
    void baselineProtocolScoresTheFiveBookModels() {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        List<String> seen = new ArrayList<>();
        Evaluation e = new Evaluator(new Trainer(), (m, p, d, t) -> seen.add(m))
                .baseline(all, FeatureSet.BASELINE, TimeSplit.BOOK, ModelSpec.baseline(0), SOURCE);
        assertThat(e.models()).extracting(ModelResult::name).containsExactly("logistic_regression",
                "decision_tree_depth2", "decision_tree", "random_forest", "xgboost");
        assertThat(seen).contains("xgboost");
        for (ModelResult r : e.models()) {
            assertThat(r.folds()).isEqualTo(1);
            assertThat(r.book()).isNotNull();
            assertThat(r.first().frauds()).isPositive();
        }
        for (String strong : List.of("logistic_regression", "random_forest", "xgboost")) {
            ModelResult r = e.models().stream().filter(m -> m.name().equals(strong)).findFirst().orElseThrow();
            assertThat(r.aucRoc()[0]).as(strong + " AUC").isBetween(0.75, 1.0);
            assertThat(r.ap()[0]).as(strong + " AP").isBetween(0.3, 1.0);
            assertThat(r.cp100()[0]).as(strong + " CP@100").isBetween(0.05, 1.0);
        }

        Map<String, Object> json = Evaluator.toJson(e);
        assertThat(json.get("protocol")).isEqualTo("baseline");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) json.get("models");
        assertThat(models).hasSize(5).allSatisfy(m -> assertThat(m).containsKeys("name", "auc_roc",
                "average_precision", "card_precision_at_100"));
    }

    @Test
    void prequentialProtocolSelectsOnValidationAndReportsTestMeanAndStd() {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        Evaluation e = new Evaluator(new Trainer(), Evaluator.Listener.NONE)
                .prequential(all, FeatureSet.BASELINE, TimeSplit.BOOK, 4, ModelSpec.prequential(0), SOURCE);
        assertThat(e.models()).extracting(ModelResult::name)
                .containsExactly("decision_tree", "logistic_regression", "random_forest", "xgboost");
        for (ModelResult r : e.models()) {
            assertThat(r.folds()).isEqualTo(4);
            assertThat(java.util.Arrays.stream(r.aucRoc()).boxed().toList()).allSatisfy(a -> assertThat(a).isBetween(0.5, 1.0));
            assertThat(ModelResult.std(r.ap())).isPositive(); // four different weeks do not score alike
            assertThat(r.selection()).contains("best of");
        }
        Map<String, Object> json = Evaluator.toJson(e);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) json.get("models");
        assertThat(models).allSatisfy(m -> assertThat(m).containsKeys("auc_roc_std", "average_precision_std",
                "card_precision_at_100_std"));
    }

    @Test
    void aSplitOutsideTheDataSaysSo() {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        TimeSplit late = TimeSplit.BOOK.shiftedBack(-365);
        assertThatThrownBy(() -> new Evaluator(new Trainer(), Evaluator.Listener.NONE)
                .baseline(all, FeatureSet.BASELINE, late, ModelSpec.baseline(0), SOURCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the data do not cover it");
    }
}
