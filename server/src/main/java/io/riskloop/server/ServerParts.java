package io.riskloop.server;

import io.riskloop.core.token.CardTokenizer;
import io.riskloop.registry.Registry;
import io.riskloop.server.api.Ingest;
import io.riskloop.server.auth.ApiKeys;
import io.riskloop.server.live.LiveFeatures;
import io.riskloop.server.live.RegistryModels;
import io.riskloop.server.live.Scoring;
import io.riskloop.server.metrics.ServerMetrics;
import io.riskloop.store.access.ApiKeyStore;
import io.riskloop.store.audit.AuditLog;
import io.riskloop.store.decisions.DecisionQueries;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.stream.labels.Labeler;

import io.riskloop.core.features.FeatureSet;
import io.riskloop.server.live.LiveState;
import io.riskloop.server.live.ServingChampion;
import io.riskloop.stream.DecisionPolicy;
import io.riskloop.stream.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.riskloop.server.monitor.MonitorConfig;
import io.riskloop.server.monitor.LoopNotices;
import io.riskloop.server.monitor.MonitorLoop;
import io.riskloop.server.monitor.OperationalChecks;
import io.riskloop.stream.notify.NoticeSender;
import io.riskloop.server.retrain.Promotion;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.server.retrain.Retrainer;
import io.riskloop.store.monitor.MonitorStore;
import java.nio.file.Path;
import java.time.Instant;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * What the server serves. The registry, keys, audit log and decision store (all in the database) are always
 * there; the rest is optional, so that one binary serves each role: without a broker there is no ingest, no
 * labelling and no live state; without a champion there is no scoring. {@code /health/ready} reports each part
 * that is configured, and an endpoint whose part is missing answers 503 saying which.
 *
 * @param registry      tracking and the model registry
 * @param keys          API keys
 * @param audit         the audit log
 * @param decisions     stored decisions and labels
 * @param queries       searches over them
 * @param models        registered versions as scoring models (explanations of past decisions)
 * @param metrics       Prometheus metrics
 * @param clock         time
 * @param tokenizer     tokenises card numbers sent to the API, or null to refuse them
 * @param ingest        the transactions topic, or null
 * @param labeler       stores labels and publishes them, or null
 * @param live          the live feature state's reader, or null
 * @param scoring       the scoring service, or null
 * @param brokerUp      whether the broker answers, or null when none is configured
 * @param monitoring    the monitoring loop's records (events, accuracy windows, drift reports)
 * @param loop          the monitoring loop, or null when this server does not run it
 */
