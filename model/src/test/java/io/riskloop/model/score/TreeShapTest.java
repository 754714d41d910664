package io.riskloop.model.score;

import ml.dmlc.xgboost4j.java.DMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Exact TreeSHAP on the compiled trees against XGBoost4J's predictContrib. */
class TreeShapTest {

    @Property(tries = 25)
    void contributionsEqualXgboostsAndSumToTheMargin(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                     @ForAll @IntRange(min = 1, max = 10) int features,
                                                     @ForAll @IntRange(min = 1, max = 80) int trees,
                                                     @ForAll @IntRange(min = 1, max = 8) int depth,
                                                     @ForAll RandomModels.Mode mode,
                                                     @ForAll @DoubleRange(min = 0, max = 0.3) double missing)
            throws Exception {
        RandomModels.Trained m = RandomModels.train(seed, features, trees, depth, mode, missing, 400, 60);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        DMatrix d = new DMatrix(m.test(), m.rows(), features, Float.NaN);
        float[][] contrib = m.booster().predictContrib(d, 0);
        float[][] margins = m.booster().predict(d, true);
        d.dispose();
        float[] row = new float[features];
        for (int r = 0; r < m.rows(); r++) {
            System.arraycopy(m.test(), r * features, row, 0, features);
            Explanation e = ours.explain(row);
            double sum = e.bias();
            for (int j = 0; j < features; j++) {
                // XGBoost accumulates in float: allow float rounding relative to the margin's scale
                double tolerance = 1e-5 * Math.max(1, Math.abs(margins[r][0]) + trees);
                assertThat(e.contributions()[j]).as("row %d feature %d", r, j)
                        .isCloseTo(contrib[r][j], within(tolerance));
                sum += e.contributions()[j];
            }
            assertThat(e.bias()).as("bias").isCloseTo(contrib[r][features], within(1e-4 * Math.max(1, trees)));
            // exact in real arithmetic; the margin itself is summed in float, as XGBoost does
            assertThat(sum).as("bias + contributions = margin").isCloseTo(e.margin(), within(1e-6 * (trees + 1)));
            assertThat(e.margin()).isCloseTo(margins[r][0], within(1e-5));
        }
        m.booster().dispose();
    }

    @Property(tries = 15)
    void pathAttributionEqualsXgboostsApproximateContributions(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                              @ForAll @IntRange(min = 1, max = 8) int features,
                                                              @ForAll @IntRange(min = 1, max = 60) int trees,
                                                              @ForAll @IntRange(min = 1, max = 7) int depth)
            throws Exception {
        RandomModels.Trained m = RandomModels.train(seed, features, trees, depth, RandomModels.Mode.BOOSTED, 0.1, 300, 40);
        CompiledEnsemble ours = CompiledEnsemble.fromXgboostJson(m.json(), m.info());
        DMatrix d = new DMatrix(m.test(), m.rows(), features, Float.NaN);
        // XGBoost's approximate contributions (Saabas): predict with pred_contribs and approx_contribs
        float[][] approx = ml.dmlc.xgboost4j.java.ApproxContribs.of(m.booster(), d, m.rows());
        d.dispose();
        float[] row = new float[features];
        for (int r = 0; r < m.rows(); r++) {
            System.arraycopy(m.test(), r * features, row, 0, features);
            Explanation e = ours.explainQuickly(row);
            assertThat(e.method()).isEqualTo("saabas");
            double sum = e.bias();
            for (int j = 0; j < features; j++) {
                assertThat(e.contributions()[j]).as("row %d feature %d", r, j)
                        .isCloseTo(approx[r][j], within(1e-4 * (trees + 1)));
                sum += e.contributions()[j];
            }
            assertThat(sum).isCloseTo(e.margin(), within(1e-6 * (trees + 1)));
        }
        m.booster().dispose();
    }

    @Test
    void theClosedFormOfGEqualsItsDefinition() {
        double[] z = {0.3, 0.6, 0.25, 0.9};
        int n = z.length;
        for (int mask = 0; mask < 1 << n; mask++) {
            // brute force: sum over subsets S of M of w(|S|, n) prod_{j in M \ S} z_j
            double brute = 0;
            for (int s = 0; s < 1 << n; s++) {
                if ((s & ~mask) != 0) {
                    continue;
                }
                double p = TreeShap.weight(Integer.bitCount(s), n);
                for (int j = 0; j < n; j++) {
                    if ((mask >> j & 1) == 1 && (s >> j & 1) == 0) {
                        p *= z[j];
                    }
                }
                brute += p;
            }
            assertThat(TreeShap.g(z, n, mask)).as("mask %s", Integer.toBinaryString(mask)).isCloseTo(brute, within(1e-12));
        }
        assertThat(TreeShap.weight(0, 1)).isEqualTo(1.0);
        assertThat(TreeShap.weight(1, 3)).isCloseTo(1.0 / 6, within(1e-15)); // 1! 1! / 3!
    }

    @Test
    void topContributionsAreOrderedByMagnitude() {
        Explanation e = new Explanation(List.of("a", "b", "c"), new double[] {0.1, -2, 0.5}, 0, -1.4, "tree_shap");
        assertThat(e.top(2)).extracting(Explanation.Contribution::feature).containsExactly("b", "c");
    }
}
