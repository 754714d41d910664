package io.riskloop.stream;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.model.score.ModelInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the decision pipeline did, counted for the demo's summary and published as Micrometer meters
 * (docs/monitoring.md): {@code riskloop.pipeline.received}, {@code .decisions{decision}},
 * {@code .dead.letters{field}}, {@code .labels.applied}, the {@code .decide} timer (the time the stream thread
 * takes to update the terminal windows, score and decide one transaction) and the {@code .score} distribution.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final LongAdder received = new LongAdder();
    private final LongAdder labels = new LongAdder();
    private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
    private final Map<DecisionType, LongAdder> decisions = new EnumMap<>(DecisionType.class);
    private final Timer decide;
    private final DistributionSummary score;
    private final MultiGauge models;
    private volatile ModelInfo servedChampion;
    private volatile ModelInfo servedChallenger;
    private volatile Instant lastEventTime = Instant.EPOCH;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("riskloop.pipeline.received", received, LongAdder::sum)
                .description("Records read from the transactions topic").register(registry);
        FunctionCounter.builder("riskloop.pipeline.labels.applied", labels, LongAdder::sum)
                .description("Labels applied to the terminal windows").register(registry);
        for (DecisionType d : DecisionType.values()) {
            LongAdder a = new LongAdder();
            decisions.put(d, a);
            FunctionCounter.builder("riskloop.pipeline.decisions", a, LongAdder::sum)
                    .description("Decisions made, by outcome").tag("decision", d.name()).register(registry);
        }
        this.decide = Timer.builder("riskloop.pipeline.decide")
                .description("Time the stream thread takes to update the windows, score and decide one transaction")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100))
                .register(registry);
        this.score = DistributionSummary.builder("riskloop.pipeline.score")
                .description("The champion's fraud scores")
                .serviceLevelObjectives(0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
                .register(registry);
        this.models = MultiGauge.builder("riskloop.model.info")
                .description("The model versions deciding (alias champion) and shadowing (alias challenger): 1 each")
                .register(registry);
    }

    /** Where the meters are registered. */
    public MeterRegistry registry() {
        return registry;
    }

    void countReceived() {
        received.increment();
    }

    void labelApplied() {
        labels.increment();
    }

    void deadLettered(String field) {
        deadLetters.computeIfAbsent(field, f -> {
            LongAdder a = new LongAdder();
            FunctionCounter.builder("riskloop.pipeline.dead.letters", a, LongAdder::sum)
                    .description("Records sent to the dead-letter topic, by the field that was wrong")
                    .tag("field", f).register(registry);
            return a;
        }).increment();
    }

    void decided(DecisionType d, double score, Instant eventTime, long nanos) {
        decisions.get(d).increment();
        this.score.record(score);
        decide.record(nanos, TimeUnit.NANOSECONDS);
        lastEventTime = eventTime;
    }

    /**
     * Called with every decision; republishes {@code riskloop.model.info} when the served versions change. The check
     * is two reads, without a lock: the lock is taken only on a change (a promotion).
     */
    void serving(ModelInfo champion, ModelInfo challenger) {
        if (champion == servedChampion && challenger == servedChallenger) {
            return;
        }
        republish(champion, challenger);
    }

    private synchronized void republish(ModelInfo champion, ModelInfo challenger) {
        if (champion == servedChampion && challenger == servedChallenger) {
            return;
        }
        servedChampion = champion;
        servedChallenger = challenger;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        rows.add(MultiGauge.Row.of(Tags.of("alias", "champion", "model", champion.kind(), "version", champion.version()), 1));
        if (challenger != null) {
            rows.add(MultiGauge.Row.of(Tags.of("alias", "challenger", "model", challenger.kind(),
                    "version", challenger.version()), 1));
        }
        models.register(rows, true);
    }

    public long received() {
        return received.sum();
    }

    public long decided() {
        return decisions.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long decided(DecisionType d) {
        return decisions.get(d).sum();
    }

    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Dead-lettered records by the field that was wrong. */
    public Map<String, Long> deadLettersByField() {
        Map<String, Long> m = new TreeMap<>();
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