public record ServerParts(Registry registry, ApiKeys keys, AuditLog audit, DecisionStore decisions,
                          DecisionQueries queries, RegistryModels models, ServerMetrics metrics, Clock clock,
                          CardTokenizer tokenizer, Ingest ingest, Labeler labeler, LiveFeatures live, Scoring scoring,
                          BooleanSupplier brokerUp, MonitorStore monitoring, MonitorLoop loop)
        implements AutoCloseable {

    /**
     * Everything a serving role runs, started: the champion of {@code modelName} from the registry (looked at every
     * {@code poll}), and with a broker ({@code bootstrapServers} not null) ingest, labels and live features. Close
     * the result to stop what was started.
     *
     * @param tokenizer tokenises card numbers sent to the API (null: refuse them)
     * @param policy    the pipeline's decision policy, so that /score decides as the pipeline does
     */
    public static ServerParts serving(Registry registry, Clock clock, CardTokenizer tokenizer, String bootstrapServers,
                                      Topics topics, String modelName, DecisionPolicy policy, Duration poll) {
        ServerParts parts = of(registry, clock).withTokenizer(tokenizer);
        FeatureSet set = FeatureSet.BASELINE;
        LiveFeatures live = null;
        LiveState state = new LiveState(set);
        if (bootstrapServers != null) {
            Ingest ingest = Ingest.connect(bootstrapServers, topics);
            Labeler labeler = new Labeler(parts.decisions(), ingest.producer(), topics, clock);
            live = LiveFeatures.start(bootstrapServers, topics, set);
            state = live.state();
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    3_000));
            parts = parts.withKafka(ingest, labeler, live, new BrokerCheck(admin));
        }
        ServingChampion champion = new ServingChampion(parts.models(), modelName, set.names()).start(poll);
        return parts.withScoring(new Scoring(state, champion, policy));
    }

    /** Whether the broker answers, asked at most every few seconds (readiness probes come often). */
    private static final class BrokerCheck implements BooleanSupplier, AutoCloseable {
        private final Admin admin;
        private volatile long checkedAt;
        private volatile boolean up;

        BrokerCheck(Admin admin) {
            this.admin = admin;
        }

        @Override
        public boolean getAsBoolean() {
            long now = System.nanoTime();
            if (checkedAt == 0 || now - checkedAt > 2_000_000_000L) {
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    up = true;
                } catch (ExecutionException | TimeoutException e) {
                    up = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    up = false;
                }
                checkedAt = now;
            }
            return up;
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** Stops what {@link #serving} started: the champion poller, live features, the producer. */
    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        if (scoring != null) {
            scoring.champion().close();
        }
        if (live != null) {
            live.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (brokerUp instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the broker check failed", e);
            }
        }
    }

    /** The parts every server has, on the registry's database. */
    public static ServerParts of(Registry registry, Clock clock) {
        AuditLog audit = new AuditLog(registry.database(), clock);
        return new ServerParts(registry, new ApiKeys(new ApiKeyStore(registry.database()), audit, clock,
                new SecureRandom()), audit, new DecisionStore(registry.database(), clock),
                new DecisionQueries(registry.database()), new RegistryModels(registry), new ServerMetrics(), clock,
                null, null, null, null, null, null, new MonitorStore(registry.database()), null);
    }

    public ServerParts withTokenizer(CardTokenizer t) {
        return new ServerParts(registry, keys, audit, decisions, queries, models, metrics, clock, t, ingest, labeler,
                live, scoring, brokerUp, monitoring, loop);
    }

    /** With a broker: ingest, labels, and (if given) live state. */
    public ServerParts withKafka(Ingest i, Labeler l, LiveFeatures lf, BooleanSupplier up) {
        return new ServerParts(registry, keys, audit, decisions, queries, models, metrics, clock, tokenizer, i, l, lf,
                scoring, up, monitoring, loop);
    }

    public ServerParts withScoring(Scoring s) {
        return new ServerParts(registry, keys, audit, decisions, queries, models, metrics, clock, tokenizer, ingest,
                labeler, live, s, brokerUp, monitoring, loop);
    }

    /**
     * With the monitoring loop (docs/monitoring.md) for {@code modelName}, ticking every {@code every} on
     * {@code loopClock} (the system clock; a simulated one in the demo): accuracy, drift, retraining triggers, shadow,
     * promotion and rollback. Its alerts are stored, counted and, with {@code notices} (null: none), sent through
     * the notifiers; with {@code bootstrapServers} (null: none) it also watches the pipeline's lag and the alerts'
     * dead letters. Close the parts to stop it.
     */
    public ServerParts withMonitoring(String modelName, MonitorConfig config, RetrainPolicy policy,
                                      io.riskloop.core.drift.DriftPolicy drift, double reviewThreshold, Path workDir, Duration every, Clock loopClock,
                                      Instant idleUntil, NoticeSender notices, String bootstrapServers) {
        Retrainer retrainer = new Retrainer(registry, decisions, modelName, policy, Retrainer.defaultParams(),
                loopClock, workDir);
        Promotion promotion = new Promotion(registry.models(), audit, decisions, modelName, policy,
                "riskloop-monitor");
        MonitorLoop l = new MonitorLoop(registry, decisions, monitoring, retrainer, promotion, config,
                drift, modelName, reviewThreshold, loopClock, metrics.registry(),
                e -> {
                    metrics.alerted(e.kind());
                    if (notices != null) {
                        notices.send(LoopNotices.of(e));
                    }
                }).idleUntil(idleUntil)
                .withOperations(new OperationalChecks(decisions, bootstrapServers == null ? null : Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)), Topics.DEFAULT,
                        io.riskloop.stream.DecisionPipeline.APPLICATION_ID, config))
                .start(every);
        return new ServerParts(registry, keys, audit, decisions, queries, models, metrics, clock, tokenizer, ingest,
                labeler, live, scoring, brokerUp, monitoring, l);
    }
}
