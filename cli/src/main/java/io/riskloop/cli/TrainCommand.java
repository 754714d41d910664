package io.riskloop.cli;

import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunParams;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.snapshot.SimulationSidecar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.server.retrain.ReferenceProfiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains one model on the training window of a time split and scores it on the test window.",
                "Writes the model (XGBoost JSON), its manifest and a report (Markdown and HTML) to --out, records a run"
                        + " (parameters, metrics, dataset snapshot, code version, the files as artifacts) and registers"
                        + " the model as the next version of --model-name."})
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    SplitOptions splitOptions;

    @Mixin
    ModelOptions model;

    @Mixin
    TrackingOptions tracking;

    @Option(names = "--out", defaultValue = "data/models/latest", description = "Model directory, default ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--model-name", defaultValue = "fraud",
            description = "Registered model the new version belongs to (created if new), default ${DEFAULT-VALUE}.")
    String modelName;

    @Option(names = "--alias", description = "Also point this alias at the new version, e.g. challenger.")
    String alias;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        if (tracking.noTrack) {
            if (alias != null) {
                throw new IllegalArgumentException("--alias needs the registry: drop --no-track");
            }
            trainAndWrite(stdout, null, null);
            return 0;
        }
        // open the store first: a wrong --db fails now, not after the training
        try (StoreOptions.OpenRegistry open = tracking.store.open()) {
            trainAndWrite(stdout, open, new RunRecorder(open.registry(), Clock.systemUTC()));
        }
        return 0;
    }

    private void trainAndWrite(java.io.PrintWriter stdout, StoreOptions.OpenRegistry open, RunRecorder recorder)
            throws Exception {
        Progress progress = Progress.onTerminal();
        Features.Prepared prepared = Features.prepare(data, splitOptions, progress, stdout);
        TimeSplit split = prepared.split();
        TrainingParams params = model.params();
        String name = model.algorithm.cliName();
        ActiveRun run = null;
        DatasetSnapshot snapshot = null;
        if (recorder != null) {
            snapshot = open.registry().snapshots().register(prepared.dataset(),
                    SimulationSidecar.originOf(prepared.dataset()));
            run = recorder.start(tracking.experimentOr("train"), name, tracking.actor.actor(), snapshot.id(), null,
                    "riskloop train");
            run.params(runParams(prepared, params));
        }
        try (ActiveRun active = run) {
            Evaluator evaluator = new Evaluator(new Trainer(), (m, p, done, total) -> progress.note("training", m + " " + p));
            try (Evaluator.TrainedRun trained = evaluator.trainAndTest(name, prepared.matrix(),
                    prepared.featureSet(), split, params, prepared.source())) {
                progress.done();
                trained.model().save(out);
                FeatureMatrix trainRows = prepared.matrix().select(split.apply(prepared.matrix()).train());
                ReferenceProfiles.write(out, name, trainRows, trained.model().predict(trainRows));
                ReportWriter.write(trained.evaluation(), "riskloop training run: " + name, out);
                stdout.println("split: " + split.describe());
                stdout.println("data: " + trained.evaluation().dataset());
                stdout.print(ReportWriter.table(trained.evaluation()));
                stdout.println("model, manifest and report written to " + out);
                if (active != null) {
                    active.metrics(trained.model().manifest().metrics(), 0);
                    for (String f : new String[] {"model.json", "manifest.json"}) {
                        active.artifact(ActiveRun.MODEL_DIR + "/" + f, out.resolve(f));
                    }
                    for (String f : new String[] {ReportWriter.MARKDOWN, ReportWriter.HTML}) {
                        active.artifact("report/" + f, out.resolve(f));
                    }
                    ModelVersion v = active.registerModel(modelName, trained.model().manifest(), tracking.actor.actor());
                    active.finish();
                    stdout.printf("run %s (experiment %s), dataset snapshot %d (%s)%n", active.id(),
                            tracking.experimentOr("train"), snapshot.id(), snapshot.sha256().substring(0, 12));
                    stdout.printf("registered %s%n", v.label());
                    if (alias != null) {
                        open.registry().models().setAlias(modelName, alias, v.version(), tracking.actor.actor(),
                                "riskloop train --alias " + alias, ModelsCommand.audited(open.registry()));
                        stdout.printf("%s of %s -> v%d%n", alias, modelName, v.version());
                    }
                }
            }
        }
    }

    private Map<String, String> runParams(Features.Prepared prepared, TrainingParams params) {
        Map<String, String> p = new LinkedHashMap<>(RunParams.of(params));
        p.putAll(RunParams.of(prepared.split()));
        p.put("label_delay_days", Integer.toString(splitOptions.labelDelayDays));
        p.put("feature_set", prepared.featureSet().name());
        p.put("feature_set_version", Integer.toString(prepared.featureSet().version()));
        p.put("data.file", prepared.dataset().source().toString());
        p.put("data.layout", prepared.dataset().format().cliName());
        p.put("data.file_sha256", prepared.dataset().sha256());
        return p;
    }
}
