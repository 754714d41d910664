package io.riskloop.cli;

import java.io.PrintStream;

/**
 * A one-line progress display on the terminal (stderr), redrawn in place. Silent when stderr is not a terminal,
 * so logs and pipes get only the results.
 */
final class Progress {

    private final PrintStream out;
    private final boolean enabled;
    private long lastDraw;
    private int lastLength;

    Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    static Progress onTerminal() {
        return new Progress(System.err, System.console() != null && System.getenv("RISKLOOP_NO_PROGRESS") == null);
    }

    void update(String label, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
        String line = String.format("\r%-28s [%s%s] %3d%%", label, "#".repeat(filled), ".".repeat(width - filled),
                total <= 0 ? 0 : (int) (100 * done / total));
        out.print(line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        out.flush();
    }

    void note(String label, String text) {
        if (!enabled) {
            return;
        }
        String line = "\r" + label + " " + text;
        out.print(line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        out.flush();
    }

    void done() {
        if (enabled && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
