package io.riskloop.model.evaluate;

import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;

import java.util.ArrayList;
import java.util.List;

/**
 * A model the evaluation trains: its name in reports, its default parameters (baseline protocol) and the grid
 * searched by the prequential protocol.
 *
 * <p>The grids follow the handbook's model-selection chapter: decision tree depth in {2..10, 20, 50}; logistic
 * regression L2 in {0.01, 0.1, 1, 10} (XGBoost's lambda, the inverse of scikit-learn's C); random forest with
 * 25/50/100 trees of depth 5/10/20/50; XGBoost with 25/50/100 trees of depth 3/6/9 and learning rate 0.1/0.3.
 */
public record ModelSpec(String name, TrainingParams defaults, List<TrainingParams> grid) {

    public ModelSpec {
        grid = List.copyOf(grid);
    }

    public static final String LOGISTIC_REGRESSION = "logistic_regression";
    public static final String DECISION_TREE_DEPTH2 = "decision_tree_depth2";
    public static final String DECISION_TREE = "decision_tree";
    public static final String RANDOM_FOREST = "random_forest";
    public static final String XGBOOST = "xgboost";

    /** The five baseline models of the handbook, at default parameters. */
    public static List<ModelSpec> baseline(long seed) {
        return List.of(
                of(LOGISTIC_REGRESSION, TrainingParams.defaults(Algorithm.LOGISTIC_REGRESSION).withSeed(seed)),
                of(DECISION_TREE_DEPTH2, TrainingParams.defaults(Algorithm.DECISION_TREE).withMaxDepth(2).withSeed(seed)),
                of(DECISION_TREE, TrainingParams.defaults(Algorithm.DECISION_TREE).withSeed(seed)),
                of(RANDOM_FOREST, TrainingParams.defaults(Algorithm.RANDOM_FOREST).withSeed(seed)),
                of(XGBOOST, TrainingParams.defaults(Algorithm.XGBOOST).withSeed(seed)));
    }

    /** The four families of the handbook's model selection, with their grids. */
    public static List<ModelSpec> prequential(long seed) {
        TrainingParams dt = TrainingParams.defaults(Algorithm.DECISION_TREE).withSeed(seed);
        List<TrainingParams> dtGrid = new ArrayList<>();
        for (int d : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50}) {
            dtGrid.add(dt.withMaxDepth(d));
        }
        TrainingParams lr = TrainingParams.defaults(Algorithm.LOGISTIC_REGRESSION).withSeed(seed);
        List<TrainingParams> lrGrid = new ArrayList<>();
        for (double l2 : new double[] {0.01, 0.1, 1, 10}) {
            lrGrid.add(lr.withL2(l2));
        }
        TrainingParams rf = TrainingParams.defaults(Algorithm.RANDOM_FOREST).withSeed(seed);
        List<TrainingParams> rfGrid = new ArrayList<>();
        for (int d : new int[] {5, 10, 20, 50}) {
            for (int t : new int[] {25, 50, 100}) {
                rfGrid.add(rf.withMaxDepth(d).withParallelTrees(t));
            }
        }
        TrainingParams xgb = TrainingParams.defaults(Algorithm.XGBOOST).withSeed(seed);
        List<TrainingParams> xgbGrid = new ArrayList<>();
        for (int d : new int[] {3, 6, 9}) {
            for (int t : new int[] {25, 50, 100}) {
                for (double eta : new double[] {0.1, 0.3}) {
                    xgbGrid.add(xgb.withMaxDepth(d).withRounds(t).withLearningRate(eta));
                }
            }
        }
        return List.of(new ModelSpec(DECISION_TREE, dt, dtGrid), new ModelSpec(LOGISTIC_REGRESSION, lr, lrGrid),
                new ModelSpec(RANDOM_FOREST, rf, rfGrid), new ModelSpec(XGBOOST, xgb, xgbGrid));
    }

    static ModelSpec of(String name, TrainingParams p) {
        return new ModelSpec(name, p, List.of(p));
    }

    /** This spec with every parameter set run on the given number of threads. */
    public ModelSpec withThreads(int threads) {
        return new ModelSpec(name, defaults.withThreads(threads), grid.stream().map(p -> p.withThreads(threads)).toList());
    }
}
