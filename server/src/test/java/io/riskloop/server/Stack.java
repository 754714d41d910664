package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.server.auth.Role;
import io.riskloop.server.live.LiveFeatures;
import io.riskloop.store.Database;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.DecisionPolicy;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.ServingModels;
import io.riskloop.stream.Topics;
import io.riskloop.stream.broker.EmbeddedKafka;
import io.riskloop.stream.sink.StoreSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole serving side for tests, real parts only: an embedded Kafka broker, the registry on a test PostgreSQL
 * with a trained champion, optionally the decision pipeline and its store sink, and the server with scoring, live
 * features, ingest and labels, on a free port. Keys for each role.
 */
final class Stack implements AutoCloseable {

    /** A small simulated world: 60 days, enough for the 30-day windows and the 7-day label delay. */
    static final SimulationConfig WORLD = new SimulationConfig(120, 240, 60, LocalDate.of(2018, 4, 1), 20, 11,
            DriftConfig.NONE);
    /** Low thresholds, so that a small world gives plenty of reviews. */
    static final DecisionPolicy POLICY = DecisionPolicy.DEFAULT.withThresholds(0.05, 0.97);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final CardTokenizer TOKENIZER = new CardTokenizer(new byte[32]);
    private static Path trained;

    record Response(int status, String contentType, JsonNode body, String raw, HttpResponse<String> http) {
    }

    final EmbeddedKafka kafka;
    final Registry registry;
    final ModelVersion champion;
    final ServerParts parts;
    final RiskloopServer server;
    final DecisionPipeline pipeline;
    final StoreSink sink;
    final Map<Role, String> keys = new HashMap<>();

    private Stack(EmbeddedKafka kafka, Registry registry, ModelVersion champion, ServerParts parts,
                  RiskloopServer server, DecisionPipeline pipeline, StoreSink sink) {
        this.kafka = kafka;
        this.registry = registry;
        this.champion = champion;
        this.parts = parts;
        this.server = server;
        this.pipeline = pipeline;
        this.sink = sink;
    }

    /** @param withPipeline also run the decision pipeline and the store sink */
    static Stack start(Database db, Path dir, boolean withPipeline) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Topics.DEFAULT.create(admin, 2, (short) 1);
        }
        Registry registry = Registry.open(db, new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
        ModelVersion v = register(registry, "fraud", model());
        registry.models().setAlias("fraud", "champion", v.version(), "test", "first");
        DecisionPipeline pipeline = null;
        StoreSink sink = null;
        if (withPipeline) {
            ServingModels models = new ServingModels(FeatureSet.BASELINE.names(),
                    new io.riskloop.server.live.RegistryModels(registry).load(v));
            pipeline = DecisionPipeline.start(DecisionPipeline.Options.defaults(kafka.bootstrapServers(),
                    dir.resolve("streams")), PipelineConfig.defaults().withPolicy(POLICY), models, TOKENIZER,
                    Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            sink = new StoreSink(kafka.bootstrapServers(), "store-sink", new io.riskloop.store.decisions.DecisionStore(
                    db, Clock.systemUTC()), Topics.DEFAULT, Clock.systemUTC()).start();
        }
        ServerParts parts = ServerParts.serving(registry, Clock.systemUTC(), TOKENIZER, kafka.bootstrapServers(),
                Topics.DEFAULT, "fraud", POLICY, Duration.ofSeconds(1));
        RiskloopServer server = RiskloopServer.start(parts, "127.0.0.1", 0);
        Stack s = new Stack(kafka, registry, v, parts, server, pipeline, sink);
        for (Role r : Role.values()) {
            s.keys.put(r, parts.keys().create("test-" + r.id(), r, "test").secret());
        }
        return s;
    }

    /** A model trained once per test JVM on the world's first 45 days. */
    static synchronized Path model() throws Exception {
        if (trained == null) {
            var features = SimulatedData.baselineFeatures(WORLD);
            Path dir = Files.createTempDirectory("riskloop-server-test-model");
            try (TrainedModel m = new Trainer().train("fraud", features, FeatureSet.BASELINE,
                    TrainingParams.defaults(Algorithm.XGBOOST).withRounds(20), new Trainer.Source("sim", "x"))) {
                m.save(dir);
            }
            trained = dir;
        }
        return trained;
    }

    /** Registers the model in {@code dir} as the next version of {@code name}, as riskloop train does. */
    static ModelVersion register(Registry registry, String name, Path dir) throws Exception {
        try (ActiveRun run = new RunRecorder(registry, Clock.systemUTC()).start("test", "train", "test", null, null,
                "test")) {
            run.artifacts(ActiveRun.MODEL_DIR, dir);
            try (TrainedModel m = TrainedModel.load(dir)) {
                ModelVersion v = run.registerModel(name, m.manifest(), "test");
                run.finish();
                return v;
            }
        }
    }

    static List<LabeledTransaction> rows() {
        return SimulatedData.rows(WORLD);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    Response call(Role as, String method, String path, String body) throws Exception {
        return send(as == null ? null : "Bearer " + keys.get(as), method, path, body);
    }

    Response send(String authorization, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON (metrics, HTML)
        }
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r.body(), r);
    }

    LiveFeatures live() {
        return parts.live();
    }

    /** Waits (at most a minute) until {@code done}; fails the test saying what did not happen. */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.close();
        parts.close();
        if (sink != null) {
            sink.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        kafka.close();
    }
}
