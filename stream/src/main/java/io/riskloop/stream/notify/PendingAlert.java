package io.riskloop.stream.notify;

import org.apache.kafka.common.TopicPartition;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code alerts} record on its way: done, and its offset committable, once every notifier it is routed to has
 * delivered or dead-lettered it.
 */
final class PendingAlert {

    final TopicPartition partition;
    final long offset;
    final String key;
    final String value;
    /** The alert read from {@link #value}, or null when the record could not be read. */
    final Alert alert;
    private final AtomicInteger remaining;

    PendingAlert(TopicPartition partition, long offset, String key, String value, Alert alert, int notifiers) {
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.alert = alert;
        this.remaining = new AtomicInteger(notifiers);
    }

    /** One notifier is through with it (delivered or dead-lettered). */
    void done() {
        if (remaining.decrementAndGet() < 0) {
            throw new IllegalStateException("alert at " + partition + "@" + offset + " was finished more often than"
                    + " it was routed");
        }
    }

    boolean isDone() {
        return remaining.get() <= 0;
    }

    @Override
    public String toString() {
        return partition + "@" + offset + (alert == null ? "" : " (" + alert.transactionId() + ")");
    }
}
