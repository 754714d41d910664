package io.riskloop.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a command that trains or evaluates records its runs. */
final class TrackingOptions {

    @Mixin
    StoreOptions store;

    @Mixin
    ActorOption actor;

    @Option(names = "--experiment", description = "Experiment the run is recorded in (created if new), default: the"
            + " command's name.")
    String experiment;

    @Option(names = "--no-track", description = "Record nothing: no run, snapshot or model version (files are still"
            + " written).")
    boolean noTrack;

    String experimentOr(String dflt) {
        return experiment != null ? experiment : dflt;
    }
}
