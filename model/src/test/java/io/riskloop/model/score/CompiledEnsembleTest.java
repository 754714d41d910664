package io.riskloop.model.score;

import ml.dmlc.xgboost4j.java.DMatrix;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The compiled scorer against XGBoost4J on randomly trained models, missing and extreme values included. */
class CompiledEnsembleTest {

    @Provide
    Arbitrary<Integer> trees() {
        // mostly small ensembles, some up to 500 trees
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(61, 500)));
    }

    @Property(tries = 40)
    void probabilitiesEqualXgboostOnEveryRow(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                             @ForAll @IntRange(min = 1, max = 12) int features,
                                             @ForAll("trees") int trees,
                                             @ForAll @IntRange(min = 1, max = 10) int depth,
                                             @ForAll RandomModels.Mode mode,
                                             @ForAll @DoubleRange(min = 0, max = 0.3) double missing) throws Exception {
        RandomModels.Trained m = RandomModels.train(seed, features, trees, depth, mode, missing, 400, 300);
        float[] expected = m.xgboost();
        for (CompiledEnsemble.Layout layout : CompiledEnsemble.Layout.values()) {
            CompiledEnsemble ours;
            try {
                ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info(), layout);
            } catch (IllegalArgumentException tooDeep) {
                assertThat(layout).isEqualTo(CompiledEnsemble.Layout.PACKED);
                continue; // leaf-wise trees can be too deep to pad; AUTO then takes the node layout
            }
            double[] batch = new double[m.rows()];
            ours.scoreBatch(m.test(), m.rows(), batch);
            float[] row = new float[features];
            for (int r = 0; r < m.rows(); r++) {
                System.arraycopy(m.test(), r * features, row, 0, features);
                assertThat(ours.score(row)).as("%s row %d", layout, r).isCloseTo(expected[r], within(1e-6));
                assertThat(batch[r]).as("%s batch row %d", layout, r).isCloseTo(expected[r], within(1e-6));
            }
        }
        m.booster().dispose();
    }

    @Test
    void infinitiesCompareAsXgboostsInPlacePredictionDoes() throws Exception {
        // XGBoost's DMatrix refuses infinities; its in-place prediction takes them as values.
        RandomModels.Trained m = RandomModels.train(7, 3, 30, 4, RandomModels.Mode.BOOSTED, 0.1, 400, 1);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        float[][] rows = {{Float.POSITIVE_INFINITY, 0f, 0f}, {Float.NEGATIVE_INFINITY, 1f, -1f},
            {0.1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, {Float.NaN, Float.POSITIVE_INFINITY, 2f}};
        for (float[] row : rows) {
            float expected = m.booster().inplace_predict(row, 1, 3, Float.NaN)[0][0];
            assertThat(ours.score(row)).as(java.util.Arrays.toString(row)).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void concurrentCallersGetWhatASingleCallerGets() throws Exception {
        // per-thread scratch is what makes scoring allocation-free; shared scratch would mix rows between threads
        RandomModels.Trained m = RandomModels.train(5, 8, 120, 6, RandomModels.Mode.BOOSTED, 0.1, 500, 2_000);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        int f = m.features();
        double[] expected = new double[m.rows()];
        ours.scoreBatch(m.test(), m.rows(), expected);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<java.util.List<String>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    java.util.List<String> wrong = new java.util.ArrayList<>();
                    java.util.Random rnd = new java.util.Random(thread);
                    float[] row = new float[f];
                    for (int i = 0; i < 20_000; i++) {
                        int r = rnd.nextInt(m.rows());
                        if (i % 100 == 0) {
                            // now and then a batch of another size, which regrows this thread's scratch
                            int n = 1 + rnd.nextInt(Math.min(300, m.rows() - r));
                            float[] values = java.util.Arrays.copyOfRange(m.test(), r * f, (r + n) * f);
                            double[] out = new double[n];
                            ours.scoreBatch(values, n, out);
                            for (int k = 0; k < n; k++) {
                                if (out[k] != expected[r + k]) {
                                    wrong.add("thread " + thread + " batch row " + (r + k));
                                }
                            }
                        } else {
                            System.arraycopy(m.test(), r * f, row, 0, f);
                            if (ours.score(row) != expected[r]) {
                                wrong.add("thread " + thread + " row " + r);
                            }
                        }
                    }
                    return wrong;
                }));
            }
            for (var result : results) {
                assertThat(result.get(2, java.util.concurrent.TimeUnit.MINUTES)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        m.booster().dispose();
    }

    @Test
    void marginsEqualXgboostsOutputMargin() throws Exception {
        RandomModels.Trained m = RandomModels.train(11, 6, 80, 6, RandomModels.Mode.BOOSTED, 0.1, 500, 200);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        DMatrix d = new DMatrix(m.test(), m.rows(), m.features(), Float.NaN);
        float[][] margins = m.booster().predict(d, true);
        float[] row = new float[m.features()];
        for (int r = 0; r < m.rows(); r++) {
            System.arraycopy(m.test(), r * m.features(), row, 0, m.features());
            assertThat(ours.margin(row)).isCloseTo(margins[r][0], within(1e-5f));
        }
    }

    @Test
    void whatIsNotSupportedIsNamed() {
        ModelInfo info = new ModelInfo("xgboost-trees", java.util.List.of("a"), "v", "h");
        String multiclass = """
                {"learner":{"objective":{"name":"multi:softprob"},"learner_model_param":{"base_score":"5E-1",
                "num_class":"3","num_feature":"1"},"gradient_booster":{"name":"gbtree","model":{"trees":[]}}}}""";
        assertThatThrownBy(() -> CompiledEnsemble.fromXgboostJson(multiclass.getBytes(StandardCharsets.UTF_8), info))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("objective 'multi:softprob'");
        String dart = multiclass.replace("multi:softprob", "binary:logistic").replace("\"3\"", "\"0\"")
                .replace("gbtree", "dart");
        assertThatThrownBy(() -> CompiledEnsemble.fromXgboostJson(dart.getBytes(StandardCharsets.UTF_8), info))
                .hasMessageContaining("booster 'dart' is not supported");
        String categorical = """
                {"learner":{"objective":{"name":"binary:logistic"},"learner_model_param":{"base_score":"5E-1",
                "num_class":"0","num_feature":"1"},"gradient_booster":{"name":"gbtree","model":{"tree_info":[0],
                "trees":[{"id":0,"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],
                "split_conditions":[1.0,0.1,0.2],"default_left":[0,0,0],"sum_hessian":[2,1,1],
                "split_type":[1,0,0],"tree_param":{"size_leaf_vector":"1"}}]}}}}""";
        assertThatThrownBy(() -> CompiledEnsemble.fromXgboostJson(categorical.getBytes(StandardCharsets.UTF_8), info))
                .hasMessageContaining("categorical splits (tree 0, node 0)");
        assertThatThrownBy(() -> CompiledEnsemble.fromXgboostJson("{".getBytes(StandardCharsets.UTF_8), info))
                .hasMessageContaining("not an XGBoost JSON model");
    }

    @Test
    void rowsOfTheWrongWidthAreRefused() throws Exception {
        RandomModels.Trained m = RandomModels.train(3, 4, 5, 3, RandomModels.Mode.BOOSTED, 0, 200, 1);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        assertThatThrownBy(() -> ours.score(new float[3])).hasMessageContaining("needs 4 features, got 3");
        assertThatThrownBy(() -> ours.scoreBatch(new float[7], 2, new double[2])).hasMessageContaining("2 rows");
    }
}
