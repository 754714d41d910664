package io.riskloop.cli;

import io.riskloop.model.TrainedModel;
import io.riskloop.registry.Registry;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.Lineage;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.registry.models.VersionDiff;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.tracking.RunArtifact;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.store.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The model registry: registered models, their versions and aliases (champion, challenger or any"
                + " name). Every alias move is recorded with who, when and why, and written to the audit log."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Promote.class,
                ModelsCommand.Rollback.class, ModelsCommand.History.class, ModelsCommand.Diff.class,
                ModelsCommand.LineageCommand.class, ModelsCommand.Export.class})
final class ModelsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A version as the user names it: a number, or @alias. */
    static ModelVersion resolve(Registry r, String model, String ref) {
        if (ref.startsWith("@")) {
            return r.models().versionByAlias(model, ref.substring(1));
        }
        try {
            return r.models().version(model, Integer.parseInt(ref.startsWith("v") ? ref.substring(1) : ref));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + ref + "' names no version: give a number (3) or an alias (@champion)");
        }
    }

    /** Writes each alias move to the audit log, by the move's actor, in the transaction that makes it. */
    static ModelRegistry.MoveRecorder audited(Registry r) {
        return AliasChanges.audited(new AuditLog(r.database(), Clock.systemUTC()));
    }

    static String fig(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    abstract static class Sub implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() throws Exception {
            try (StoreOptions.OpenRegistry open = store.open()) {
                run(open.registry(), spec.commandLine().getOut());
            }
            return 0;
        }

        abstract void run(Registry r, PrintWriter out) throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the registered models.")
    static final class ListModels extends Sub {
        @Override
        void run(Registry r, PrintWriter out) {
            List<RegisteredModel> models = r.models().searchModels(null, null, 1000, null).items();
            if (models.isEmpty()) {
                out.println("no registered models yet: riskloop train registers one");
                return;
            }
            out.printf("%-24s %-8s %-9s %-11s %s%n", "model", "latest", "champion", "challenger", "updated");
            for (RegisteredModel m : models) {
                out.printf("%-24s %-8s %-9s %-11s %s%n", m.name(), m.latestVersion() == null ? "-" : "v" + m.latestVersion(),
                        alias(m, ModelRegistry.CHAMPION), alias(m, ModelRegistry.CHALLENGER), m.updatedAt());
            }
        }

        private static String alias(RegisteredModel m, String a) {
            Integer v = m.aliases().get(a);
            return v == null ? "-" : "v" + v;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a model: its aliases, its versions with their runs and metrics, its latest alias moves.")
    static final class Show extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Override
        void run(Registry r, PrintWriter out) {
            RegisteredModel m = r.models().model(model);
            out.printf("model        %s%s%n", m.name(), m.description().isEmpty() ? "" : " - " + m.description());
            out.printf("created      %s by %s%n", m.createdAt(), m.createdBy());
            out.printf("aliases      %s%n", m.aliases().isEmpty() ? "none" : m.aliases().entrySet().stream()
                    .map(e -> e.getKey() + " -> v" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse(""));
            if (!m.tags().isEmpty()) {
                out.printf("tags         %s%n", m.tags());
            }
            out.println();
            out.printf("%-8s %-24s %-10s %-32s %-8s %-8s %-8s %s%n", "version", "created", "by", "run", "AUC", "AP",
                    "CP@100", "aliases");
            for (ModelVersion v : r.models().versions(model)) {
                out.printf("%-8s %-24s %-10s %-32s %-8s %-8s %-8s %s%n", "v" + v.version(), v.createdAt(),
                        v.createdBy(), v.runId() == null ? "-" : v.runId(), fig(v.metrics(), "auc_roc"),
                        fig(v.metrics(), "average_precision"), fig(v.metrics(), "card_precision_at_100"),
                        String.join(",", v.aliases()));
            }
            List<AliasMove> moves = r.models().history(model, null);
            if (!moves.isEmpty()) {
                out.println();
                out.println("latest alias moves (riskloop models history " + model + " for all):");
                moves.stream().limit(5).forEach(x -> out.printf("  %s  %-40s by %s: %s%n", x.movedAt(), x.describe(),
                        x.actor(), x.reason()));
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Points an alias (default: champion) at a version, recording who and why.",
                    "Concurrent promotions are applied one after the other; none is lost."})
    static final class Promote extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The version: a number, or @alias (e.g. @challenger).")
        String version;

        @Option(names = "--alias", defaultValue = ModelRegistry.CHAMPION, description = "The alias to move, default ${DEFAULT-VALUE}.")
        String alias;

        @Option(names = "--reason", required = true, description = "Why, recorded with the move.")
        String reason;

        @Mixin
        ActorOption actor;

        @Override
        void run(Registry r, PrintWriter out) {
            requireReason(reason);
            ModelVersion v = resolve(r, model, version);
            r.models().setAlias(model, alias, v.version(), actor.actor(), reason, audited(r)).ifPresentOrElse(
                    m -> out.printf("%s: %s, by %s (%s)%n", model, m.describe(), m.actor(), m.reason()),
                    () -> out.printf("%s: %s already points at v%d; nothing recorded%n", model, alias, v.version()));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Points an alias (default: champion) back at the version it pointed at before, and records"
                    + " that. Repeated rollbacks go further back.")
    static final class Rollback extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Option(names = "--alias", defaultValue = ModelRegistry.CHAMPION, description = "The alias, default ${DEFAULT-VALUE}.")
        String alias;

        @Option(names = "--reason", required = true, description = "Why, recorded with the rollback.")
        String reason;

        @Mixin
        ActorOption actor;

        @Override
        void run(Registry r, PrintWriter out) {
            requireReason(reason);
            AliasMove m = r.models().rollback(model, alias, actor.actor(), reason, audited(r));
            out.printf("%s: %s, by %s (%s)%n", model, m.describe(), m.actor(), m.reason());
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every alias move of a model, newest first.")
    static final class History extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Option(names = "--alias", description = "Only this alias.")
        String alias;

        @Override
        void run(Registry r, PrintWriter out) {
            List<AliasMove> moves = r.models().history(model, alias);
            if (moves.isEmpty()) {
                out.println(model + ": no alias moves yet");
            }
            out.printf("%-24s %-10s %-4s %-40s %-12s %s%n", "when", "alias", "seq", "move", "by", "why");
            for (AliasMove m : moves) {
                out.printf("%-24s %-10s %-4d %-40s %-12s %s%n", m.movedAt(), m.alias(), m.seq(), m.describe(), m.actor(),
                        m.reason());
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compares two versions: training parameters, features, data, metrics.")
    static final class Diff extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "A", description = "A version: a number or @alias.")
        String a;

        @Parameters(index = "2", paramLabel = "B", description = "Another version: a number or @alias.")
        String b;

        @Option(names = "--all", description = "Also show what is equal.")
        boolean all;

        @Override
        void run(Registry r, PrintWriter out) {
            int va = resolve(r, model, a).version();
            int vb = resolve(r, model, b).version();
            VersionDiff d = r.models().diff(model, va, vb);
            out.printf("  %-28s %-40s %s%n", "", "v" + va, "v" + vb);
            for (VersionDiff.Row row : all ? d.rows() : d.differences()) {
                out.printf("%s %-28s %-40s %s%n", row.differs() ? "*" : " ", row.property(), cut(row.a()), cut(row.b()));
            }
            if (!all) {
                out.printf("(%d of %d properties differ; --all shows every one)%n", d.differences().size(), d.rows().size());
            }
        }

        private static String cut(String s) {
            return s == null ? "-" : s.length() > 40 ? s.substring(0, 37) + "..." : s;
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = {"Where a version came from: its run, the run's dataset snapshot, and the snapshot's origin"
                    + " (simulator parameters or imported file).",
                "With --transaction, starts from a stored decision: the version that decided it, then the same chain."})
    static final class LineageCommand extends Sub {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "A number or @alias.")
        String version;

        @Option(names = "--transaction", paramLabel = "ID",
                description = "A decided transaction's id instead of MODEL VERSION.")
        String transaction;

        @Override
        void run(Registry r, PrintWriter out) {
            ModelVersion decided;
            if (transaction != null) {
                if (model != null) {
                    throw new IllegalArgumentException("give MODEL VERSION or --transaction, not both");
                }
                var d = new io.riskloop.store.decisions.DecisionStore(r.database(), java.time.Clock.systemUTC())
                        .find(transaction).orElseThrow(() -> new IllegalArgumentException("no decision is stored for"
                                + " transaction '" + transaction + "'"));
                String label = d.decision().modelVersion();
                var named = io.riskloop.registry.serving.ServingModelLoader.parseLabel(label)
                        .orElseThrow(() -> new IllegalArgumentException("transaction '" + transaction + "' was decided"
                                + " by '" + label + "', which is not a registered version (a model loaded from a file)"));
                decided = r.models().version(named.model(), named.version());
                out.printf("transaction    %s decided %s (score %.4f) at %s by %s%n", transaction,
                        d.decision().decision(), d.decision().score(), d.decision().decidedAt(), label);
            } else if (model == null || version == null) {
                throw new IllegalArgumentException("give MODEL VERSION (e.g. fraud @champion) or --transaction ID");
            } else {
                decided = resolve(r, model, version);
            }
            Lineage l = r.models().lineage(decided.id());
            ModelVersion v = l.version();
            out.printf("model version  %s (id %d), registered %s by %s%s%n", v.label(), v.id(), v.createdAt(),
                    v.createdBy(), v.aliases().isEmpty() ? "" : "; aliases: " + String.join(", ", v.aliases()));
            out.printf("  source       %s%n", v.source());
            if (v.featureSchemaHash() != null) {
                out.printf("  features     %s v%d, schema hash %s%n", v.manifest().featureSet(),
                        v.manifest().featureSetVersion(), v.featureSchemaHash());
            }
            if (l.run() == null) {
                out.println("run            unknown: the version was registered without a run");
            } else {
                var i = l.run().info();
                out.printf("run            %s \"%s\" in experiment %s, %s, %s .. %s%n", i.id(), i.name(),
                        l.experiment().name(), i.status(), i.startTime(), i.endTime() == null ? "" : i.endTime());
                out.printf("  by           %s, code %s%n", i.userId(), i.codeVersion() == null ? "unknown" : i.codeVersion());
                out.printf("  params       %s%n", new java.util.TreeMap<>(l.run().params()));
            }
            if (l.snapshot() == null) {
                out.println("dataset        unknown: no snapshot was recorded");
            } else {
                out.printf("dataset        snapshot %d: %s%n", l.snapshot().id(), l.snapshot().describe());
                out.printf("origin         %s%n", l.snapshot().origin().describe());
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes a version's model files (model.json, manifest.json) to a directory, checked against"
                    + " their hashes and loadable by riskloop.")
    static final class Export extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A number or @alias.")
        String version;

        @Option(names = "--out", required = true, description = "Directory to write to.")
        Path out;

        @Override
        void run(Registry r, PrintWriter w) {
            ModelVersion v = resolve(r, model, version);
            if (v.runId() == null || !v.source().equals("runs:/" + v.runId() + "/" + ActiveRun.MODEL_DIR)) {
                throw new IllegalArgumentException(v.label() + " was registered with source " + v.source()
                        + "; riskloop holds only the files of the versions its own runs registered");
            }
            for (String f : new String[] {TrainedModel.MODEL_FILE, TrainedModel.MANIFEST_FILE}) {
                RunArtifact a = r.tracking().artifact(v.runId(), ActiveRun.MODEL_DIR + "/" + f);
                r.artifacts().copyTo(a.sha256(), out.resolve(f));
            }
            try (TrainedModel m = TrainedModel.load(out)) {
                w.printf("%s written to %s (%s, %d features)%n", v.label(), out, m.manifest().algorithm().cliName(),
                        m.manifest().featureNames().size());
            }
        }
    }

    static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw RegistryException.invalid("reason", "--reason must say why: it is recorded with the move");
        }
    }
}
