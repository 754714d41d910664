package io.riskloop.model.score;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Linear models and the model-directory loader against XGBoost4J. */
class LinearModelTest {

    private static FeatureMatrix[] split() {
        FeatureMatrix all = SimulatedData.baselineFeatures(SimulatedData.SCALED_BOOK);
        TimeSplit.Indexes idx = TimeSplit.BOOK.apply(all);
        return new FeatureMatrix[] {all.select(idx.train()), all.select(idx.test())};
    }

    @Test
    void logisticRegressionScoresAndExplainsAsXgboost(@TempDir Path dir) throws Exception {
        FeatureMatrix[] s = split();
        FeatureMatrix test = s[1];
        try (TrainedModel trained = new Trainer().train("lr", s[0], FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.LOGISTIC_REGRESSION), new Trainer.Source("x", "y"))) {
            trained.save(dir);
            double[] expected = trained.predict(test);
            ScoringModel ours = Scorers.load(dir);
            assertThat(ours).isInstanceOf(LinearModel.class);
            assertThat(ours.info().kind()).isEqualTo("linear");
            assertThat(ours.info().contentHash()).isEqualTo(trained.manifest().modelSha256());
            double[] batch = new double[test.rows()];
            ours.scoreBatch(test.values(), test.rows(), batch);
            float[] row = new float[test.columns()];
            for (int r = 0; r < test.rows(); r++) {
                System.arraycopy(test.values(), r * test.columns(), row, 0, row.length);
                assertThat(ours.score(row)).isCloseTo(expected[r], within(1e-6));
                assertThat(batch[r]).isCloseTo(expected[r], within(1e-6));
            }
            // contributions: XGBoost's predictContrib on the standardised inputs
            float[] z = trained.manifest().standardizer().apply(test);
            DMatrix d = new DMatrix(z, test.rows(), test.columns(), Float.NaN);
            float[][] contrib = ml.dmlc.xgboost4j.java.XGBoost.loadModel(trained.modelJson()).predictContrib(d, 0);
            for (int r = 0; r < 50; r++) {
                System.arraycopy(test.values(), r * test.columns(), row, 0, row.length);
                Explanation e = ours.explain(row);
                for (int j = 0; j < row.length; j++) {
                    assertThat(e.contributions()[j]).isCloseTo(contrib[r][j], within(1e-5));
                }
                assertThat(e.bias()).isCloseTo(contrib[r][row.length], within(1e-5));
            }
        }
    }

    @Test
    void aTreeModelDirectoryLoadsAsACompiledEnsemble(@TempDir Path dir) throws Exception {
        FeatureMatrix[] s = split();
        try (TrainedModel trained = new Trainer().train("rf", s[0], FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.RANDOM_FOREST).withParallelTrees(20), new Trainer.Source("x", "y"))) {
            trained.save(dir);
            double[] expected = trained.predict(s[1]);
            ScoringModel ours = Scorers.load(dir, "fraud/7");
            assertThat(ours).isInstanceOf(CompiledEnsemble.class);
            assertThat(ours.info().version()).isEqualTo("fraud/7");
            assertThat(ours.info().featureNames()).isEqualTo(FeatureSet.BASELINE.names());
            double[] batch = new double[s[1].rows()];
            ours.scoreBatch(s[1].values(), s[1].rows(), batch);
            for (int r = 0; r < batch.length; r++) {
                assertThat(batch[r]).isCloseTo(expected[r], within(1e-6));
            }
        }
    }
}
