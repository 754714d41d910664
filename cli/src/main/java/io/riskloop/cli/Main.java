package io.riskloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code riskloop} command line. */
@Command(name = "riskloop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Real-time card-fraud detection with the whole machine-learning loop.",
        subcommands = {SimulateCommand.class, InspectCommand.class, TrainCommand.class, EvaluateCommand.class,
                DemoCommand.class, ProcessCommand.class, LabelCommand.class, ModelsCommand.class, RunsCommand.class,
                ServeCommand.class, KeysCommand.class, RetrainCommand.class, ScenarioCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failure, 2 wrong usage or bad input. */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } finally {
            // the writers flush on println only; a command may end with print
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(Errors::badUsage);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"riskloop " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
