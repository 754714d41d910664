package io.riskloop.stream.replay;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A simulation as an iterator, produced by a background thread into a bounded queue: memory stays small however
 * long the simulated history, and the consumer sets the pace.
 */
public final class SimulationStream implements Iterator<LabeledTransaction>, AutoCloseable {

    private static final LabeledTransaction END = new LabeledTransaction(
            new io.riskloop.core.domain.Transaction("end", java.time.Instant.EPOCH, "-", "-", 0), false, 0);

    private final BlockingQueue<LabeledTransaction> queue = new ArrayBlockingQueue<>(10_000);
    private final Thread thread;
    private LabeledTransaction next;

    /** Starts simulating; the first {@code skip} transactions are left out (they were replayed before). */
    public SimulationStream(SimulationConfig config, long skip) {
        thread = new Thread(() -> {
            long[] seen = {0};
            try {
                new Simulator(config).run(t -> {
                    if (seen[0]++ >= skip) {
                        try {
                            queue.put(t.toLabeled());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("stopped");
                        }
                    }
                }, Simulator.Progress.NONE);
            } catch (IllegalStateException stopped) {
                return;
            }
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "riskloop-simulation");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return next != END;
    }

    @Override
    public LabeledTransaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LabeledTransaction t = next;
        next = null;
        return t;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
