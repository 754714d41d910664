package io.riskloop.cli;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.BookResults;
import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.ModelMetrics;
import io.riskloop.model.evaluate.ModelResult;
import io.riskloop.model.evaluate.Protocol;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import io.riskloop.model.train.TrainingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
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
        Dataset d = data.read(progress, stdout);
        FeatureSet set = FeatureSet.forFormat(d.format());
        FeatureMatrix all = Features.replay(d, set, splitOptions.labelDelayDays, progress);
        TimeSplit split = splitOptions.split(d);
        TimeSplit.Indexes idx = split.apply(all);
        if (idx.train().length == 0 || idx.test().length == 0) {
            throw new IllegalArgumentException("the split " + split.describe() + " leaves " + idx.train().length
                    + " training and " + idx.test().length + " test rows; choose --train-start inside the data");
        }
        FeatureMatrix train = all.select(idx.train());
        FeatureMatrix test = all.select(idx.test());
        TrainingParams params = model.params();
        String name = model.algorithm.cliName();
        progress.note("training", name + " (" + params.describe() + ") on " + train.rows() + " rows");
        Trainer.Source source = new Trainer.Source(d.source().toString(), d.sha256());
        try (TrainedModel trained = new Trainer().train(name, train, set, params, source)) {
            double[] scores = trained.predict(test);
            ModelMetrics metrics = ModelMetrics.of(test, scores);
            progress.done();
            TrainedModel withMetrics = trained.withManifest(trained.manifest().withMetrics(metrics.asMap()));
            withMetrics.save(out);
            Evaluation e = new Evaluation(Protocol.BASELINE, split, 1, List.of(new ModelResult(name, params, metrics,
                    new double[] {metrics.aucRoc()}, new double[] {metrics.averagePrecision()},
                    new double[] {metrics.cardPrecisionAt100()}, scores, test, BookResults.BASELINE.get(name), null)),
                    String.format("%,d training rows (%,d frauds), %,d test rows (%,d frauds)", train.rows(),
                            train.frauds(), test.rows(), test.frauds()));
            ReportWriter.write(e, "riskloop training run: " + name, out);
            stdout.println("split: " + split.describe());
            stdout.print(ReportWriter.table(e));
            stdout.println("model, manifest and report written to " + out);
        }
        return 0;
    }
}
