package io.riskloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Options' defaults from the environment, for the commands that run as services (in containers, under Kubernetes):
 * {@code --kafka} from {@code RISKLOOP_KAFKA}, {@code --model-name} from {@code RISKLOOP_MODEL_NAME}, every long
 * option by the same rule ({@link #variable}). A command takes part by naming this class as its
 * {@code defaultValueProvider}. The command line still wins; an empty variable counts as unset; without the
 * variable the option's declared default applies. The list is in docs/operations.md, generated from the commands.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    static final String PREFIX = "RISKLOOP_";
    /** The commands' help says so. */
    static final String FOOTER = "Every option can also be set in the environment: --kafka as RISKLOOP_KAFKA,"
            + " --model-name as RISKLOOP_MODEL_NAME, and so on; the command line wins (docs/operations.md).";

    private final Map<String, String> environment;

    /** Reads this process's environment (as picocli instantiates it). */
    EnvironmentDefaults() {
        this(System.getenv());
    }

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The variable that sets an option: {@code --decline-threshold} is {@code RISKLOOP_DECLINE_THRESHOLD}. */
    static String variable(OptionSpec option) {
        return PREFIX + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Whether an option can be set from the environment (all but --help and --version). */
    static boolean configurable(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp();
    }

    /**
     * Where a refused value came from, when it may have come from the environment: "--partitions is set by
     * RISKLOOP_PARTITIONS='abc'".
     */
    static Optional<String> sourceOf(CommandLine.ParameterException e) {
        if (e.getArgSpec() instanceof OptionSpec option
                && e.getCommandLine().getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults env) {
            String value = env.defaultValue(option);
            if (value != null) {
                return Optional.of(option.longestName() + " is set by " + variable(option) + "='" + value + "'"
                        + " unless given on the command line");
            }
        }
        return Optional.empty();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !configurable(option)) {
            return null;
        }
        String value = environment.get(variable(option));
        return value == null || value.isBlank() ? null : value;
    }
}
