package io.riskloop.registry.record;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The version of the code a run executes: RISKLOOP_CODE_VERSION when set (a build can put the commit there),
 * else the git commit of the checkout riskloop runs from (with "-dirty" when tracked files were changed), else
 * null: unknown, and recorded as such rather than guessed.
 */
public final class CodeVersion {

    public static final String ENVIRONMENT = "RISKLOOP_CODE_VERSION";

    private static volatile String detected;
    private static volatile boolean done;

    private CodeVersion() {
    }

    public static String current() {
        if (!done) {
            synchronized (CodeVersion.class) {
                if (!done) {
                    detected = detect();
                    done = true;
                }
            }
        }
        return detected;
    }

    static String detect() {
        String env = System.getenv(ENVIRONMENT);
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path dir = codeLocation();
        if (dir == null) {
            return null;
        }
        String commit = git(dir, "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return null;
        }
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isBlank() ? commit + "-dirty" : commit;
    }

    /** The directory of riskloop's jar or classes: inside the checkout it was built from, if any. */
    private static Path codeLocation() {
        try {
            var source = CodeVersion.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI());
            return Files.isDirectory(p) ? p : p.getParent();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.to(new File(System.getProperty("os.name").startsWith("Windows")
                            ? "NUL" : "/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null; // no git on this machine: the version stays unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
