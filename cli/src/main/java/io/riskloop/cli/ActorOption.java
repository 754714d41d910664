package io.riskloop.cli;

import picocli.CommandLine.Option;

/** Who does what a command records: runs, registrations, alias moves. */
final class ActorOption {

    @Option(names = "--actor", description = "Who is acting, recorded with runs and alias moves; default $USER.")
    String actor;

    String actor() {
        if (actor != null && !actor.isBlank()) {
            return actor.strip();
        }
        String user = System.getenv("USER");
        return user != null && !user.isBlank() ? user : System.getProperty("user.name", "unknown");
    }
}
