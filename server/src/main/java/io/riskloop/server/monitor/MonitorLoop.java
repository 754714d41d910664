package io.riskloop.server.monitor;

import com.cronutils.model.Cron;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.drift.DriftReport;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.serving.ServingModelLoader;
import io.riskloop.server.retrain.Promotion;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.AccuracyWindow;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The closed loop (docs/monitoring.md): on each {@link #tick()} it measures the served versions' accuracy on the
 * latest label-complete window, checks live traffic for drift against the champion's reference profile, evaluates
 * the retraining triggers (schedule, drift, accuracy drop, new labels, a manual request), runs a retraining when one
 * fires and none is in flight, and moves a registered challenger through shadow, promotion and watch. Everything it
 * sees or does is stored as a {@link LoopEvent}, published as a metric, and handed to the alert sink.
 */
public final class MonitorLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorLoop.class);

    private final Registry registry;
    private final DecisionStore decisions;
    private final MonitorStore records;
    private final Retrainer retrainer;
    private final Promotion promotion;
    private final MonitorConfig config;
    private final DriftPolicy driftPolicy;
    private final String modelName;
    private final Clock clock;
    private final AccuracyMonitor accuracy;
    private final DriftMonitor drift;
    private final Consumer<LoopEvent> alerts;
    private final Cron schedule;
    private final MultiGauge averagePrecision;
    private final MultiGauge cardPrecision;
    private final MultiGauge drifted;
    private final MultiGauge driftShare;
    private final MeterRegistry meters;
    private ScheduledExecutorService executor;

    private Instant lastTick;
    private Instant lastRetrain;
    private String accuracyAlerted;
    private String driftAlerted;
    /** When the current champion's traffic first showed the change (drift or accuracy drop), or null. */
    private Instant onset;
    private String onsetVersion;
    private String champion;
    private Instant championSince;
    private volatile String manualRequest;
    private volatile Instant idleUntil = Instant.MIN;
    private OperationalChecks operations;

    /**
     * @param reviewThreshold the pipeline's review threshold (precision and recall are measured there)
     * @param alerts          receives the events that are alerts (drift, accuracy drop, failed retraining, rollback)
     */
    public MonitorLoop(Registry registry, DecisionStore decisions, MonitorStore records, Retrainer retrainer,
                       Promotion promotion, MonitorConfig config, DriftPolicy driftPolicy, String modelName,
                       double reviewThreshold, Clock clock, MeterRegistry meters, Consumer<LoopEvent> alerts) {
        this.registry = registry;
        this.decisions = decisions;
        this.records = records;
        this.retrainer = retrainer;
        this.promotion = promotion;
        this.config = config;
        this.driftPolicy = driftPolicy;
        this.modelName = modelName;
        this.clock = clock;
        this.accuracy = new AccuracyMonitor(decisions, reviewThreshold);
        this.drift = new DriftMonitor(registry, decisions);
        this.alerts = alerts;
        this.schedule = config.schedule() == null ? null : Schedules.parse(config.schedule());
        this.meters = meters;
        this.averagePrecision = MultiGauge.builder("riskloop.accuracy.average.precision")
                .description("Live average precision of a model version on the latest label-complete window")
                .register(meters);
        this.cardPrecision = MultiGauge.builder("riskloop.accuracy.card.precision.at.100")
                .description("Live Card Precision@100 of a model version on the latest label-complete window")
                .register(meters);
        this.drifted = MultiGauge.builder("riskloop.drift.dataset.drifted")
                .description("1 when the latest drift check found dataset drift against the version's reference")
                .register(meters);
        this.driftShare = MultiGauge.builder("riskloop.drift.share")
                .description("Share of features drifted in the latest drift check").register(meters);
    }

    /** The registered model this loop watches. */
    public String modelName() {
        return modelName;
    }

    /**
     * Makes rounds before {@code t} (in the loop's clock) do nothing: for a replay of history, whose first weeks a
     * champion trained on later weeks would see as drift.
     */
    public MonitorLoop idleUntil(Instant t) {
        idleUntil = t;
        return this;
    }

    /** Adds the operational rules (dead-letter spike, consumer lag, notifier failures); closed with the loop. */
    public MonitorLoop withOperations(OperationalChecks checks) {
        this.operations = checks;
        return this;
    }

    /** Asks for a retraining at the next tick; {@code actor} is recorded with it. */
    public void requestRetraining(String actor) {
        manualRequest = actor;
    }

    /** Ticks every {@code every} on a thread of its own until closed. */
    public MonitorLoop start(Duration every) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "riskloop-monitor");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("the monitoring loop's check failed; trying again in {}", every, e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One round of checks and moves at the clock's now; returns the events it recorded. Of several processes on one
     * database, one runs it at a time; the others return no events.
     */
    public synchronized List<LoopEvent> tick() {
        if (clock.instant().isBefore(idleUntil)) {
            return List.of();
        }
        return records.exclusively(this::round).orElse(List.of());
    }

    private List<LoopEvent> round() {
        Instant now = clock.instant();
        List<LoopEvent> events = new ArrayList<>();
        Optional<ModelVersion> champion = champion();
        if (champion.isEmpty()) {
            lastTick = now;
            return List.of();
        }
        if (lastRetrain == null) {
            lastRetrain = now; // the new-labels count and the cool-down start with the loop
        }
        ModelVersion c = champion.get();
        String label = ServingModelLoader.versionLabel(c);
        if (!label.equals(this.champion)) {
            this.champion = label;
            championSince = now;
        }
        List<String> triggers = new ArrayList<>();

        // accuracy on the latest label-complete window
        Instant to = now.minus(retrainer.policy().labelDelay());
        Instant from = to.minus(config.accuracyWindow());
        List<AccuracyWindow> windows = accuracy.measure(from, to, now);
        List<MultiGauge.Row<?>> ap = new ArrayList<>();
        List<MultiGauge.Row<?>> cp = new ArrayList<>();
        for (AccuracyWindow w : windows) {
            records.record(w);
            if (w.averagePrecision() != null) {
                Tags tags = Tags.of("alias", w.alias(), "version", w.modelVersion());
                ap.add(MultiGauge.Row.of(tags, w.averagePrecision()));
                cp.add(MultiGauge.Row.of(tags, w.cardPrecisionAt100()));
            }
        }
        averagePrecision.register(ap, true);
        cardPrecision.register(cp, true);
        Optional<AccuracyWindow> judged = windows.stream().filter(w -> w.alias().equals(AccuracyWindow.DECIDED)
                && w.modelVersion().equals(label) && w.averagePrecision() != null
                && w.frauds() >= config.minAccuracyFrauds()).findFirst();
        if (judged.isPresent()) {
            AccuracyWindow w = judged.get();
            Double expected = c.metrics().get("average_precision");
            boolean low = w.averagePrecision() < config.minAveragePrecision();
            boolean dropped = expected != null && w.averagePrecision() < expected - config.accuracyDropMargin();
            if (low || dropped) {
                changed(label, w.windowStart());
                if (config.retrainOnAccuracy()) {
                    triggers.add("accuracy");
                }
                if (!label.equals(accuracyAlerted)) {
                    accuracyAlerted = label;
                    events.add(LoopEvent.of(now, "accuracy_drop", modelName, label, String.format(Locale.ROOT,
                            "%s: live AP %.3f on %s..%s (%,d transactions, %,d frauds), %s", label,
                            w.averagePrecision(), w.windowStart(), w.windowEnd(), w.rows(), w.frauds(),
                            low ? "below the bound " + config.minAveragePrecision()
                                    : String.format(Locale.ROOT, "%.3f below its hold-out AP %.3f",
                                    expected - w.averagePrecision(), expected)),
                            LoopEvent.details("average_precision", w.averagePrecision(), "card_precision_at_100",
                                    w.cardPrecisionAt100(), "expected", expected, "window_start",
                                    w.windowStart().toString(), "window_end", w.windowEnd().toString())));
                }
            } else {
                accuracyAlerted = null;
            }
        }

        // drift of live traffic against the champion's reference profile
        Optional<DriftReport> report = drift.check(c, now.minus(config.driftWindow()), now, config.minDriftRows(),
                driftPolicy);
        if (report.isPresent()) {
            DriftReport r = report.get();
            long id = records.record(label, r.from(), r.to(), r.datasetDrift(), r.driftedShare(), DriftMonitor.json(r));
            Tags tags = Tags.of("model_version", label);
            drifted.register(List.of(MultiGauge.Row.of(tags, r.datasetDrift() ? 1 : 0)), true);
            driftShare.register(List.of(MultiGauge.Row.of(tags, r.driftedShare())), true);
            if (r.datasetDrift()) {
                changed(label, r.from() != null ? r.from() : now);
                if (config.retrainOnDrift()) {
                    triggers.add("drift");
                }
                if (!label.equals(driftAlerted)) {
                    driftAlerted = label;
                    events.add(LoopEvent.of(now, "drift_detected", modelName, label, String.format(Locale.ROOT,
                            "dataset drift against %s's reference: %s of features drifted (%s); prediction drift %s;"
                                    + " report %d", label, percent(r.driftedShare()), String.join(", ",
                                    DriftMonitor.drifted(r)), r.prediction().drifted() ? "yes" : "no", id),
                            LoopEvent.details("report", id, "share", r.driftedShare(), "features",
                                    DriftMonitor.drifted(r), "live_rows", r.liveRows())));
                }
            } else {
                driftAlerted = null;
            }
        }

        // new labels, schedule, manual
        if (config.newLabels() > 0 && decisions.labelsKnownBetween(lastRetrain, now) >= config.newLabels()) {
            triggers.add("labels");
        }
        boolean scheduled = schedule != null && lastTick != null && Schedules.dueBetween(schedule, lastTick, now);
        String manual = manualRequest;
        boolean cooled = !now.isBefore(lastRetrain.plus(config.cooldown())) || lastRetrain.equals(now);
        // a change triggers only once the training window can hold labelled days of it
        boolean settled = onset != null && label.equals(onsetVersion) && !now.isBefore(onset
                .plus(retrainer.policy().labelDelay())
                .plus(Duration.ofDays(retrainer.policy().holdoutDays() + config.settleDays())));
        List<String> due = new ArrayList<>();
        for (String t : triggers) {
            if (cooled && (t.equals("labels") || settled)) {
                due.add(t);
            }
        }
        if (scheduled) {
            due.add("schedule");
        }
        if (manual != null) {
            due.add("manual");
        }
        if (!due.isEmpty() && !promotion.inFlight() && !retrainer.running()) {
            manualRequest = null;
            String trigger = due.getFirst();
            events.add(LoopEvent.of(now, "retrain_triggered", modelName, label, "retraining, triggered by "
                    + String.join(" and ", due), Map.of("triggers", due)));
            lastRetrain = now;
            Retrainer.Result result = retrainer.retrain(trigger, manual != null ? manual : "riskloop-monitor");
            Counter.builder("riskloop.retraining.runs").description("Retrainings, by how they ended")
                    .tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT)).register(meters).increment();
            Map<String, Object> details = Map.of("outcome", result.outcome().name(), "run", String.valueOf(
                    result.runId()), "steps", result.steps().stream().map(s -> Map.of("name", s.name(), "passed",
                    s.passed(), "summary", s.summary())).toList(), "challenger", result.challengerMetrics(),
                    "champion", result.championMetrics());
            events.add(result.outcome() == Retrainer.Outcome.REGISTERED
                    ? LoopEvent.of(now, "challenger_registered", modelName, result.challenger(), result.summary(), details)
                    : LoopEvent.of(now, "retrain_stopped", modelName, label, result.summary(), details));
        }
        events.addAll(promotion.advance(now));
        if (operations != null) {
            events.addAll(operations.check(now, modelName));
        }
        lastTick = now;
        List<LoopEvent> stored = new ArrayList<>();
        for (LoopEvent e : events) {
            LoopEvent s = records.record(e);
            stored.add(s);
            LOG.info("{} {}: {}", s.at(), s.kind(), s.summary());
            if (isAlert(s)) {
                try {
                    alerts.accept(s);
                } catch (RuntimeException ex) {
                    LOG.warn("the alert for {} could not be handed over", s.kind(), ex);
                }
            }
        }
        return stored;
    }

    /** Notes when the champion's traffic first changed, no earlier than when it took over. */
    private void changed(String version, Instant observed) {
        // traffic before a champion took over says nothing about what it has yet to learn
        Instant since = observed.isBefore(championSince) ? championSince : observed;
        if (!version.equals(onsetVersion)) {
            onsetVersion = version;
            onset = since;
        } else if (onset == null || since.isBefore(onset)) {
            onset = since;
        }
    }

    static boolean isAlert(LoopEvent e) {
        return switch (e.kind()) {
            case "drift_detected", "accuracy_drop", "retrain_stopped", "rolled_back", "challenger_withdrawn",
                 "dead_letter_spike", "consumer_lag", "notifier_failures" -> true;
            default -> false;
        };
    }

    private Optional<ModelVersion> champion() {
        if (registry.models().find(modelName).isEmpty()) {
            return Optional.empty();
        }
        return registry.models().versions(modelName).stream()
                .filter(v -> v.aliases().contains(ModelRegistry.CHAMPION)).findFirst();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (operations != null) {
            operations.close();
        }
    }
}
