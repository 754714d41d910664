package io.riskloop.stream.notify;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a notifier tries one alert before it goes to the dead-letter topic. The wait before
 * retry {@code n} (n = 1 after the first failed attempt) is {@code min(maxDelay, initialDelay * multiplier^(n-1))},
 * shortened by a random fraction of up to {@code jitter} so that notifiers restarted together do not retry in step.
 *
 * @param maxAttempts  attempts in all, the first included (1 to 100; default 6)
 * @param initialDelay wait before the first retry (default 1 s)
 * @param maxDelay     the longest wait between attempts, and the longest {@code Retry-After} riskloop honours
 *                     (default 30 s)
 * @param multiplier   growth of the wait from one retry to the next (at least 1; default 2)
 * @param jitter       the largest fraction taken off a wait at random (0 to 1; default 0.5)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.5);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("retry maxAttempts must be between 1 and 100, was " + maxAttempts);
        }
        if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("retry initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry maxDelay (" + maxDelay + ") must be at least initialDelay ("
                    + initialDelay + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry multiplier must be a number of at least 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("retry jitter must be between 0 and 1, was " + jitter);
        }
    }

    /** A single attempt: failures go to the dead-letter topic at once. */
    public static RetryPolicy never() {
        return new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialDelay, maxDelay, multiplier, jitter);
    }

    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter);
    }

    /**
     * The wait before retry {@code retry} (1 for the first retry).
     *
     * @param random the source of the jitter
     */
    public Duration delay(int retry, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1, was " + retry);
        }
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
        double capped = Math.min(nanos, maxDelay.toNanos());
        double shortened = capped * (1.0 - jitter * random.nextDouble());
        return Duration.ofNanos(Math.max(1L, (long) shortened));
    }
}
