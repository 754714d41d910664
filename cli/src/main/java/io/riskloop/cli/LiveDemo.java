package io.riskloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.Json;
import io.riskloop.model.Trainer;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.registry.Registry;
import io.riskloop.registry.models.ModelRegistry;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.server.RiskloopServer;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.ApiKeys;
import io.riskloop.core.drift.DriftPolicy;
import io.riskloop.server.monitor.MonitorConfig;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.PipelineMetrics;
import io.riskloop.stream.Topics;
import io.riskloop.stream.broker.EmbeddedKafka;
import io.riskloop.stream.labels.Labeler;
import io.riskloop.stream.replay.Replayer;
import io.riskloop.stream.replay.SimulatedClock;
import io.riskloop.stream.replay.SimulationStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The live demo: see {@link DemoCommand}'s description. */
final class LiveDemo {

    /** The first champion learns from the world's first days (four weeks of history, two of training). */
    private static final int CHAMPION_DAYS = 45;

    private final DemoCommand o;
    private final PrintWriter out;

    LiveDemo(DemoCommand options) {
        this.o = options;
        this.out = options.spec.commandLine().getOut();
    }

    int run() throws Exception {
        SimulationConfig world = SimulationConfig.book().withCustomers(o.customers).withTerminals(o.terminals)
                .withRadius(o.radius).withDays(o.days).withSeed(o.seed);
        Path dataDir = o.tracking.store.dataDir;
        Path demoDir = dataDir.resolve("demo");
        Files.createDirectories(demoDir);
        long position = readPosition(demoDir.resolve("position.json"), world);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "riskloop-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (StoreOptions.OpenRegistry open = o.tracking.store.open()) {
            Registry registry = open.registry();
            out.println("riskloop demo: database " + registry.database().description());
            if (registry.models().find(o.modelName).isEmpty()
                    || registry.models().versions(o.modelName).stream().noneMatch(v -> v.aliases().contains(ModelRegistry.CHAMPION))) {
                trainFirstChampion(registry, world, demoDir);
            }
            EmbeddedKafka broker = o.kafka == null ? EmbeddedKafka.start(dataDir.resolve("kafka"), 0) : null;
            String bootstrap = broker != null ? broker.bootstrapServers() : o.kafka;
            PipelineConfig config = PipelineConfig.defaults();
            Instant worldStart = world.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
            SimulatedClock clock = new SimulatedClock(worldStart);
            out.println("riskloop demo: Kafka " + (broker != null ? "embedded at " + bootstrap + " (logs in "
                    + broker.directory() + ")" : bootstrap));
            try (AutoCloseable b = broker == null ? () -> { } : broker;
                 ServerParts parts = monitored(ServerParts.serving(registry, Clock.systemUTC(),
                         CardTokenizer.fromEnvironmentOrFile(dataDir.resolve("token.key")), bootstrap, Topics.DEFAULT,
                         o.modelName, config.policy(), Duration.ofSeconds(2)), config, clock, worldStart, demoDir,
                         bootstrap);
                 PipelineRole role = PipelineRole.start(registry,
                         DecisionPipeline.Options.defaults(bootstrap, dataDir.resolve("streams")), o.modelName, config,
                         4, null, parts.metrics().registry());
                 RiskloopServer server = RiskloopServer.start(parts, "127.0.0.1", o.port);
                 KafkaProducer<String, String> producer = producer(bootstrap)) {
                String url = "http://127.0.0.1:" + server.port();
                io.riskloop.stream.notify.AlertDispatcher dispatcher = o.notifiers.start(bootstrap, url,
                        parts.metrics().registry());
                if (dispatcher != null) {
                    out.println("riskloop demo: alerts go to " + (o.notifiers.webhook != null ? o.notifiers.webhook + " " : "")
                            + (o.notifiers.smtp != null ? "mail via " + o.notifiers.smtp : ""));
                }
                out.println("riskloop demo: serving " + url + "/ui (API " + url + "/api/v1, metrics " + url
                        + "/metrics, health " + url + "/health/ready)");
                parts.keys().bootstrapAdmin(System.getenv(ApiKeys.ADMIN_KEY_ENV)).ifPresent(k -> out.println(
                        "riskloop demo: first admin API key (shown once; sign in to the web app with it): " + k));
                Instant live = worldStart.plus(Duration.ofDays(CHAMPION_DAYS));
                out.println("riskloop demo: champion " + role.models().champion().info().version() + "; replaying "
                        + world.days() + " simulated days from transaction " + position + ": the first " + CHAMPION_DAYS
                        + " (the champion's history) at " + o.catchUpRate + " tx/s, then " + o.rate
                        + " tx/s with the monitoring loop; Ctrl-C stops");
                out.flush();
                Labeler labeler = new Labeler(role.store(), producer, Topics.DEFAULT, clock);
                labeler.republishPending();
                Duration delay = Duration.ofDays(o.chargebackDelayDays);
                List<LabeledTransaction> pending = pendingChargebacks(world, position, delay, role);
                long started = System.nanoTime();
                PipelineMetrics metrics = role.pipeline().metrics();
                // latencies while the catch-up's backlog drains say how fast the backlog goes, not how fast a
                // transaction is decided: they are kept apart from the live replay's
                Histogram catchUpLatency = new Histogram(3);
                Histogram latency = new Histogram(3);
                long liveFrom = -1; // transactions sent when the replay reached live time
                try (SimulationStream history = new SimulationStream(world, position);
                     Replayer replayer = new Replayer(history, position, producer, Topics.DEFAULT.transactions(), o.rate,
                             delay, (tx, known) -> labeler.label(tx.id(), true, "chargeback", "card-scheme", null, known),
                             clock, pending).catchUpUntil(live, o.catchUpRate).start()) {
                    Instant deadline = o.duration == null ? null : Instant.now().plus(o.duration);
                    long lastPrint = System.nanoTime();
                    while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                        if (liveFrom < 0 && !clock.instant().isBefore(live)) {
                            liveFrom = replayer.sent();
                        }
                        boolean caughtUp = liveFrom >= 0 && role.sink().stored() + metrics.deadLettered() >= liveFrom;
                        (caughtUp ? latency : catchUpLatency).add(role.sink().takeLatencies());
                        if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                            lastPrint = System.nanoTime();
                            status(replayer, metrics, role, caughtUp ? latency : catchUpLatency, caughtUp, clock);
                        }
                        if (deadline != null && Instant.now().isAfter(deadline)) {
                            break;
                        }
                        if (replayer.finished()) {
                            out.println("riskloop demo: the simulated history is replayed to its end");
                            break;
                        }
                        if (replayer.failure() != null || role.sink().failure() != null) {
                            throw new IllegalStateException("the demo stopped: " + (replayer.failure() != null
                                    ? replayer.failure() : role.sink().failure()).getMessage());
                        }
                    }
                    replayer.close();
                    position = replayer.position();
                    writePosition(demoDir.resolve("position.json"), world, position);
                    // let what was sent be decided and stored, up to a few seconds
                    long sent = replayer.sent();
                    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (role.sink().stored() + metrics.deadLettered() < sent && System.nanoTime() < drainUntil) {
                        Thread.sleep(100);
                    }
                    boolean caughtUp = liveFrom >= 0 && role.sink().stored() + metrics.deadLettered() >= liveFrom;
                    (caughtUp ? latency : catchUpLatency).add(role.sink().takeLatencies());
                    double seconds = (System.nanoTime() - started) / 1e9;
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("produced", sent);
                    summary.put("decided", metrics.decided());
                    summary.put("stored", role.sink().stored());
                    summary.put("dlq", metrics.deadLettered());
                    summary.put("alerts", metrics.decided(DecisionType.REVIEW) + metrics.decided(DecisionType.DECLINE));
                    summary.put("chargebacks", replayer.chargebacksDelivered());
                    summary.put("latency_p50_ms", latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(50));
                    summary.put("latency_p99_ms", latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(99));
                    summary.put("catch_up_latency_p99_ms", catchUpLatency.getTotalCount() == 0 ? null
                            : catchUpLatency.getValueAtPercentile(99));
                    summary.put("seconds", Math.round(seconds * 10) / 10.0);
                    summary.put("position", position);
                    if (dispatcher != null) {
                        dispatcher.close();
                    }
                    out.println("riskloop demo: stopped at transaction " + position + "; " + summary);
                    if (o.summary != null) {
                        Path parent = o.summary.toAbsolutePath().getParent();
                        if (parent != null) {
                            Files.createDirectories(parent);
                        }
                        Json.mapper().writeValue(o.summary.toFile(), summary);
                    }
                }
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook has run
            }
        }
        return 0;
    }

    /** The demo's monitoring loop: on simulated time, from the day after the champion's training weeks. */
    private ServerParts monitored(ServerParts parts, PipelineConfig config, Clock clock, Instant worldStart,
                                  Path demoDir, String bootstrap) {
        RetrainPolicy retrain = RetrainPolicy.DEFAULT.withWindows(21, 7, Duration.ofDays(o.chargebackDelayDays));
        return parts.withMonitoring(o.modelName, MonitorConfig.DEFAULT, retrain, DriftPolicy.defaults(),
                config.policy().reviewThreshold(),
                demoDir.resolve("retrain"), Duration.ofSeconds(10), clock,
                worldStart.plus(Duration.ofDays(CHAMPION_DAYS)), o.notifiers.notices(null, parts.metrics().registry()),
                bootstrap);
    }

    private void status(Replayer r, PipelineMetrics m, PipelineRole role, Histogram latency, boolean caughtUp,
                        Clock clock) {
        out.printf("  %s  sent %,d  decided %,d  stored %,d  dlq %,d  alerts %,d  chargebacks %,d  %s p50 %s ms"
                        + " p99 %s ms%n", clock.instant().toString().substring(0, 10), r.sent(), m.decided(),
                role.sink().stored(), m.deadLettered(), m.decided(DecisionType.REVIEW) + m.decided(DecisionType.DECLINE),
                r.chargebacksDelivered(), caughtUp ? "latency" : "catching up: backlog latency",
                latency.getTotalCount() == 0 ? "-" : latency.getValueAtPercentile(50),
                latency.getTotalCount() == 0 ? "-" : latency.getValueAtPercentile(99));
        out.flush();
    }

    /** Trains the first champion on the world's first weeks (days 28 to 41, after four weeks of history). */
    private void trainFirstChampion(Registry registry, SimulationConfig world, Path demoDir) throws Exception {
        out.println("riskloop demo: no champion for '" + o.modelName + "' yet: training one on the first weeks");
        List<LabeledTransaction> rows = new Simulator(world).before(world.startDate().plusDays(CHAMPION_DAYS));
        FeatureMatrix all = FeatureReplay.replay(rows, FeatureSet.BASELINE, LabelTiming.fraudKnownAfter(Duration.ofDays(7)),
                FeatureReplay.Progress.NONE);
        TimeSplit split = new TimeSplit(world.startDate().plusDays(28), 14, 0, 3);
        Trainer.Source source = new Trainer.Source("simulation:seed=" + world.seed(), "none");
        Champions.train(out, registry, o.tracking.experimentOr("demo"), o.tracking.actor.actor(), o.modelName, o.seed,
                null, all, split, source, demoDir.resolve("champion"), "riskloop demo");
    }

    /** Frauds sent before {@code position} whose chargebacks are due after it and not yet stored. */
    private List<LabeledTransaction> pendingChargebacks(SimulationConfig world, long position, Duration delay,
                                                        PipelineRole role) {
        if (position == 0) {
            return List.of();
        }
        List<LabeledTransaction> frauds = new ArrayList<>();
        Instant[] last = {Instant.EPOCH};
        long[] i = {0};
        new Simulator(world).run(t -> {
            if (i[0]++ < position) {
                last[0] = Instant.ofEpochSecond(t.epochSecond());
                if (t.fraud()) {
                    frauds.add(t.toLabeled());
                }
            }
        }, Simulator.Progress.NONE);
        List<LabeledTransaction> pending = new ArrayList<>();
        for (LabeledTransaction f : frauds) {
            if (f.transaction().timestamp().plus(delay).isAfter(last[0].minus(Duration.ofSeconds(1)))
                    && role.store().find(f.transaction().id()).map(d -> d.trueLabel() == null).orElse(true)) {
                pending.add(f);
            }
        }
        return pending;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private long readPosition(Path file, SimulationConfig world) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        JsonNode n = Json.mapper().readTree(file.toFile());
        String expected = worldKey(world);
        if (!expected.equals(n.path("world").asText())) {
            throw new IllegalArgumentException(o.tracking.store.dataDir + " holds a demo of another simulated world ("
                    + n.path("world").asText() + "); use another --data-dir, or the same world options");
        }
        return n.path("position").asLong();
    }

    private static void writePosition(Path file, SimulationConfig world, long position) throws IOException {
        Json.mapper().writeValue(file.toFile(), Map.of("world", worldKey(world), "position", position));
    }

    private static String worldKey(SimulationConfig w) {
        return "customers=" + w.customers() + " terminals=" + w.terminals() + " days=" + w.days() + " radius="
                + w.radius() + " seed=" + w.seed() + " start=" + w.startDate();
    }
}
