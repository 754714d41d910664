package io.riskloop.cli;

import io.riskloop.core.dataset.Dataset;
import io.riskloop.core.features.FeatureSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Reads a data file, checks every row, and prints what it holds (layout, rows, frauds, time"
                + " range, content hash, bad rows).")
final class InspectCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Dataset d = data.read(Progress.onTerminal(), out);
        long frauds = d.frauds();
        out.printf("file         %s%n", d.source());
        out.printf("layout       %s (features: %s)%n", d.format().cliName(), FeatureSet.forFormat(d.format()).name());
        out.printf("rows         %,d%n", d.size());
        out.printf("frauds       %,d (%.3f %%)%n", frauds, 100.0 * frauds / d.size());
        out.printf("time range   %s .. %s%n", d.start(), d.end());
        out.printf("sha-256      %s%n", d.sha256());
        out.printf("bad rows     %,d%s%n", d.badRows(), d.rejectsFile() != null ? " (in " + d.rejectsFile() + ")" : "");
        return 0;
    }
}
