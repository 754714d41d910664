package io.riskloop.stream.notify;

import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One notifier's bounded queue and the worker thread that empties it, one alert at a time, in the order the
 * dispatcher handed them over. Every alert taken ends delivered or dead-lettered (and is then marked done), or, if
 * even the dead-letter topic cannot be written at shutdown, stays unfinished so that its offset is not committed.
 */
final class NotifierLane {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierLane.class);
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    private final Notifier notifier;
    private final BlockingQueue<PendingAlert> queue;
    private final Courier courier;
    private final AlertDeadLetters deadLetters;
    private final AlertMetrics metrics;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread worker;

    NotifierLane(Notifier notifier, int capacity, RandomGenerator random, AlertDeadLetters deadLetters,
                 AlertMetrics metrics) {
        this.notifier = notifier;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.courier = new Courier(notifier, random, () -> metrics.countRetry(notifier.name()));
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.worker = new Thread(this::run, "riskloop-notifier-" + notifier.name());
    }

    String name() {
        return notifier.name();
    }

    void start() {
        worker.start();
    }

    /** Queues {@code p} if there is room; never blocks. */
    boolean offer(PendingAlert p) {
        return queue.offer(p);
    }

    /** Drops queued alerts (of partitions this instance no longer owns: their new owner delivers them). */
    void discard(Predicate<PendingAlert> which) {
        queue.removeIf(which);
    }

    /**
     * Stops the worker: the alert in hand gets its current attempt, then is dead-lettered if not delivered;
     * the queued ones are dead-lettered without an attempt.
     */
    void stop() {
        stop.countDown();
    }

    boolean join(Duration timeout) throws InterruptedException {
        return worker.join(timeout);
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void run() {
        try {
            while (true) {
                PendingAlert p = queue.poll(50, TimeUnit.MILLISECONDS);
                if (p == null) {
                    if (stopping()) {
                        return;
                    }
                    continue;
                }
                handle(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("notifier '{}' interrupted; {} queued alerts stay uncommitted and will be delivered again",
                    notifier.name(), queue.size());
        }
    }

    private void handle(PendingAlert p) throws InterruptedException {
        String deliveryId = p.alert.deliveryId(notifier.name());
        if (stopping()) {
            deadLetter(p, deliveryId, 0, Cause.SHUTDOWN, "not attempted: the dispatcher shut down first", null, null);
            return;
        }
        Courier.Outcome outcome = courier.deliver(p.alert, deliveryId, stop);
        switch (outcome) {
            case Courier.Delivered d -> {
                metrics.countDelivered(notifier.name());
                p.done();
            }
            case Courier.GaveUp g -> {
                LOG.warn("notifier '{}' gave up on alert {} (delivery {}): {}", notifier.name(), p, deliveryId,
                        g.reason());
                deadLetter(p, deliveryId, g.attempts(), g.cause(), g.reason(), g.lastStatus(), g.lastError());
            }
        }
    }

    /** Writes the dead letter, trying again until it is written; at shutdown, one try. */
    private void deadLetter(PendingAlert p, String deliveryId, int attempts, Cause cause, String reason,
                            Integer lastStatus, String lastError) throws InterruptedException {
        while (true) {
            try {
                deadLetters.write(p, notifier.name(), cause, reason, attempts, lastStatus, lastError, deliveryId);
                metrics.countDeadLetter(notifier.name());
                p.done();
                return;
            } catch (IllegalStateException e) {
                if (stopping()) {
                    LOG.error("alert {} stays uncommitted and will be delivered again after a restart: {}", p,
                            e.getMessage(), e);
                    return;
                }
                LOG.error("{}; trying again in {} ms (the notifier's queue waits meanwhile)", e.getMessage(),
                        DEAD_LETTER_RETRY.toMillis(), e);
                stop.await(DEAD_LETTER_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
