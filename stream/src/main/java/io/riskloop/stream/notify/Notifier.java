package io.riskloop.stream.notify;

/**
 * Delivers alerts somewhere: a webhook, a mailbox. One call is one attempt; the {@link AlertDispatcher} retries by
 * the notifier's {@link RetryPolicy} and dead-letters what cannot be delivered, so an implementation only says what
 * happened. Called from a single thread (the notifier's own worker), one alert at a time.
 */
public interface Notifier extends AutoCloseable {

    /** The name routing and counters use: lower-case letters, digits, '.', '_' or '-'. */
    String name();

    /** How often and how patiently to try each alert. */
    RetryPolicy retryPolicy();

    /**
     * Tries once to deliver {@code alert}. Must not throw for a failed delivery: report it as an {@link Attempt}.
     *
     * @param deliveryId the alert's delivery id for this notifier, the same on every attempt
     * @param attempt    which attempt this is, from 1
     * @throws InterruptedException when the thread is interrupted while waiting for the receiver
     */
    Attempt send(Alert alert, String deliveryId, int attempt) throws InterruptedException;

    /**
     * Tries once to deliver {@code notice} (a monitoring alert). Must not throw for a failed delivery.
     *
     * @throws InterruptedException when the thread is interrupted while waiting for the receiver
     */
    Attempt send(Notice notice, int attempt) throws InterruptedException;

    /** Releases connections and threads. */
    @Override
    default void close() {
    }
}
