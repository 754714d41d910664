package io.riskloop.cli;

import io.riskloop.model.Json;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.ModelSpec;
import io.riskloop.model.evaluate.Protocol;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates the handbook's model families on a data set and prints the results table with the"
                + " handbook's published figures beside ours.",
                "baseline: one time split, default parameters. prequential: grid search on 4 validation folds,"
                        + " the chosen parameters scored on 4 test folds (mean and std)."})
final class EvaluateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    SplitOptions splitOptions;

    @Option(names = "--protocol", defaultValue = "baseline", description = "baseline or prequential; default ${DEFAULT-VALUE}.")
    Protocol protocol;

    @Option(names = "--folds", defaultValue = "4", description = "Prequential folds, default ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--models", split = ",", description = "Only these models (names as in the table), comma-separated.")
    List<String> models;

    @Option(names = "--seed", defaultValue = "0", description = "Training seed, default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Training threads, default: all processors.")
    Integer threads;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(names = "--report", description = "Also write report.md and report.html to this directory.")
    Path report;

    @Mixin
    TrackingOptions tracking;

    @Override
    public Integer call() throws Exception {
        if (tracking.noTrack) {
            evaluate(null);
            return 0;
        }
        try (StoreOptions.OpenRegistry open = tracking.store.open()) { // a wrong --db fails before the work
            evaluate(open);
        }
        return 0;
    }

    private void evaluate(StoreOptions.OpenRegistry open) throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.onTerminal();
        Features.Prepared prepared = Features.prepare(data, splitOptions, progress, out);
        TimeSplit split = prepared.split();
        List<ModelSpec> specs = selected(protocol == Protocol.BASELINE ? ModelSpec.baseline(seed)
                : ModelSpec.prequential(seed));
        Evaluator evaluator = new Evaluator(new Trainer(),
                (model, phase, done, total) -> progress.update(model + " " + truncate(phase), done, total));
        Evaluation e = protocol == Protocol.BASELINE
                ? evaluator.baseline(prepared.matrix(), prepared.featureSet(), split, specs, prepared.source())
                : evaluator.prequential(prepared.matrix(), prepared.featureSet(), split, folds, specs, prepared.source());
        progress.done();
        out.println("protocol: " + protocol.cliName() + (protocol == Protocol.PREQUENTIAL
                ? " (" + folds + " folds, test mean ± std)" : "") + "; split: " + split.describe());
        out.println("data: " + e.dataset());
        out.print(ReportWriter.table(e));
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Json.mapper().writeValue(json.toFile(), Evaluator.toJson(e));
            out.println("figures written to " + json);
        }
        if (report != null) {
            ReportWriter.write(e, "riskloop evaluation (" + protocol.cliName() + ")", report);
            out.println("report written to " + report.resolve(ReportWriter.HTML));
        }
        if (open != null) {
            record(open, prepared, e, out);
        }
    }

    /** A parent run for the evaluation, a child run per model; the report and figures as the parent's artifacts. */
    private void record(StoreOptions.OpenRegistry open, Features.Prepared prepared, Evaluation e, java.io.PrintWriter out)
            throws java.io.IOException {
        var registry = open.registry();
        var snapshot = registry.snapshots().register(prepared.dataset(),
                io.riskloop.registry.snapshot.SimulationSidecar.originOf(prepared.dataset()));
        Path files = Files.createTempDirectory("riskloop-evaluation");
        try {
            ReportWriter.write(e, "riskloop evaluation (" + protocol.cliName() + ")", files);
            Json.mapper().writeValue(files.resolve("figures.json").toFile(), Evaluator.toJson(e));
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("data.file", prepared.dataset().source().toString());
            params.put("data.layout", prepared.dataset().format().cliName());
            params.put("data.file_sha256", prepared.dataset().sha256());
            params.put("feature_set", prepared.featureSet().name());
            params.put("label_delay_days", Integer.toString(splitOptions.labelDelayDays));
            params.put("seed", Long.toString(seed));
            var recorded = new io.riskloop.registry.record.RunRecorder(registry, java.time.Clock.systemUTC())
                    .recordEvaluation(tracking.experimentOr("evaluate"), tracking.actor.actor(), snapshot.id(), e, params,
                            files, "riskloop evaluate");
            out.printf("run %s (experiment %s) with %d model runs, dataset snapshot %d (%s)%n", recorded.parentRunId(),
                    tracking.experimentOr("evaluate"), recorded.childRunIds().size(), snapshot.id(),
                    snapshot.sha256().substring(0, 12));
        } finally {
            try (var walk = Files.walk(files)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private List<ModelSpec> selected(List<ModelSpec> all) {
        List<ModelSpec> chosen = all;
        if (models != null && !models.isEmpty()) {
            for (String m : models) {
                if (all.stream().noneMatch(s -> s.name().equals(m))) {
                    throw new IllegalArgumentException("unknown model '" + m + "' for the " + protocol.cliName()
                            + " protocol: choose from " + all.stream().map(ModelSpec::name).toList());
                }
            }
            chosen = all.stream().filter(s -> models.contains(s.name())).toList();
        }
        if (threads != null) {
            chosen = chosen.stream().map(s -> s.withThreads(threads)).toList();
        }
        return chosen;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
