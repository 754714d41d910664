package io.riskloop.model.bench;

import io.riskloop.model.score.CompiledEnsemble;
import io.riskloop.model.score.ModelInfo;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A one-shot comparison of the compiled scorer with XGBoost4J on one thread: trains a model of a given shape on
 * random data, checks that both score alike, and times single rows, a batch and explanations (medians over
 * repeats). The JMH benchmarks in {@code bench/} measure the same things more carefully; this runs anywhere
 * the riskloop jar does.
 */
public final class ScorerBench {

    /**
     * The model's shape.
     *
     * @param trees     boosting rounds
     * @param depth     maximum depth
     * @param features  number of features
     * @param trainRows rows to train on
     * @param seed      data and training seed
     */
    public record Shape(int trees, int depth, int features, int trainRows, long seed) {
        public Shape {
            if (trees < 1 || depth < 1 || features < 1 || trainRows < 100) {
                throw new IllegalArgumentException("trees, depth and features must be at least 1 and training rows"
                        + " at least 100: " + trees + ", " + depth + ", " + features + ", " + trainRows);
            }
        }
    }

    /**
     * Medians in microseconds, one thread, and the largest difference between the two scorers.
     *
     * @param oursSingleRowUs      compiled scorer, one row
     * @param xgboost4jSingleRowUs XGBoost4J, one row (DMatrix of one row + predict, as a caller must)
     * @param oursBatchRowUs       compiled scorer, per row of a batch
     * @param xgboost4jBatchRowUs  XGBoost4J predict on a prebuilt DMatrix, per row of a batch
     * @param oursExplainUs        TreeSHAP explanation of one row
     * @param maxAbsDifference     largest |ours - XGBoost4J| over the test rows
     * @param layout               the compiled layout used
     */
    public record Result(double oursSingleRowUs, double xgboost4jSingleRowUs, double oursBatchRowUs,
                         double xgboost4jBatchRowUs, double oursExplainUs, double maxAbsDifference, String layout) {
    }

    /** A trained model and data to score. */
    public record Workload(Booster booster, CompiledEnsemble compiled, float[] rows, int rowCount, int features) {
        public float[] row(int i, float[] into) {
            System.arraycopy(rows, (i % rowCount) * features, into, 0, features);
            return into;
        }
    }

    private ScorerBench() {
    }

    /** Trains the model and compiles it; {@code rows} test rows (10 % missing values) come with it. */
    public static Workload workload(Shape shape, int rows, CompiledEnsemble.Layout layout) throws XGBoostError {
        Random rnd = new Random(shape.seed());
        int f = shape.features();
        float[] x = data(rnd, shape.trainRows(), f);
        float[] y = new float[shape.trainRows()];
        double[] w = new double[f];
        for (int j = 0; j < f; j++) {
            w[j] = rnd.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                float v = x[i * f + j];
                s += Float.isNaN(v) ? 0 : w[j] * Math.sin(2 * v) + 0.3 * v * w[(j + 1) % f];
            }
            y[i] = s + rnd.nextGaussian() > 0 ? 1 : 0;
        }
        DMatrix d = new DMatrix(x, shape.trainRows(), f, Float.NaN);
        d.setLabel(y);
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("max_depth", shape.depth());
        p.put("eta", 0.1);
        p.put("min_child_weight", 0.0);
        p.put("tree_method", "hist");
        p.put("seed", shape.seed());
        p.put("nthread", Math.max(1, Runtime.getRuntime().availableProcessors()));
        p.put("verbosity", 0);
        Booster booster = XGBoost.train(d, p, shape.trees(), new HashMap<>(), null, null);
        d.dispose();
        booster.setParam("nthread", 1);
        List<String> names = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            names.add("f" + j);
        }
        CompiledEnsemble compiled = CompiledEnsemble.fromXgboostJson(booster.toByteArray("json"),
                new ModelInfo("xgboost-trees", names, "bench", "-"), layout);
        return new Workload(booster, compiled, data(rnd, rows, f), rows, f);
    }

    static float[] data(Random rnd, int rows, int f) {
        float[] x = new float[rows * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(10) == 0 ? Float.NaN : (float) rnd.nextGaussian();
        }
        return x;
    }

    /** Runs the comparison. {@code progress} is told each phase's name. */
    public static Result run(Shape shape, java.util.function.Consumer<String> progress) throws XGBoostError {
        int batchRows = 100_000;
        progress.accept("training " + shape.trees() + " trees of depth " + shape.depth());
        Workload wl = workload(shape, batchRows, CompiledEnsemble.Layout.AUTO);
        CompiledEnsemble ours = wl.compiled();
        int f = wl.features();

        progress.accept("checking agreement");
        DMatrix all = new DMatrix(wl.rows(), batchRows, f, Float.NaN);
        float[][] expected = wl.booster().predict(all);
        double[] batch = new double[batchRows];
        ours.scoreBatch(wl.rows(), batchRows, batch);
        double maxDiff = 0;
        for (int r = 0; r < batchRows; r++) {
            maxDiff = Math.max(maxDiff, Math.abs(batch[r] - expected[r][0]));
        }
        if (maxDiff > 1e-6) {
            throw new IllegalStateException("the compiled scorer differs from XGBoost4J by " + maxDiff);
        }

        float[] row = new float[f];
        double[] sink = new double[1];
        progress.accept("timing single rows");
        double oursSingle = medianOfAverages(20, 20_000, i -> sink[0] += ours.score(wl.row(i, row)));
        double xgbSingle = medianOfAverages(15, 200, i -> {
            try {
                DMatrix one = new DMatrix(wl.row(i, row), 1, f, Float.NaN);
                sink[0] += wl.booster().predict(one)[0][0];
                one.dispose();
            } catch (XGBoostError e) {
                throw new IllegalStateException(e);
            }
        });
        progress.accept("timing batches");
        double oursBatch = medianOfAverages(7, 1, i -> ours.scoreBatch(wl.rows(), batchRows, batch)) / batchRows;
        // XGBoost keeps the last prediction of a DMatrix: each repeat predicts a freshly built one (build not timed).
        double[] xgbRuns = new double[5];
        for (int rep = -1; rep < xgbRuns.length; rep++) {
            DMatrix fresh = new DMatrix(wl.rows(), batchRows, f, Float.NaN);
            long t0 = System.nanoTime();
            sink[0] += wl.booster().predict(fresh)[0][0];
            long t1 = System.nanoTime();
            fresh.dispose();
            if (rep >= 0) {
                xgbRuns[rep] = (t1 - t0) / 1e3 / batchRows;
            }
        }
        Arrays.sort(xgbRuns);
        double xgbBatch = xgbRuns[xgbRuns.length / 2];
        progress.accept("timing explanations");
        double explain = medianOfAverages(15, 300, i -> sink[0] += ours.explain(wl.row(i, row)).margin());
        all.dispose();
        wl.booster().dispose();
        if (sink[0] == 42.4242) {
            System.out.print(""); // keep the results alive
        }
        return new Result(oursSingle, xgbSingle, oursBatch, xgbBatch, explain, maxDiff, ours.layoutName());
    }

    /** Runs {@code repeats} rounds of {@code calls} calls (after one warm-up round) and returns the median per-call us. */
    static double medianOfAverages(int repeats, int calls, IntConsumer call) {
        for (int i = 0; i < calls; i++) {
            call.accept(i);
        }
        double[] us = new double[repeats];
        int next = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                call.accept(next++);
            }
            us[r] = (System.nanoTime() - t0) / 1e3 / calls;
        }
        Arrays.sort(us);
        return us[repeats / 2];
    }
}
