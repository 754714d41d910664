package io.riskloop.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.server.monitor.AccuracyMonitor;
import io.riskloop.server.monitor.MonitorConfig;
import io.riskloop.server.monitor.MonitorLoop;
import io.riskloop.server.retrain.Promotion;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.store.Database;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.monitor.AccuracyWindow;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.Topics;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.broker.EmbeddedKafka;
import io.riskloop.stream.labels.Labeler;
import io.riskloop.stream.replay.SimulatedClock;
import io.riskloop.stream.replay.SimulationStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The closed loop proved end to end (docs/monitoring.md, "The drift scenario"): a simulated world whose fraud
 * changes mid-stream (card-testing bursts on new terminals, and customers spending more), replayed through the real
 * pipeline on the embedded broker and database in steps of simulated time, with chargebacks arriving after a delay;
 * after each step the monitoring loop runs at the simulated time. Expected: drift is detected, accuracy drops,
 * retraining triggers, the challenger passes its gates, shadows, is promoted, and accuracy on the new pattern
 * recovers. What happened is returned as the loop's events and the accuracy of the deciding model before the
 * drift, after it and after the promotion.
 */
final class DriftScenario {

    /**
     * The world and the loop's settings.
     *
     * @param step simulated time between two runs of the monitoring loop
     */
    record Settings(int customers, int terminals, int days, int driftDay, int cardTestingPerDay, double amountScale,
                    int chargebackDelayDays, long seed, Duration step, RetrainPolicy retrain, MonitorConfig monitor) {

        /**
         * A world small enough for the test suite: 500 customers over up to 100 days; the replay stops once a
         * promotion has held through its watch and four label-complete days followed it (about 70,000 transactions).
         */
        static Settings small() {
            RetrainPolicy p = RetrainPolicy.DEFAULT.withWindows(14, 3, Duration.ofDays(3)).withVolumes(5_000, 30)
                    .withShadow(1_500, 1_500, 10);
            MonitorConfig m = MonitorConfig.DEFAULT.withWindows(Duration.ofDays(2), Duration.ofDays(7),
                    Duration.ofDays(3)).withDrift(2_000, true).withSettleDays(10);
            return new Settings(500, 1_000, 100, 42, 25, 1.5, 3, 7, Duration.ofHours(12), p, m);
        }
    }

    /** What happened: the loop's events in order and the accuracy of the deciding model in three periods. */
    record Result(List<LoopEvent> events, Map<String, Map<String, Object>> metrics, Instant driftStart,
                  Instant promotedAt, long transactions) {

        Map<String, Object> toJson() {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (LoopEvent e : events) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", e.kind());
                s.put("at", e.at().toString());
                s.put("model_version", e.version());
                s.put("summary", e.summary());
                s.putAll(e.details());
                steps.add(s);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("steps", steps);
            out.put("metrics", metrics);
            out.put("drift_start", driftStart.toString());
            out.put("promoted_at", promotedAt == null ? null : promotedAt.toString());
            out.put("transactions", transactions);
            return out;
        }
    }

    private static final String MODEL = "fraud";
    /** Label-complete days after the day following a promotion that "after the promotion" is measured on. */
    private static final int AFTER_PROMOTION_DAYS = 4;

    private final Settings s;
    private final Path dir;
    private final PrintWriter out;

    DriftScenario(Settings settings, Path dir, PrintWriter out) {
        this.s = settings;
        this.dir = dir;
        this.out = out;
    }

