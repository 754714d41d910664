package io.riskloop.cli;

import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import io.riskloop.model.train.TrainingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains one model on the training window of a time split and scores it on the test window.",
                "Writes the model (XGBoost JSON), its manifest and a report (Markdown and HTML) to --out."})
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    SplitOptions splitOptions;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", defaultValue = "data/models/latest", description = "Model directory, default ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = Progress.onTerminal();
        Features.Prepared prepared = Features.prepare(data, splitOptions, progress, stdout);
        TimeSplit split = prepared.split();
        TrainingParams params = model.params();
        String name = model.algorithm.cliName();
        Evaluator evaluator = new Evaluator(new Trainer(), (m, p, done, total) -> progress.note("training", m + " " + p));
        try (Evaluator.TrainedRun run = evaluator.trainAndTest(name, prepared.matrix(),
                prepared.featureSet(), split, params, prepared.source())) {
            progress.done();
            run.model().save(out);
            ReportWriter.write(run.evaluation(), "riskloop training run: " + name, out);
            stdout.println("split: " + split.describe());
            stdout.println("data: " + run.evaluation().dataset());
            stdout.print(ReportWriter.table(run.evaluation()));
            stdout.println("model, manifest and report written to " + out);
        }
        return 0;
    }
}
