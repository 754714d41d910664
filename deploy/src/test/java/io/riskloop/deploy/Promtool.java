package io.riskloop.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker, run on the repository's files. */
final class Promtool {

    record Result(int exit, String output) {
    }

    private Promtool() {
    }

    /** Runs promtool with {@code args} in deploy/prometheus; fails, saying how to install it, when it is missing. */
    static Result run(String... args) throws IOException, InterruptedException {
        Path promtool = find();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DeployFiles.DEPLOY.resolve("prometheus").toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 120 s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not on PATH, so riskloop's Prometheus rules cannot be checked: install"
                + " Debian's prometheus package (apt-get install prometheus), as .ci/run does, or Prometheus's release"
                + " archive, which has promtool beside prometheus");
    }
}
