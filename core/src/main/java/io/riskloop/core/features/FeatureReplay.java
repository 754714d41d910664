package io.riskloop.core.features;

import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.LabeledTransaction;

import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Computes training features by replaying history in event-time order through the same {@link FeatureEngine}
 * the stream processor uses. Labels are applied when they become known, before any transaction at or after
 * that instant, so no feature sees a label from its future. Memory: the engine's windowed state plus the labels
 * not yet known, both bounded by windows and delays, not by history.
 */
public final class FeatureReplay {

    /** Called every {@value #PROGRESS_EVERY} rows. */
    @FunctionalInterface
    public interface Progress {
        void rowsDone(int done, int total);

        Progress NONE = (d, t) -> { };
    }

    static final int PROGRESS_EVERY = 100_000;

    private FeatureReplay() {
    }

    /** Replays {@code rows}, which must be sorted by time, into a feature matrix with one row per transaction. */
    public static FeatureMatrix replay(List<LabeledTransaction> rows, FeatureSet set, LabelTiming timing,
                                       Progress progress) {
        FeatureEngine engine = set.newEngine();
        int width = set.size();
        float[] values = new float[Math.multiplyExact(rows.size(), width)];
        double[] out = new double[width];
        PriorityQueue<LabelEvent> pending = new PriorityQueue<>(
                (a, b) -> a.knownAt().compareTo(b.knownAt()));
        Instant previous = Instant.MIN;
        for (int r = 0; r < rows.size(); r++) {
            LabeledTransaction row = rows.get(r);
            Instant t = row.transaction().timestamp();
            if (t.isBefore(previous)) {
                throw new IllegalArgumentException("rows must be sorted by time: row " + r + " (" + t
                        + ") comes after " + previous);
            }
            previous = t;
            while (!pending.isEmpty() && !pending.peek().knownAt().isAfter(t)) {
                engine.label(pending.poll());
            }
            engine.apply(row.transaction(), out);
            int base = r * width;
            for (int j = 0; j < width; j++) {
                values[base + j] = (float) out[j];
            }
            Instant known = timing.knownAt(row);
            if (known != null) {
                pending.add(LabelEvent.of(row.transaction(), row.fraud(), known));
            }
            if ((r + 1) % PROGRESS_EVERY == 0) {
                progress.rowsDone(r + 1, rows.size());
            }
        }
        progress.rowsDone(rows.size(), rows.size());
        return new FeatureMatrix(set.names(), values, rows.size(), rows);
    }
}
