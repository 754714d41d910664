package io.riskloop.stream.notify;

import java.time.Duration;

/** What one attempt to deliver an alert came to. A {@link Notifier} answers each attempt with one of these. */
public sealed interface Attempt permits Attempt.Delivered, Attempt.Failed {

    /** The receiver took the alert. */
    record Delivered() implements Attempt {
    }

    /**
     * The alert was not delivered.
     *
     * @param retryable  whether trying again may help (a timeout, a refused connection, HTTP 5xx or 429, SMTP 4xx);
     *                   false when the receiver refused the alert itself (HTTP 4xx, SMTP 5xx, bad credentials)
     * @param status     the receiver's status (HTTP status or SMTP reply code), or null when none came back
     * @param error      what went wrong, for the dead-letter record and the log
     * @param retryAfter how long the receiver asked us to wait ({@code Retry-After}), or null
     */
    record Failed(boolean retryable, Integer status, String error, Duration retryAfter) implements Attempt {

        public Failed {
            if (error == null || error.isBlank()) {
                throw new IllegalArgumentException("a failed attempt needs a description of the error");
            }
        }
    }

    static Attempt delivered() {
        return new Delivered();
    }

    /** A failure worth retrying. */
    static Failed transientFailure(Integer status, String error, Duration retryAfter) {
        return new Failed(true, status, error, retryAfter);
    }

    /** A failure that retrying will not mend. */
    static Failed permanentFailure(Integer status, String error) {
        return new Failed(false, status, error, null);
    }
}
