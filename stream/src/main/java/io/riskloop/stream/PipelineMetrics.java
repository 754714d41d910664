package io.riskloop.stream;

import io.riskloop.core.domain.DecisionType;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the pipeline did, read by the demo's summary and, later, the metrics endpoint. */
public final class PipelineMetrics {

    private final LongAdder received = new LongAdder();
    private final LongAdder labels = new LongAdder();
    private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
    private final Map<DecisionType, LongAdder> decisions = new ConcurrentHashMap<>();
    private volatile Instant lastEventTime = Instant.EPOCH;

    void countReceived() {
        received.increment();
    }

    void labelApplied() {
        labels.increment();
    }

    void deadLettered(String field) {
        deadLetters.computeIfAbsent(field, f -> new LongAdder()).increment();
    }

    void decided(DecisionType d, Instant eventTime) {
        decisions.computeIfAbsent(d, x -> new LongAdder()).increment();
        lastEventTime = eventTime;
    }

    public long received() {
        return received.sum();
    }

    public long decided() {
        return decisions.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long decided(DecisionType d) {
        LongAdder a = decisions.get(d);
        return a == null ? 0 : a.sum();
    }

    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Dead-lettered records by the field that was wrong. */
    public Map<String, Long> deadLettersByField() {
        Map<String, Long> m = new java.util.TreeMap<>();
        deadLetters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long labelsApplied() {
        return labels.sum();
    }

    /** Event time of the latest decided transaction. */
    public Instant lastEventTime() {
        return lastEventTime;
    }
}
