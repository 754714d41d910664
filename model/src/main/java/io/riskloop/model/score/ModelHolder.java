package io.riskloop.model.score;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the model in service (the champion) and swaps it under load. A call takes the current model once and
 * uses it to the end, so a batch is never scored by two models; a swap never blocks or fails a call. A model
 * that holds native resources ({@link AutoCloseable}, e.g. ONNX) is closed when the last call still using it
 * has finished.
 */
public final class ModelHolder implements AutoCloseable {

    /** The model and the number of calls using it, plus one for the holder while it is current. */
    private static final class Slot {
        final ScoringModel model;
        final AtomicInteger refs = new AtomicInteger(1);

        Slot(ScoringModel model) {
            this.model = model;
        }

        boolean retain() {
            for (;;) {
                int r = refs.get();
                if (r == 0) {
                    return false; // retired and drained: take the new current one
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0 && model instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the retired model " + model.info().version()
                            + " failed", e);
                }
            }
        }
    }

    /** A model taken for a sequence of calls; close it when done. */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private boolean closed;

        private Lease(Slot slot) {
            this.slot = slot;
        }

        public ScoringModel model() {
            return slot.model;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                slot.release();
            }
        }
    }

    private final AtomicReference<Slot> current;

    public ModelHolder(ScoringModel initial) {
        this.current = new AtomicReference<>(new Slot(Objects.requireNonNull(initial, "initial model")));
    }

    private Slot retain() {
        for (;;) {
            Slot s = current.get();
            if (s.retain()) {
                return s;
            }
        }
    }

    /** The model in service now (for reading its identity; score through the holder or a lease). */
    public ModelInfo info() {
        return current.get().model.info();
    }

    /** Takes the current model for several calls. */
    public Lease acquire() {
        return new Lease(retain());
    }

    /** Scores one row with the current model. */
    public double score(float[] row) {
        Slot s = retain();
        try {
            return s.model.score(row);
        } finally {
            s.release();
        }
    }

    /** Scores a batch, all rows with one model, and returns that model's identity. */
    public ModelInfo scoreBatch(float[] values, int rows, double[] out) {
        Slot s = retain();
        try {
            s.model.scoreBatch(values, rows, out);
            return s.model.info();
        } finally {
            s.release();
        }
    }

    /** Puts {@code next} in service; calls already running finish on the previous model. Returns its identity. */
    public ModelInfo swap(ScoringModel next) {
        Slot previous = current.getAndSet(new Slot(Objects.requireNonNull(next, "next model")));
        previous.release();
        return previous.model.info();
    }

    @Override
    public void close() {
        current.get().release();
    }
}
