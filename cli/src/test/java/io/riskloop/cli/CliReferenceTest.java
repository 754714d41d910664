package io.riskloop.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/cli.md is the help text of every command, so the reference cannot drift from the declarations.
 * Regenerate with {@code ./mvnw -pl cli test -Dtest=CliReferenceTest -Driskloop.updateDocs=true}.
 */
class CliReferenceTest {

    private static final Path DOC = Path.of("..", "docs", "cli.md");

    static String render() {
        StringBuilder sb = new StringBuilder("""
                # riskloop command-line reference

                Generated from the commands' own help (`riskloop <command> --help`); a test keeps the two equal.
                Exit codes: 0 done, 1 riskloop failed, 2 wrong usage or bad input (the message says what and where).

                """);
        CommandLine root = Main.commandLine();
        // the declared defaults, whatever RISKLOOP_* variables the shell running the test has
        root.getSubcommands().values().stream()
                .filter(c -> c.getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults)
                .forEach(c -> c.setDefaultValueProvider(new EnvironmentDefaults(java.util.Map.of())));
        sb.append("## riskloop\n\n```\n").append(usage(root)).append("```\n");
        sections(root, "riskloop", sb);
        return sb.toString();
    }

    private static void sections(CommandLine parent, String path, StringBuilder sb) {
        for (var e : parent.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String name = path + " " + e.getKey();
            sb.append("\n## ").append(name).append("\n\n```\n").append(usage(e.getValue())).append("```\n");
            sections(e.getValue(), name, sb);
        }
    }

    private static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(false);
        cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    @Test
    void theCliReferenceMatchesTheCommands() throws Exception {
        String expected = render();
        if (Boolean.getBoolean("riskloop.updateDocs")) {
            Files.writeString(DOC, expected);
        }
        assertThat(DOC).as("docs/cli.md is stale: regenerate it (see this test's comment)").exists();
        assertThat(Files.readString(DOC)).isEqualTo(expected);
    }
}
