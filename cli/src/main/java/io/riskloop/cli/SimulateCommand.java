package io.riskloop.cli;

import io.riskloop.core.dataset.NativeCsvWriter;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.SimulationSummary;
import io.riskloop.core.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulates card transactions with fraud (the handbook's simulator, all three scenarios) and"
                + " writes them as native CSV.",
                "Defaults are the handbook's reference run. Same seed and parameters give byte-identical output.",
                "The parameters are kept beside the file (<out>.simulation.json): models trained on it trace back to"
                        + " them."})
final class SimulateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--customers", defaultValue = "" + SimulationConfig.DEFAULT_CUSTOMERS,
            description = "Number of customers (cards), default ${DEFAULT-VALUE}.")
    int customers;

    @Option(names = "--terminals", defaultValue = "" + SimulationConfig.DEFAULT_TERMINALS,
            description = "Number of terminals, default ${DEFAULT-VALUE}.")
    int terminals;

    @Option(names = "--days", defaultValue = "" + SimulationConfig.DEFAULT_DAYS,
            description = "Number of days, default ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--start-date", defaultValue = "2018-04-01", description = "First day (UTC), default ${DEFAULT-VALUE}.")
    LocalDate startDate;

    @Option(names = "--radius", defaultValue = "" + SimulationConfig.DEFAULT_RADIUS,
            description = "A customer uses the terminals closer than this on the 100 x 100 grid, default ${DEFAULT-VALUE}.")
    double radius;

    @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED, description = "Random seed, default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "data/transactions.csv", description = "Output CSV file, default ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--drift-from-day", defaultValue = "-1",
            description = "Day (0-based) from which the drift options apply; off by default.")
    int driftFromDay;

    @Option(names = "--drift-amount-scale", defaultValue = "1.0",
            description = "From the drift day on, multiply every customer's amounts by this, default ${DEFAULT-VALUE}.")
    double driftAmountScale;

    @Option(names = "--drift-card-testing", defaultValue = "0",
            description = "From the drift day on, this many bursts per day of small card-testing transactions on new"
                    + " terminals (fraud scenario 4), default ${DEFAULT-VALUE}.")
    int driftCardTesting;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        DriftConfig drift = driftFromDay < 0 ? DriftConfig.NONE
                : new DriftConfig(driftFromDay, driftAmountScale, driftCardTesting);
        if (driftFromDay < 0 && (driftAmountScale != 1.0 || driftCardTesting != 0)) {
            throw new IllegalArgumentException("--drift-amount-scale and --drift-card-testing need --drift-from-day");
        }
        SimulationConfig config = new SimulationConfig(customers, terminals, days, startDate, radius, seed, drift);
        Progress progress = Progress.onTerminal();
        long t0 = System.nanoTime();
        SimulationSummary summary;
        try (NativeCsvWriter w = new NativeCsvWriter(out)) {
            summary = new Simulator(config).run(
                    tx -> w.writeRow(tx.id(), tx.epochSecond(), tx.customer(), tx.terminal(), tx.amountCents(),
                            tx.scenario()),
                    (d, n, t) -> progress.update("simulating day " + d + "/" + n, d, n));
        }
        progress.done();
        // the parameters beside the file, so that models trained on it trace back to this simulation
        io.riskloop.registry.snapshot.SimulationSidecar.of(config, out).write(out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        stdout.printf("wrote %s in %.1f s%n", out, seconds);
        stdout.print(summary.describe());
        if (config.equals(SimulationConfig.book().withSeed(seed))) {
            stdout.printf("handbook run      1,754,155 transactions, 14,681 frauds (0.837 %%); scenarios 973 / 9,077 / 4,631%n");
        }
        return 0;
    }
}
