package io.riskloop.bench;

import io.riskloop.model.bench.ScorerBench;
import io.riskloop.model.score.CompiledEnsemble;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The compiled scorer against XGBoost4J in the same run, one thread: one row, a 100,000-row batch (reported per
 * row), and a TreeSHAP explanation.
 *
 * <pre>
 * ./mvnw -q -DskipTests package -pl bench -am
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar ScorerBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ScorerBenchmark {

    static final int BATCH = 100_000;

    @Param("300")
    int trees;
    @Param("6")
    int depth;
    @Param("15")
    int features;

    ScorerBench.Workload workload;
    CompiledEnsemble packed;
    CompiledEnsemble nodes;
    float[] row;
    double[] out;
    int next;
    DMatrix fresh;

    @Setup(Level.Trial)
    public void train() throws XGBoostError {
        workload = ScorerBench.workload(new ScorerBench.Shape(trees, depth, features, 20_000, 1), BATCH,
                CompiledEnsemble.Layout.PACKED);
        packed = workload.compiled();
        nodes = CompiledEnsemble.fromXgboostJson(workload.booster().toByteArray("json"), packed.info(),
                CompiledEnsemble.Layout.NODES);
        row = new float[features];
        out = new double[BATCH];
    }

    @TearDown(Level.Trial)
    public void dispose() {
        workload.booster().dispose();
    }

    private float[] nextRow() {
        return workload.row(next++ & 1023, row);
    }

    @Benchmark
    public double oursSingleRow() {
        return packed.score(nextRow());
    }

    @Benchmark
    public double oursSingleRowNodeLayout() {
        return nodes.score(nextRow());
    }

    @Benchmark
    public float xgboost4jSingleRow() throws XGBoostError {
        DMatrix d = new DMatrix(nextRow(), 1, features, Float.NaN);
        try {
            return workload.booster().predict(d)[0][0];
        } finally {
            d.dispose();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] oursBatchPerRow() {
        packed.scoreBatch(workload.rows(), BATCH, out);
        return out;
    }

    /** A DMatrix per invocation: XGBoost keeps the last prediction of a matrix, which would time a cache hit. */
    @State(Scope.Thread)
    public static class FreshMatrix {
        DMatrix matrix;

        @Setup(Level.Invocation)
        public void build(ScorerBenchmark b) throws XGBoostError {
            matrix = new DMatrix(b.workload.rows(), BATCH, b.features, Float.NaN);
        }

        @TearDown(Level.Invocation)
        public void dispose() {
            matrix.dispose();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] xgboost4jBatchPerRow(FreshMatrix m) throws XGBoostError {
        return workload.booster().predict(m.matrix);
    }

    @Benchmark
    public double oursExplain() {
        return packed.explain(nextRow()).margin();
    }
}
