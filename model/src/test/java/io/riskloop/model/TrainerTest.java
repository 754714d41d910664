package io.riskloop.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.metrics.Metrics;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainerTest {

    private static final Trainer.Source SOURCE = new Trainer.Source("simulated.csv", "ab".repeat(32));
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static FeatureMatrix train;
    private static FeatureMatrix test;

    @BeforeAll
    static void data() {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        TimeSplit.Indexes idx = TimeSplit.BOOK.apply(all);
        train = all.select(idx.train());
        test = all.select(idx.test());
    }

    private static TrainedModel train(Algorithm a) {
        return new Trainer(Clock.fixed(NOW, ZoneOffset.UTC)).train(a.cliName(), train, FeatureSet.BASELINE,
                TrainingParams.defaults(a).withSeed(3), SOURCE);
    }

    private static double auc(double[] scores, FeatureMatrix m) {
        boolean[] y = new boolean[m.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = m.fraud(i);
        }
        return Metrics.rocAuc(scores, y);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyFamilyLearnsToRankFraudAboveGenuine(Algorithm a) {
        try (TrainedModel m = train(a)) {
            double[] scores = m.predict(test);
            assertThat(java.util.Arrays.stream(scores).boxed().toList()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
            // a single unpruned tree ranks poorly (the handbook: 0.788); the others rank well
            double floor = a == Algorithm.DECISION_TREE ? 0.65 : 0.8;
            assertThat(auc(scores, test)).as(a + " ROC AUC").isGreaterThan(floor);
        }
    }

    @Test
    void aSavedModelLoadsWithItsManifestAndPredictsTheSame(@TempDir Path dir) throws Exception {
        try (TrainedModel m = train(Algorithm.XGBOOST)) {
            m.save(dir);
            try (TrainedModel loaded = TrainedModel.load(dir)) {
                assertThat(loaded.predict(test)).containsExactly(m.predict(test));
                ModelManifest mf = loaded.manifest();
                assertThat(mf.manifestVersion()).isEqualTo(ModelManifest.CURRENT_VERSION);
                assertThat(mf.featureNames()).isEqualTo(FeatureSet.BASELINE.names());
                assertThat(mf.featureSchemaHash()).isEqualTo(FeatureSet.BASELINE.schemaHash());
                assertThat(mf.params().seed()).isEqualTo(3);
                assertThat(mf.data().rows()).isEqualTo(train.rows());
                assertThat(mf.data().frauds()).isEqualTo(train.frauds());
                assertThat(mf.data().sourceSha256()).isEqualTo(SOURCE.sha256());
                assertThat(mf.data().rowsSha256()).hasSize(64);
                assertThat(mf.data().start()).isEqualTo(train.source().getFirst().transaction().timestamp());
                assertThat(mf.versions().xgboost()).isEqualTo("3.0.4");
                assertThat(mf.versions().java()).isEqualTo(Runtime.version().toString());
                assertThat(mf.createdAt()).isEqualTo(NOW);
            }
        }
        JsonNode json = Json.mapper().readTree(dir.resolve(TrainedModel.MODEL_FILE).toFile());
        assertThat(json.at("/learner/gradient_booster/name").asText()).isEqualTo("gbtree");
    }

    @Test
    void aManifestOfAnUnknownVersionIsRefusedWithWhatWasFound(@TempDir Path dir) throws Exception {
        try (TrainedModel m = train(Algorithm.DECISION_TREE)) {
            m.save(dir);
        }
        Path manifest = dir.resolve(TrainedModel.MANIFEST_FILE);
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(manifest.toFile());
        tree.put("manifest_version", 99);
        Json.mapper().writeValue(manifest.toFile(), tree);
        assertThatThrownBy(() -> TrainedModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("manifest version 99").hasMessageContaining("reads version 1");
    }

    @Test
    void aModelFileThatDoesNotMatchItsManifestIsRefused(@TempDir Path dir) throws Exception {
        try (TrainedModel m = train(Algorithm.DECISION_TREE)) {
            m.save(dir);
        }
        Path model = dir.resolve(TrainedModel.MODEL_FILE);
        Files.writeString(model, Files.readString(model).replace("\"gbtree\"", "\"gbtree\" "));
        assertThatThrownBy(() -> TrainedModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not match its manifest");
        assertThatThrownBy(() -> TrainedModel.load(dir.resolve("nowhere"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is not a model directory");
    }

    @Test
    void logisticRegressionIsStoredAsAnXgboostLinearModelWithTheSameFunction(@TempDir Path dir) throws Exception {
        try (TrainedModel m = train(Algorithm.LOGISTIC_REGRESSION)) {
            m.save(dir);
            JsonNode json = Json.mapper().readTree(dir.resolve(TrainedModel.MODEL_FILE).toFile());
            assertThat(json.at("/learner/gradient_booster/name").asText()).isEqualTo("gblinear");
            JsonNode w = json.at("/learner/gradient_booster/model/weights");
            int cols = test.columns();
            assertThat(w.size()).isEqualTo(cols + 1);
            double[] mean = m.manifest().standardizer().mean();
            double[] std = m.manifest().standardizer().std();
            double[] scores = m.predict(test);
            for (int r = 0; r < test.rows(); r += 97) {
                double margin = w.get(cols).asDouble();
                for (int j = 0; j < cols; j++) {
                    margin += w.get(j).asDouble() * (float) ((test.get(r, j) - mean[j]) / std[j]);
                }
                assertThat(scores[r]).isCloseTo(1 / (1 + Math.exp(-margin)), within(1e-5));
            }
        }
    }

    @Test
    void trainingNeedsBothClassesAndTheFeatureSetsColumns() {
        int[] genuine = java.util.stream.IntStream.range(0, train.rows()).filter(i -> !train.fraud(i)).toArray();
        FeatureMatrix oneClass = train.select(genuine);
        assertThatThrownBy(() -> new Trainer().train("x", oneClass, FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.XGBOOST), SOURCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one class");
        assertThatThrownBy(() -> new Trainer().train("x", train, FeatureSet.KAGGLE,
                TrainingParams.defaults(Algorithm.XGBOOST), SOURCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kaggle");
    }

    @Test
    void scalePosWeightChangesTheModel() {
        try (TrainedModel plain = train(Algorithm.XGBOOST);
             TrainedModel weighted = new Trainer().train("w", train, FeatureSet.BASELINE,
                     TrainingParams.defaults(Algorithm.XGBOOST).withSeed(3).withScalePosWeight(20), SOURCE)) {
            double[] a = plain.predict(test);
            double[] b = weighted.predict(test);
            assertThat(Arrays.stream(b).average().orElseThrow()).isGreaterThan(Arrays.stream(a).average().orElseThrow());
        }
    }
}
