package io.riskloop.cli;

import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.tracking.Experiment;
import io.riskloop.registry.tracking.Metric;
import io.riskloop.registry.tracking.Run;
import io.riskloop.registry.tracking.RunArtifact;
import io.riskloop.registry.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Recorded runs: what riskloop train and evaluate logged, and what MLflow clients logged.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists runs, newest first.")
    static final class ListRuns extends ModelsCommand.Sub {
        @Option(names = "--experiment", description = "Only runs of this experiment.")
        String experiment;

        @Option(names = "--filter", description = "An MLflow search filter, e.g. \"metrics.auc_roc > 0.8 and params.algorithm = 'xgboost'\".")
        String filter;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many, default ${DEFAULT-VALUE}.")
        int limit;

        @Override
        void run(Registry r, PrintWriter out) {
            List<Long> ids = new ArrayList<>();
            if (experiment != null) {
                ids.add(r.tracking().experimentByName(experiment).orElseThrow(() -> RegistryException.notFound(
                        "experiment", "no experiment named '" + experiment + "'")).id());
            }
            List<Run> runs = r.tracking().searchRuns(ids, filter, null, limit, null, Tracking.View.ACTIVE_ONLY).items();
            Map<Long, String> names = new HashMap<>();
            out.printf("%-32s %-14s %-22s %-9s %-24s %-7s %s%n", "run", "experiment", "name", "status", "started", "AUC", "AP");
            for (Run run : runs) {
                String exp = names.computeIfAbsent(run.info().experimentId(),
                        id -> r.tracking().experiment(id).name());
                out.printf("%-32s %-14s %-22s %-9s %-24s %-7s %s%n", run.info().id(), exp, run.info().name(),
                        run.info().status(), run.info().startTime(), fig(run.metric("auc_roc")),
                        fig(run.metric("average_precision")));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a run: status, code version, dataset snapshot, params, metrics, tags, artifacts.")
    static final class Show extends ModelsCommand.Sub {
        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id.")
        String id;

        @Override
        void run(Registry r, PrintWriter out) {
            Run run = r.tracking().run(id);
            var i = run.info();
            Experiment e = r.tracking().experiment(i.experimentId());
            out.printf("run          %s \"%s\"%n", i.id(), i.name());
            out.printf("experiment   %s (id %d)%n", e.name(), e.id());
            out.printf("status       %s, %s .. %s%n", i.status(), i.startTime(), i.endTime() == null ? "" : i.endTime());
            out.printf("by           %s%n", i.userId());
            out.printf("code         %s%n", i.codeVersion() == null ? "unknown" : i.codeVersion());
            if (i.parentRunId() != null) {
                out.printf("part of      %s%n", i.parentRunId());
            }
            if (i.snapshotId() != null) {
                var s = r.snapshots().get(i.snapshotId());
                out.printf("dataset      snapshot %d: %s%n", s.id(), s.describe());
                out.printf("origin       %s%n", s.origin().describe());
            }
            out.println("params");
            run.params().forEach((k, v) -> out.printf("  %-28s %s%n", k, v));
            out.println("metrics");
            for (Metric m : run.metrics()) {
                out.printf("  %-28s %s%s%n", m.key(), m.value(), m.step() != 0 ? " (step " + m.step() + ")" : "");
            }
            out.println("tags");
            run.tags().forEach((k, v) -> out.printf("  %-28s %s%n", k, v));
            out.println("artifacts");
            for (RunArtifact a : r.tracking().artifacts(id)) {
                out.printf("  %-28s %,d bytes, sha256 %s%n", a.path(), a.size(), a.sha256());
            }
            List<Run> children = r.tracking().children(id);
            if (!children.isEmpty()) {
                out.println("runs within it");
                children.forEach(c -> out.printf("  %s %-22s AUC %s AP %s%n", c.info().id(), c.info().name(),
                        fig(c.metric("auc_roc")), fig(c.metric("average_precision"))));
            }
        }
    }

    static String fig(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
