package io.riskloop.cli;

import io.riskloop.core.dataset.BadRowPolicy;
import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.dataset.DatasetReader;
import io.riskloop.core.dataset.NativeCsvWriter;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.SimulationSummary;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.Evaluation;
import io.riskloop.model.evaluate.Evaluator;
import io.riskloop.model.evaluate.ModelSpec;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.report.ReportWriter;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunParams;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.registry.snapshot.DatasetSnapshot;
import io.riskloop.registry.snapshot.SimulationSidecar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.riskloop.server.retrain.ReferenceProfiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole loop live on embedded defaults: an in-process Kafka broker and PostgreSQL, a"
                + " champion trained and registered if there is none, simulated transactions replayed at --rate"
                + " through the decision pipeline into the store, frauds coming back as chargebacks after"
                + " --chargeback-delay-days of simulated time, and the HTTP server. Ctrl-C stops cleanly; a second"
                + " run resumes where the first stopped.",
                "--offline runs the offline loop instead: simulate, replay features, evaluate the five baseline"
                        + " models against the handbook's figures, train and register the champion."})
final class DemoCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = "data/demo", description = "Working directory, default ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--days", defaultValue = "" + SimulationConfig.DEFAULT_DAYS,
            description = "Simulated days, default ${DEFAULT-VALUE} (at least 35 for the default split).")
    int days;

    @Option(names = "--customers", defaultValue = "" + SimulationConfig.DEFAULT_CUSTOMERS,
            description = "Simulated customers, default ${DEFAULT-VALUE}.")
    int customers;

    @Option(names = "--terminals", defaultValue = "" + SimulationConfig.DEFAULT_TERMINALS,
            description = "Simulated terminals, default ${DEFAULT-VALUE}.")
    int terminals;

    @Option(names = "--radius", defaultValue = "" + SimulationConfig.DEFAULT_RADIUS,
            description = "Customer-to-terminal radius, default ${DEFAULT-VALUE}.")
    double radius;

    @Option(names = "--seed", defaultValue = "0", description = "Simulation and training seed, default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--model-name", defaultValue = "fraud",
            description = "Registered model the champion becomes a version of, default ${DEFAULT-VALUE}.")
    String modelName;

    @picocli.CommandLine.Mixin
    TrackingOptions tracking;

    @Option(names = "--offline", description = "Run the offline loop (simulate, evaluate, train) instead of the live one.")
    boolean offline;

    @Option(names = "--rate", defaultValue = "300", description = "Transactions per second to replay, default ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--catch-up-rate", defaultValue = "5000",
            description = "Transactions per second for the weeks the first champion learnt from (replayed first, so that"
                    + " the monitoring loop starts within minutes), default ${DEFAULT-VALUE}.")
    double catchUpRate;

    @Option(names = "--duration", description = "Stop after this long, e.g. PT2M or 90s; default: until Ctrl-C or the"
            + " end of the simulated history.", converter = DurationConverter.class)
    java.time.Duration duration;

    @Option(names = "--summary", description = "Write a JSON summary (produced, decided, stored, dlq, alerts, latency"
            + " p50 and p99 in ms) to this file when stopping.")
    Path summary;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port, default ${DEFAULT-VALUE}; 0 picks a free one.")
    int port;

    @Option(names = "--kafka", description = "Bootstrap servers of a Kafka cluster to use instead of the embedded broker.")
    String kafka;

    @picocli.CommandLine.Mixin
    NotifierOptions notifiers;

    @Option(names = "--chargeback-delay-days", defaultValue = "7",
            description = "Simulated days until a fraud comes back as a chargeback, default ${DEFAULT-VALUE}.")
    int chargebackDelayDays;

    @Override
    public Integer call() throws Exception {
        if (!offline) {
            if (tracking.noTrack) {
                throw new IllegalArgumentException("the live demo records its decisions and models; --no-track only"
                        + " works with --offline");
            }
            return new LiveDemo(this).run();
        }
        if (tracking.noTrack) {
            run(null);
            return 0;
        }
        try (StoreOptions.OpenRegistry open = tracking.store.open()) {
            run(open);
        }
        return 0;
    }

    private void run(StoreOptions.OpenRegistry open) throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.onTerminal();
        SimulationConfig config = SimulationConfig.book().withCustomers(customers).withTerminals(terminals)
                .withRadius(radius).withDays(days).withSeed(seed);
        Path csv = dir.resolve("transactions.csv");
        out.println("1/4 simulating " + days + " days of transactions -> " + csv);
        SimulationSummary summary;
        try (NativeCsvWriter w = new NativeCsvWriter(csv)) {
            summary = new Simulator(config).run(tx -> w.writeRow(tx.id(), tx.epochSecond(), tx.customer(),
                    tx.terminal(), tx.amountCents(), tx.scenario()), (d, n, t) -> progress.update("simulating", d, n));
        }
        progress.done();
        SimulationSidecar.of(config, csv).write(csv);
        out.print(summary.describe().indent(4));

        out.println("2/4 reading and computing the 15 baseline features by replay");
        Dataset d = new DatasetReader(BadRowPolicy.FAIL, null).read(csv, null);
        FeatureMatrix all = Features.replay(d, FeatureSet.BASELINE, 7, progress);
        TimeSplit split = TimeSplit.BOOK;
        if (d.end().isBefore(split.testEnd().atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minusSeconds(1))) {
            split = new SplitOptions().split(d);
        }

        out.println("3/4 evaluating the baseline models (" + split.describe() + ")");
        Trainer trainer = new Trainer();
        Trainer.Source source = new Trainer.Source(csv.toString(), d.sha256());
        Evaluation e = new Evaluator(trainer, (m, p, done, total) -> progress.update("training " + m, done, total))
                .baseline(all, FeatureSet.BASELINE, split, ModelSpec.baseline(seed), source);
        progress.done();
        out.print(ReportWriter.table(e).indent(4));
        ReportWriter.write(e, "riskloop demo: baseline evaluation", dir.resolve("evaluation"));
        Registry registry = open == null ? null : open.registry();
        DatasetSnapshot snapshot = null;
        RunRecorder recorder = null;
        String experiment = tracking.experimentOr("demo");
        if (registry != null) {
            snapshot = registry.snapshots().register(d, SimulationSidecar.originOf(d));
            recorder = new RunRecorder(registry, Clock.systemUTC());
            var recorded = recorder.recordEvaluation(experiment, tracking.actor.actor(), snapshot.id(), e,
                    Map.of("data.file", csv.toString(), "feature_set", FeatureSet.BASELINE.name()),
                    dir.resolve("evaluation"), "riskloop demo");
            out.println("    recorded as run " + recorded.parentRunId() + " (experiment " + experiment + ")");
        }

        out.println("4/4 training the XGBoost champion");
        Champions.train(out, registry, experiment, tracking.actor.actor(), modelName, seed,
                snapshot == null ? null : snapshot.id(), all, split, source, dir.resolve("models/champion"),
                "riskloop demo");
        out.println("report: " + dir.resolve("evaluation").resolve(ReportWriter.HTML).toAbsolutePath());
    }
}