    Result run() throws Exception {
        SimulationConfig world = SimulationConfig.book().withCustomers(s.customers()).withTerminals(s.terminals())
                .withDays(s.days()).withSeed(s.seed())
                .withDrift(new DriftConfig(s.driftDay(), s.amountScale(), s.cardTestingPerDay()));
        Instant start = world.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant driftStart = start.plus(Duration.ofDays(s.driftDay()));
        SimulatedClock clock = new SimulatedClock(start);
        Duration delay = Duration.ofDays(s.chargebackDelayDays());
        try (Database db = Database.embedded(dir.resolve("pg"));
             EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            Registry registry = Registry.open(db, new ArtifactStore(dir.resolve("artifacts")), clock);
            out.println("scenario drift: " + s.customers() + " customers, " + s.terminals() + " terminals, " + s.days()
                    + " days; from day " + s.driftDay() + " card testing (" + s.cardTestingPerDay()
                    + " bursts a day on new terminals) and amounts x" + s.amountScale());
            trainChampion(registry, world);
            String bootstrap = broker.bootstrapServers();
            PipelineConfig config = PipelineConfig.defaults();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (PipelineRole role = PipelineRole.start(registry,
                    DecisionPipeline.Options.defaults(bootstrap, dir.resolve("streams")), MODEL, config, 1,
                    null, meters);
                 KafkaProducer<String, String> producer = producer(bootstrap)) {
                Labeler labeler = new Labeler(role.store(), producer, Topics.DEFAULT, clock);
                MonitorStore records = new MonitorStore(db);
                Retrainer retrainer = new Retrainer(registry, role.store(), MODEL, s.retrain(),
                        Retrainer.defaultParams().withSeed(s.seed()), clock, dir.resolve("retrain"));
                Promotion promotion = new Promotion(registry.models(), new AuditLog(db, clock), role.store(), MODEL,
                        s.retrain(),
                        "riskloop-monitor");
                List<LoopEvent> events = new ArrayList<>();
                long sent = 0;
                Instant promotedAt = null;
                boolean watched = false;
                try (MonitorLoop loop = new MonitorLoop(registry, role.store(), records, retrainer, promotion,
                        s.monitor(), DriftPolicy.defaults(), MODEL, config.policy().reviewThreshold(), clock, meters,
                        e -> out.println("    ALERT " + e.kind() + ": " + e.summary()));
                     SimulationStream history = new SimulationStream(world, 0)) {
                    ArrayDeque<LabeledTransaction> chargebacks = new ArrayDeque<>();
                    LabeledTransaction next = history.hasNext() ? history.next() : null;
                    Instant stepEnd = start.plus(s.step());
                    Instant monitorFrom = driftStart.minus(Duration.ofDays(7));
                    while (next != null) {
                        while (next != null && next.transaction().timestamp().isBefore(stepEnd)) {
                            producer.send(new ProducerRecord<>(Topics.DEFAULT.transactions(), null,
                                    next.transaction().timestamp().toEpochMilli(), next.transaction().cardId(),
                                    TransactionJson.write(next.transaction())));
                            sent++;
                            if (next.fraud()) {
                                chargebacks.add(next);
                            }
                            next = history.hasNext() ? history.next() : null;
                        }
                        producer.flush();
                        awaitStored(role, sent);
                        clock.advanceTo(stepEnd);
                        while (!chargebacks.isEmpty()
                                && !chargebacks.peek().transaction().timestamp().plus(delay).isAfter(stepEnd)) {
                            LabeledTransaction f = chargebacks.poll();
                            labeler.label(f.transaction().id(), true, "chargeback", "card-scheme", null,
                                    f.transaction().timestamp().plus(delay));
                        }
                        // the loop starts a week before the drift, on five weeks of history
                        List<LoopEvent> happened = stepEnd.isBefore(monitorFrom) ? List.of() : loop.tick();
                        for (LoopEvent e : happened) {
                            out.println("  " + e.at().toString().substring(0, 16) + "  " + e.kind() + ": " + e.summary());
                            if (e.kind().equals("promoted")) {
                                promotedAt = e.at();
                                watched = false;
                            } else if (e.kind().equals("rolled_back")) {
                                promotedAt = null;
                            } else if (e.kind().equals("watch_ended")) {
                                watched = true;
                            }
                        }
                        out.flush();
                        events.addAll(happened);
                        if (!happened.isEmpty()) {
                            awaitServing(role, registry);
                        }
                        // done once a promotion has held through its watch and a few label-complete days followed it
                        if (promotedAt != null && watched && !stepEnd.isBefore(promotedAt.plus(Duration.ofDays(
                                AFTER_PROMOTION_DAYS + 1)).plus(delay))) {
                            break;
                        }
                        stepEnd = stepEnd.plus(s.step());
                    }
                }
                Instant end = clock.instant();
                Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
                metrics.put("before_drift", accuracy(role, driftStart.minus(Duration.ofDays(7)), driftStart, end));
                Instant afterDriftEnd = promotedAt != null ? promotedAt : end.minus(delay);
                metrics.put("after_drift", accuracy(role, driftStart, afterDriftEnd, end));
                if (promotedAt != null) {
                    metrics.put("after_promotion", accuracy(role, promotedAt.plus(Duration.ofDays(1)), end.minus(delay),
                            end));
                }
                out.println("scenario drift: " + sent + " transactions; accuracy of the deciding model: " + metrics);
                out.flush();
                return new Result(events, metrics, driftStart, promotedAt, sent);
            }
        }
    }

