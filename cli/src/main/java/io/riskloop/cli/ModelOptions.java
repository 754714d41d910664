package io.riskloop.cli;

import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Training parameters; unset options keep the algorithm's defaults. */
final class ModelOptions {

    @Option(names = "--algorithm", defaultValue = "xgboost", converter = AlgorithmConverter.class,
            description = "logistic_regression, decision_tree, random_forest or xgboost; default ${DEFAULT-VALUE}.")
    Algorithm algorithm;

    @Option(names = "--trees", description = "Trees: boosting rounds (xgboost) or forest size (random_forest).")
    Integer trees;

    @Option(names = "--depth", description = "Maximum tree depth; 0 = unlimited.")
    Integer depth;

    @Option(names = "--learning-rate", description = "Learning rate (xgboost), in (0, 1].")
    Double learningRate;

    @Option(names = "--l2", description = "L2 regularisation (xgboost lambda; for logistic_regression 1/C).")
    Double l2;

    @Option(names = "--scale-pos-weight", description = "Weight of the fraud class (class imbalance), e.g. 10.")
    Double scalePosWeight;

    @Option(names = "--seed", defaultValue = "0", description = "Training seed, default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Training threads, default: all processors.")
    Integer threads;

    TrainingParams params() {
        TrainingParams p = TrainingParams.defaults(algorithm).withSeed(seed);
        if (trees != null) {
            p = algorithm == Algorithm.RANDOM_FOREST ? p.withParallelTrees(trees) : p.withRounds(trees);
        }
        if (depth != null) {
            p = p.withMaxDepth(depth);
        }
        if (learningRate != null) {
            p = p.withLearningRate(learningRate);
        }
        if (l2 != null) {
            p = p.withL2(l2);
        }
        if (scalePosWeight != null) {
            p = p.withScalePosWeight(scalePosWeight);
        }
        if (threads != null) {
            p = p.withThreads(threads);
        }
        return p;
    }

    static final class AlgorithmConverter implements ITypeConverter<Algorithm> {
        @Override
        public Algorithm convert(String value) {
            return Algorithm.parse(value);
        }
    }
}
