package io.riskloop.model.evaluate;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.train.TrainingParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the handbook's evaluation protocols on a feature matrix of the whole data set.
 *
 * <p>Prequential: the test estimate uses {@code folds} splits, the first equal to the given split and each next
 * one shifted back by the test length; validation uses the same number of splits, anchored so that the latest
 * validation block ends before the earliest test fold's training starts (the handbook's arrangement). Every
 * grid point is scored on the validation folds; the one with the best mean average precision is then trained
 * and scored on the test folds.
 */
public final class Evaluator {

    /** Told before each training. */
    @FunctionalInterface
    public interface Listener {
        void training(String model, String phase, int done, int total);

        Listener NONE = (m, p, d, t) -> { };
    }

    private final Trainer trainer;
    private final Listener listener;

    public Evaluator(Trainer trainer, Listener listener) {
        this.trainer = trainer;
        this.listener = listener;
    }

    public Evaluation baseline(FeatureMatrix all, FeatureSet set, TimeSplit split, List<ModelSpec> specs,
                               Trainer.Source source) {
        TimeSplit.Indexes idx = checked(split.apply(all), split);
        FeatureMatrix train = all.select(idx.train());
        FeatureMatrix test = all.select(idx.test());
        List<ModelResult> results = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec spec = specs.get(i);
            listener.training(spec.name(), "baseline", i, specs.size());
            double[] scores = fitAndScore(spec.name(), train, test, set, spec.defaults(), source);
            ModelMetrics m = ModelMetrics.of(test, scores);
            results.add(new ModelResult(spec.name(), spec.defaults(), m, new double[] {m.aucRoc()},
                    new double[] {m.averagePrecision()}, new double[] {m.cardPrecisionAt100()}, scores, test,
                    BookResults.BASELINE.get(spec.name()), null));
        }
        listener.training("", "baseline", specs.size(), specs.size());
        return new Evaluation(Protocol.BASELINE, split, 1, results, describe(all, train, test));
    }

    /** A model trained on a split and scored on its test rows; its manifest carries the test metrics. */
    public record TrainedRun(TrainedModel model, Evaluation evaluation) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /** Trains one model on the split's training rows and scores it on the split's test rows. */
    public TrainedRun trainAndTest(String name, FeatureMatrix all, FeatureSet set, TimeSplit split,
                                   TrainingParams params, Trainer.Source source) {
        TimeSplit.Indexes idx = checked(split.apply(all), split);
        FeatureMatrix train = all.select(idx.train());
        FeatureMatrix test = all.select(idx.test());
        listener.training(name, params.describe(), 0, 1);
        TrainedModel model = trainer.train(name, train, set, params, source);
        try {
            double[] scores = model.predict(test);
            ModelMetrics m = ModelMetrics.of(test, scores);
            listener.training(name, params.describe(), 1, 1);
            ModelResult result = new ModelResult(name, params, m, new double[] {m.aucRoc()},
                    new double[] {m.averagePrecision()}, new double[] {m.cardPrecisionAt100()}, scores, test,
                    BookResults.BASELINE.get(name), null);
            Evaluation e = new Evaluation(Protocol.BASELINE, split, 1, List.of(result), describe(all, train, test));
            return new TrainedRun(model.withManifest(model.manifest().withMetrics(m.asMap())), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public Evaluation prequential(FeatureMatrix all, FeatureSet set, TimeSplit split, int folds,
                                  List<ModelSpec> specs, Trainer.Source source) {
        if (folds < 1) {
            throw new IllegalArgumentException("folds must be at least 1, was " + folds);
        }
        int step = split.testDays();
        List<TimeSplit> testFolds = new ArrayList<>();
        List<TimeSplit> validFolds = new ArrayList<>();
        TimeSplit validAnchor = split.shiftedBack((folds - 1) * step + split.delayDays() + split.testDays());
        for (int k = 0; k < folds; k++) {
            testFolds.add(split.shiftedBack(k * step));
            validFolds.add(validAnchor.shiftedBack(k * step));
        }
        List<TimeSplit.Indexes> testIdx = testFolds.stream().map(s -> checked(s.apply(all), s)).toList();
        List<TimeSplit.Indexes> validIdx = validFolds.stream().map(s -> checked(s.apply(all), s)).toList();
        int total = 0;
        for (ModelSpec s : specs) {
            total += (s.grid().size() + 1) * folds;
        }
        int done = 0;
        List<ModelResult> results = new ArrayList<>();
        for (ModelSpec spec : specs) {
            TrainingParams best = null;
            double bestAp = Double.NEGATIVE_INFINITY;
            for (TrainingParams p : spec.grid()) {
                double sum = 0;
                for (TimeSplit.Indexes vi : validIdx) {
                    listener.training(spec.name(), "validation " + p.describe(), done++, total);
                    FeatureMatrix test = all.select(vi.test());
                    double[] scores = fitAndScore(spec.name(), all.select(vi.train()), test, set, p, source);
                    sum += ModelMetrics.of(test, scores).averagePrecision();
                }
                double meanAp = sum / validIdx.size();
                if (meanAp > bestAp) {
                    bestAp = meanAp;
                    best = p;
                }
            }
            double[] auc = new double[folds];
            double[] ap = new double[folds];
            double[] cp = new double[folds];
            ModelMetrics first = null;
            double[] firstScores = null;
            FeatureMatrix firstTest = null;
            for (int k = 0; k < folds; k++) {
                listener.training(spec.name(), "test fold " + (k + 1) + " " + best.describe(), done++, total);
                FeatureMatrix test = all.select(testIdx.get(k).test());
                double[] scores = fitAndScore(spec.name(), all.select(testIdx.get(k).train()), test, set, best, source);
                ModelMetrics m = ModelMetrics.of(test, scores);
                auc[k] = m.aucRoc();
                ap[k] = m.averagePrecision();
                cp[k] = m.cardPrecisionAt100();
                if (k == 0) {
                    first = m;
                    firstScores = scores;
                    firstTest = test;
                }
            }
            results.add(new ModelResult(spec.name(), best, first, auc, ap, cp, firstScores, firstTest,
                    BookResults.PREQUENTIAL.get(spec.name()),
                    String.format("best of %d parameter sets by mean validation AP %.3f", spec.grid().size(), bestAp)));
        }
        listener.training("", "prequential", total, total);
        FeatureMatrix train0 = all.select(testIdx.getFirst().train());
        FeatureMatrix test0 = all.select(testIdx.getFirst().test());
        return new Evaluation(Protocol.PREQUENTIAL, split, folds, results, describe(all, train0, test0));
    }

    private double[] fitAndScore(String name, FeatureMatrix train, FeatureMatrix test, FeatureSet set,
                                 TrainingParams p, Trainer.Source source) {
        try (TrainedModel model = trainer.train(name, train, set, p, source)) {
            return model.predict(test);
        }
    }

    private static TimeSplit.Indexes checked(TimeSplit.Indexes idx, TimeSplit split) {
        if (idx.train().length == 0 || idx.test().length == 0) {
            throw new IllegalArgumentException("the split " + split.describe() + " leaves " + idx.train().length
                    + " training and " + idx.test().length + " test rows: the data do not cover it. Choose"
                    + " --train-start (and --train-days, --delay-days, --test-days) inside the data's time range.");
        }
        return idx;
    }

    private static String describe(FeatureMatrix all, FeatureMatrix train, FeatureMatrix test) {
        return String.format("%,d transactions (%,d frauds); first split: train %,d (%,d frauds), test %,d (%,d frauds)"
                        + " after removing known defrauded cards",
                all.rows(), all.frauds(), train.rows(), train.frauds(), test.rows(), test.frauds());
    }

    /** The figures of an evaluation as the JSON document `riskloop evaluate --json` writes. */
    public static Map<String, Object> toJson(Evaluation e) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelResult r : e.models()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", r.name());
            m.put("auc_roc", ModelResult.mean(r.aucRoc()));
            m.put("average_precision", ModelResult.mean(r.ap()));
            m.put("card_precision_at_100", ModelResult.mean(r.cp100()));
            if (e.protocol() == Protocol.PREQUENTIAL) {
                m.put("auc_roc_std", ModelResult.std(r.aucRoc()));
                m.put("average_precision_std", ModelResult.std(r.ap()));
                m.put("card_precision_at_100_std", ModelResult.std(r.cp100()));
                m.put("folds", r.folds());
            }
            m.put("params", r.params().describe());
            if (r.book() != null) {
                m.put("book", Map.of("auc_roc", r.book().aucRoc(), "average_precision", r.book().averagePrecision(),
                        "card_precision_at_100", r.book().cardPrecisionAt100()));
            }
            models.add(m);
        }
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("protocol", e.protocol().cliName());
        doc.put("split", e.split().describe());
        doc.put("models", models);
        return doc;
    }
}
