package io.riskloop.stream.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers {@link Notice}s (monitoring alerts) through the notifiers, each notice to each notifier on a virtual thread
 * of its own, retried by the notifier's {@link RetryPolicy} in the same loop as transaction alerts ({@link Courier}). A notice that still fails is logged and counted in
 * {@code riskloop.notices.failed{notifier}}; it is not lost, as whoever raised it has stored it (the monitoring loop's
 * events). Notices are rare (a few a day), so there is no queue to bound.
 */
public final class NoticeSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeSender.class);

    private final List<Notifier> notifiers;
    private final MeterRegistry meters;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SplittableRandom random;
    private final CountDownLatch stop = new CountDownLatch(1);

    public NoticeSender(List<? extends Notifier> notifiers, MeterRegistry meters, long seed) {
        this.notifiers = List.copyOf(notifiers);
        this.meters = meters;
        this.random = new SplittableRandom(seed);
    }

    /** Sends {@code notice} through every notifier, in the background. */
    public void send(Notice notice) {
        for (Notifier n : notifiers) {
            SplittableRandom r;
            synchronized (random) {
                r = random.split();
            }
            executor.execute(() -> deliver(n, notice, r));
        }
    }

    private void deliver(Notifier n, Notice notice, SplittableRandom r) {
        try {
            Courier.Outcome o = new Courier(n, r, () -> { }).deliver(notice, stop);
            if (o instanceof Courier.GaveUp g) {
                counter("riskloop.notices.failed", n).increment();
                LOG.warn("notice {} ({}) not delivered by {}: {}", notice.id(), notice.kind(), n.name(), g.reason());
            } else {
                counter("riskloop.notices.delivered", n).increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Counter counter(String name, Notifier n) {
        return Counter.builder(name).description("Monitoring notices by notifier and outcome").tag("notifier", n.name())
                .register(meters);
    }

    /** Stops retrying, waits up to a few seconds for attempts in flight, then stops. */
    @Override
    public void close() {
        executor.shutdown();
        stop.countDown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
