package io.riskloop.cli;

import io.riskloop.model.Json;
import io.riskloop.model.bench.ScorerBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures parts of riskloop on this machine.",
        subcommands = {BenchCommand.Scorer.class, BenchCommand.Pipeline.class, ApiBench.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "scorer", mixinStandardHelpOptions = true,
            description = {"Trains a model of the given shape on random data with XGBoost4J, checks that the compiled"
                    + " scorer gives the same probabilities, and times both on one thread (medians, microseconds):"
                    + " one row, per row of a 100,000-row batch, and one explanation.",
                    "Targets for 300 trees of depth 6 on 15 features: one row 30x faster than XGBoost4J (2 us or"
                            + " less), a batch row 2x faster, an explanation in 50 us or less."})
    static final class Scorer implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--trees", defaultValue = "300", description = "Trees, default ${DEFAULT-VALUE}.")
        int trees;

        @Option(names = "--depth", defaultValue = "6", description = "Maximum depth, default ${DEFAULT-VALUE}.")
        int depth;

        @Option(names = "--features", defaultValue = "15", description = "Features, default ${DEFAULT-VALUE}.")
        int features;

        @Option(names = "--train-rows", defaultValue = "20000", description = "Training rows, default ${DEFAULT-VALUE}.")
        int trainRows;

        @Option(names = "--seed", defaultValue = "1", description = "Seed, default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--json", description = "Also write the figures as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Progress progress = Progress.onTerminal();
            ScorerBench.Result r = ScorerBench.run(new ScorerBench.Shape(trees, depth, features, trainRows, seed),
                    phase -> progress.note("bench", phase));
            progress.done();
            out.printf("model: %d trees, depth %d, %d features; layout: %s; max |ours - xgboost4j| = %.2e%n",
                    trees, depth, features, r.layout(), r.maxAbsDifference());
            out.printf("%-24s %12s %12s %10s%n", "median, one thread", "riskloop", "xgboost4j", "speed-up");
            out.printf("%-24s %10.3f us %10.3f us %9.1fx%n", "one row", r.oursSingleRowUs(), r.xgboost4jSingleRowUs(),
                    r.xgboost4jSingleRowUs() / r.oursSingleRowUs());
            out.printf("%-24s %10.3f us %10.3f us %9.1fx%n", "per row of 100k batch", r.oursBatchRowUs(),
                    r.xgboost4jBatchRowUs(), r.xgboost4jBatchRowUs() / r.oursBatchRowUs());
            out.printf("%-24s %10.3f us%n", "one explanation", r.oursExplainUs());
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("ours_single_row_us", r.oursSingleRowUs());
                doc.put("xgboost4j_single_row_us", r.xgboost4jSingleRowUs());
                doc.put("ours_batch_row_us", r.oursBatchRowUs());
                doc.put("xgboost4j_batch_row_us", r.xgboost4jBatchRowUs());
                doc.put("ours_explain_us", r.oursExplainUs());
                doc.put("max_abs_difference", r.maxAbsDifference());
                doc.put("layout", r.layout());
                doc.put("shape", Map.of("trees", trees, "depth", depth, "features", features));
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Json.mapper().writeValue(json.toFile(), doc);
                out.println("figures written to " + json);
            }
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Runs the whole pipeline in this process on the embedded broker and database (the book"
                    + " world replayed, a trained model serving) and measures produce-to-stored latency at each --rate,"
                    + " the sustained throughput when producing as fast as possible, and raw Kafka produce-to-consume"
                    + " throughput on the same broker as the ceiling.",
                    "Targets on 2 cores: 20,000 tx/s sustained; p99 at most 50 ms at 5,000 tx/s."})
    static final class Pipeline implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--rate", split = ",", defaultValue = "1000,5000",
                description = "Rates (tx/s) at which latency is measured, default ${DEFAULT-VALUE}.")
        java.util.List<Integer> rates;

        @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
                description = "Length of each phase, default ${DEFAULT-VALUE}.")
        java.time.Duration duration;

        @Option(names = "--commit-interval", defaultValue = "10ms", converter = DurationConverter.class,
                description = "The pipeline's commit interval, default ${DEFAULT-VALUE} (as `process`).")
        java.time.Duration commitInterval;

        @Option(names = "--stream-threads", defaultValue = "1",
                description = "The pipeline's stream threads, default ${DEFAULT-VALUE} (as `process`).")
        int streamThreads;

        @Option(names = "--json", description = "Also write the figures as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = Files.createTempDirectory("riskloop-bench-pipeline");
            try {
                var r = io.riskloop.stream.bench.PipelineBench.run(
                        new io.riskloop.stream.bench.PipelineBench.Options(rates, duration, dir, commitInterval,
                                streamThreads),
                        phase -> {
                            out.println("bench: " + phase);
                            out.flush();
                        });
                for (var l : r.latencies()) {
                    out.printf("at %,d tx/s (achieved %,.0f): produce to decision delivered p50 %d ms, p99 %d ms, max %d ms;"
                                    + " to stored p50 %d ms, p99 %d ms; to decided (before the commit) p50 %d ms, p99 %d ms%n",
                            l.rate(), l.achievedPerSecond(), l.p50Millis(), l.p99Millis(), l.maxMillis(),
                            l.storedP50Millis(), l.storedP99Millis(), l.decidedP50Millis(), l.decidedP99Millis());
                }
                out.printf("sustained: %,.0f tx/s decided and stored; Kafka ceiling %,.0f msgs/s (%.0f %%)%n",
                        r.sustainedPerSecond(), r.kafkaCeiling(), 100 * r.sustainedPerSecond() / r.kafkaCeiling());
                if (json != null) {
                    Path parent = json.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Json.mapper().writeValue(json.toFile(), r.json());
                    out.println("figures written to " + json);
                }
            } finally {
                deleteTree(dir);
            }
            return 0;
        }

        private static void deleteTree(Path dir) throws java.io.IOException {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
