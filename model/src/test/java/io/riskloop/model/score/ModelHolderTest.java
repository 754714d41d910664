package io.riskloop.model.score;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ModelHolderTest {

    /** A model that answers a constant and fails if used after it was closed. */
    static final class ConstantModel implements ScoringModel, AutoCloseable {
        final double value;
        final ModelInfo info;
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger usedAfterClose = new AtomicInteger();

        ConstantModel(double value) {
            this.value = value;
            this.info = new ModelInfo("test", List.of("x"), "v" + value, "h");
        }

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public double score(float[] row) {
            if (closed.get()) {
                usedAfterClose.incrementAndGet();
            }
            return value;
        }

        @Override
        public void scoreBatch(float[] values, int rows, double[] out) {
            for (int r = 0; r < rows; r++) {
                out[r] = score(values);
                Thread.onSpinWait(); // widen the window in which a swap can happen mid-batch
            }
        }

        @Override
        public Explanation explain(float[] row) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void swapsUnderLoadLoseNoCallMixNoBatchAndCloseOnlyDrainedModels() throws Exception {
        List<ConstantModel> models = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            models.add(new ConstantModel(i));
        }
        ModelHolder holder = new ModelHolder(models.getFirst());
        int threads = 3;
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        AtomicLong scored = new AtomicLong();
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                float[] row = {1f};
                double[] out = new double[32];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                while (swapping.get()) {
                    calls.addAndGet(out.length + 1);
                    ModelInfo used = holder.scoreBatch(row, out.length, out);
                    seen.add(used.version());
                    for (double v : out) {
                        if (v != out[0]) {
                            problems.add("batch mixed " + out[0] + " and " + v);
                        }
                    }
                    if (!used.version().equals("v" + out[0])) {
                        problems.add("batch scored by " + out[0] + " but reported " + used.version());
                    }
                    scored.addAndGet(out.length);
                    if (holder.score(row) < 0) {
                        problems.add("negative score");
                    }
                    scored.incrementAndGet();
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (int i = 1; i < models.size(); i++) {
            holder.swap(models.get(i));
            Thread.sleep(1);
        }
        swapping.set(false);
        for (Thread w : workers) {
            w.join();
        }
        assertThat(problems).isEmpty();
        assertThat(scored.get()).as("every call returned a score").isEqualTo(calls.get()).isPositive();
        assertThat(seen).as("the workers ran across many swaps").hasSizeGreaterThan(20);
        // every retired model was closed once its last call ended; none was used after closing
        for (ConstantModel m : models.subList(0, models.size() - 1)) {
            assertThat(m.closed).as(m.info.version()).isTrue();
            assertThat(m.usedAfterClose).hasValue(0);
        }
        assertThat(models.getLast().closed).isFalse();
        holder.close();
        assertThat(models.getLast().closed).isTrue();
    }

    @Test
    void aLeaseKeepsItsModelAcrossASwap() {
        ConstantModel a = new ConstantModel(1);
        ConstantModel b = new ConstantModel(2);
        ModelHolder holder = new ModelHolder(a);
        try (ModelHolder.Lease lease = holder.acquire()) {
            assertThat(holder.swap(b).version()).isEqualTo("v1.0");
            assertThat(a.closed).isFalse();
            assertThat(lease.model().score(new float[] {0})).isEqualTo(1);
            assertThat(holder.score(new float[] {0})).isEqualTo(2);
        }
        assertThat(a.closed).isTrue();
        assertThat(holder.info().version()).isEqualTo("v2.0");
    }
}
