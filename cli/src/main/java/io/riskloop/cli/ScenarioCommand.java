package io.riskloop.cli;

import io.riskloop.model.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = "Runs end-to-end scenarios of the closed loop on embedded parts.",
        subcommands = {ScenarioCommand.Drift.class})
final class ScenarioCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = {"A simulated world whose fraud changes mid-stream (card-testing bursts on new terminals,"
                    + " customers spending more) replayed through the real pipeline, the embedded broker and"
                    + " PostgreSQL, with chargebacks after a delay and the monitoring loop running every 12 simulated"
                    + " hours: drift is detected, retraining triggers, the challenger is shadowed, passes its gates and"
                    + " is promoted, and accuracy on the new pattern recovers.",
                    "Prints each step of the loop; --json writes the steps and the accuracy before the drift, after it"
                            + " and after the promotion."})
    static final class Drift implements Callable<Integer> {

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Also write the steps and metrics as JSON to this file.")
        Path json;

        @Option(names = "--dir", defaultValue = "data/scenario-drift",
                description = "Working directory (database, broker, models), emptied first; default ${DEFAULT-VALUE}.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            clear(dir);
            DriftScenario.Result r = new DriftScenario(DriftScenario.Settings.small(), dir, out).run();
            if (json != null) {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), r.toJson());
                out.println("steps and metrics written to " + json);
            }
            return 0;
        }

        private static void clear(Path dir) throws IOException {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        }
    }
}
