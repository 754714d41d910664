package io.riskloop.stream.notify;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the alert dispatcher did, per notifier; read by tests and, later, the metrics endpoint. */
public final class AlertMetrics {

    private final LongAdder received = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder pauses = new LongAdder();
    private final Map<String, Counters> byNotifier;

    private record Counters(LongAdder delivered, LongAdder retried, LongAdder deadLettered) {
        Counters() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    AlertMetrics(Collection<String> notifiers) {
        Map<String, Counters> m = new TreeMap<>();
        notifiers.forEach(n -> m.put(n, new Counters()));
        this.byNotifier = Map.copyOf(m);
    }

    /**
     * Publishes the counters as {@code riskloop.alerts.received}, {@code .unreadable} and, per notifier,
     * {@code .delivered}, {@code .retried}, {@code .dead.lettered}.
     */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("riskloop.alerts.received", received, LongAdder::sum)
                .description("Records read from the alerts topic").register(registry);
        FunctionCounter.builder("riskloop.alerts.unreadable", unreadable, LongAdder::sum)
                .description("Records of the alerts topic that were not alerts").register(registry);
        byNotifier.forEach((name, c) -> {
            FunctionCounter.builder("riskloop.alerts.delivered", c.delivered, LongAdder::sum)
                    .description("Alerts delivered").tag("notifier", name).register(registry);
            FunctionCounter.builder("riskloop.alerts.retried", c.retried, LongAdder::sum)
                    .description("Delivery attempts after the first").tag("notifier", name).register(registry);
            FunctionCounter.builder("riskloop.alerts.dead.lettered", c.deadLettered, LongAdder::sum)
                    .description("Alerts a notifier gave up on, sent to the alert dead-letter topic")
                    .tag("notifier", name).register(registry);
        });
    }

    void countReceived() {
        received.increment();
    }

    void countUnreadable() {
        unreadable.increment();
    }

    void countPause() {
        pauses.increment();
    }

    void countDelivered(String notifier) {
        counters(notifier).delivered.increment();
    }

    void countRetry(String notifier) {
        counters(notifier).retried.increment();
    }

    void countDeadLetter(String notifier) {
        counters(notifier).deadLettered.increment();
    }

    /** Records read from the {@code alerts} topic. */
    public long received() {
        return received.sum();
    }

    /** Records of the {@code alerts} topic that were not alerts (dead-lettered with cause {@code unreadable}). */
    public long unreadable() {
        return unreadable.sum();
    }

    /** How many times a full notifier queue paused the consumer. */
    public long backPressurePauses() {
        return pauses.sum();
    }

    /** Alerts {@code notifier} delivered. */
    public long delivered(String notifier) {
        return counters(notifier).delivered.sum();
    }

    /** Attempts after the first that {@code notifier} made, over all alerts. */
    public long retried(String notifier) {
        return counters(notifier).retried.sum();
    }

    /** Alerts {@code notifier} sent to the dead-letter topic. */
    public long deadLettered(String notifier) {
        return counters(notifier).deadLettered.sum();
    }

    private Counters counters(String notifier) {
        Counters c = byNotifier.get(notifier);
        if (c == null) {
            throw new IllegalArgumentException("no notifier '" + notifier + "'; the notifiers are "
                    + byNotifier.keySet());
        }
        return c;
    }
}
