package io.riskloop.cli;

import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.store.decisions.DecisionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "retrain", mixinStandardHelpOptions = true, defaultValueProvider = EnvironmentDefaults.class,
        description = {"Retrains now from the store, as the monitoring loop does when a trigger fires: a dataset"
                + " snapshot of the stored decisions with only the labels known now, its validation, training,"
                + " challenger and champion on the same hold-out, the promotion gates, and registration as"
                + " challenger (the pipeline then shadows it; the monitoring loop promotes it). Every step is"
                + " recorded on a run in the experiment 'retraining'.",
                "Exit code 0 when a challenger was registered, 3 when the data or the gates refused it, 1 on error."})
final class RetrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-name", defaultValue = "fraud", description = "Registered model, default ${DEFAULT-VALUE}.")
    String modelName;

    @Mixin
    RetrainOptions retrain;

    @Option(names = "--seed", defaultValue = "0", description = "Training seed, default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--work-dir", description = "Where model files are written before they go to the artifact store,"
            + " default <data-dir>/retrain.")
    java.nio.file.Path workDir;

    @Mixin
    StoreOptions store;

    @Mixin
    ActorOption actor;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RetrainPolicy policy = retrain.policy();
        try (StoreOptions.OpenRegistry open = store.open()) {
            DecisionStore decisions = new DecisionStore(open.registry().database(), Clock.systemUTC());
            Retrainer retrainer = new Retrainer(open.registry(), decisions, modelName, policy,
                    Retrainer.defaultParams().withSeed(seed), Clock.systemUTC(), workDir != null ? workDir : store.dataDir.resolve("retrain"));
            Retrainer.Result r = retrainer.retrain("manual", actor.actor());
            for (Retrainer.Step s : r.steps()) {
                out.printf("%-9s %s %s%n", s.name(), s.passed() ? "ok  " : "STOP", s.summary());
            }
            out.println("outcome: " + r.outcome().name().toLowerCase(java.util.Locale.ROOT)
                    + (r.runId() != null ? " (run " + r.runId() + ")" : ""));
            return switch (r.outcome()) {
                case REGISTERED -> 0;
                case INVALID_DATA, GATED, BUSY -> 3;
                case FAILED -> 1;
            };
        }
    }
}
