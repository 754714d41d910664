package io.riskloop.stream.notify;

import io.riskloop.stream.notify.AlertDeadLetter.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** Carries one alert (or notice) to one notifier: attempts, waits between them by the retry policy, and says how it ended. */
final class Courier {

    private static final Logger LOG = LoggerFactory.getLogger(Courier.class);

    /** How delivering one alert ended. */
    sealed interface Outcome permits Delivered, GaveUp {
        int attempts();
    }

    record Delivered(int attempts) implements Outcome {
    }

    /**
     * @param lastStatus the last HTTP status or SMTP reply code, or null
     * @param lastError  the last error, or null
     */
    record GaveUp(int attempts, Cause cause, String reason, Integer lastStatus, String lastError) implements Outcome {
    }

    private final Notifier notifier;
    private final RetryPolicy policy;
    private final RandomGenerator random;
    private final Runnable onRetry;

    /** @param onRetry told before each attempt after the first */
    Courier(Notifier notifier, RandomGenerator random, Runnable onRetry) {
        this.notifier = notifier;
        this.policy = notifier.retryPolicy();
        this.random = random;
        this.onRetry = onRetry;
    }

    /**
     * Delivers {@code alert}, retrying as the policy allows.
     *
     * @param stop counted down to give up waiting between attempts (shutdown)
     * @throws InterruptedException when the thread is interrupted
     */
    Outcome deliver(Alert alert, String deliveryId, CountDownLatch stop) throws InterruptedException {
        return deliver(n -> notifier.send(alert, deliveryId, n), "alert " + alert.transactionId(), deliveryId, stop);
    }

    /** Delivers {@code notice}, retrying as the policy allows. */
    Outcome deliver(Notice notice, CountDownLatch stop) throws InterruptedException {
        return deliver(n -> notifier.send(notice, n), "notice " + notice.kind(), notice.id(), stop);
    }

    /** One attempt, numbered from 1. */
    private interface Try {
        Attempt attempt(int n) throws InterruptedException;
    }

    private Outcome deliver(Try send, String what, String deliveryId, CountDownLatch stop) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Attempt result;
            try {
                result = send.attempt(attempt);
            } catch (RuntimeException e) {
                LOG.error("notifier '{}' failed on attempt {} of {} (delivery {}); giving it up",
                        notifier.name(), attempt, what, deliveryId, e);
                return new GaveUp(attempt, Cause.NOTIFIER_FAILED, "the notifier failed: " + e, null, e.toString());
            }
            if (result instanceof Attempt.Delivered) {
                return new Delivered(attempt);
            }
            Attempt.Failed f = (Attempt.Failed) result;
            if (!f.retryable()) {
                return gaveUp(attempt, Cause.REJECTED, "not retried: " + f.error(), f);
            }
            if (attempt >= policy.maxAttempts()) {
                return gaveUp(attempt, Cause.RETRIES_EXHAUSTED, "gave up after " + attempt + " attempt"
                        + (attempt == 1 ? "" : "s") + "; the last: " + f.error(), f);
            }
            Duration wait = policy.delay(attempt, random);
            if (f.retryAfter() != null) {
                if (f.retryAfter().compareTo(policy.maxDelay()) > 0) {
                    return gaveUp(attempt, Cause.RETRY_AFTER_TOO_LONG, "the receiver asked to wait "
                            + f.retryAfter().toSeconds() + " s (Retry-After), longer than the longest wait of "
                            + policy.maxDelay().toMillis() + " ms (retry maxDelay); the last: " + f.error(), f);
                }
                wait = wait.compareTo(f.retryAfter()) >= 0 ? wait : f.retryAfter();
            }
            if (stop.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return gaveUp(attempt, Cause.SHUTDOWN, "shut down while retrying, after " + attempt + " attempt"
                        + (attempt == 1 ? "" : "s") + "; the last: " + f.error(), f);
            }
            onRetry.run();
        }
    }

    private static GaveUp gaveUp(int attempts, Cause cause, String reason, Attempt.Failed last) {
        return new GaveUp(attempts, cause, reason, last.status(), last.error());
    }
}