    /** The first champion, trained on the two weeks before the drift (after four weeks of history). */
    private void trainChampion(Registry registry, SimulationConfig world) throws Exception {
        List<LabeledTransaction> rows = new Simulator(world).before(world.startDate().plusDays(s.driftDay()));
        FeatureMatrix all = FeatureReplay.replay(rows, FeatureSet.BASELINE,
                LabelTiming.fraudKnownAfter(Duration.ofDays(s.chargebackDelayDays())), FeatureReplay.Progress.NONE);
        TimeSplit split = new TimeSplit(world.startDate().plusDays(s.driftDay() - 21), 14, 0, 7);
        Champions.train(out, registry, "scenario", "riskloop scenario", MODEL, s.seed(), null, all, split,
                new Trainer.Source("simulation:seed=" + world.seed(), "none"), dir.resolve("champion"),
                "riskloop scenario drift");
    }

    /** Average precision and Card Precision@100 of the deciding model's scores on [from, to), labels known at end. */
    private static Map<String, Object> accuracy(PipelineRole role, Instant from, Instant to, Instant labelsKnownAt) {
        AccuracyWindow w = AccuracyMonitor.window("deciding", AccuracyWindow.DECIDED,
                role.store().outcomes(from, to, labelsKnownAt), false, from, to, labelsKnownAt,
                PipelineConfig.defaults().policy().reviewThreshold());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("transactions", w.rows());
        m.put("frauds", w.frauds());
        m.put("average_precision", w.averagePrecision());
        m.put("card_precision_at_100", w.cardPrecisionAt100());
        return m;
    }

    /** Waits until the store holds a decision or dead letter for everything sent. */
    private static void awaitStored(PipelineRole role, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (role.sink().stored() + role.pipeline().metrics().deadLettered() < sent) {
            if (role.sink().failure() != null) {
                throw new IllegalStateException("the store sink stopped: " + role.sink().failure().getMessage(),
                        role.sink().failure());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline stored " + role.sink().stored() + " of " + sent
                        + " transactions in two minutes");
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the pipeline serves the registry's champion and challenger (its watcher polls every 2 s). */
    private static void awaitServing(PipelineRole role, Registry registry) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String champion = label(registry, ModelRegistry.CHAMPION);
            String challenger = label(registry, ModelRegistry.CHALLENGER);
            var served = role.models().challenger();
            if (role.models().champion().info().version().equals(champion)
                    && (challenger == null ? served == null : served != null && served.info().version().equals(challenger))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the pipeline did not pick up the registry's aliases within 30 s");
    }

    private static String label(Registry registry, String alias) {
        return registry.models().versions(MODEL).stream().filter(v -> v.aliases().contains(alias)).findFirst()
                .map(v -> v.modelName() + "/" + v.version()).orElse(null);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
