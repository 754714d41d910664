package io.riskloop.cli;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.record.ActiveRun;
import io.riskloop.registry.record.RunRecorder;
import io.riskloop.server.RiskloopServer;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Role;
import io.riskloop.store.Database;
import io.riskloop.stream.DecisionPolicy;
import io.riskloop.stream.Records;
import io.riskloop.stream.Topics;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.broker.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Load test of POST /api/v1/score on loopback with wrk (Debian package wrk): starts an embedded"
                + " PostgreSQL and Kafka broker in a temporary directory, simulates a history, trains and registers a"
                + " champion, feeds the history's decisions and labels to live features, starts the server, then"
                + " runs wrk with a Lua script that posts varied transactions of the simulated cards and terminals,"
                + " once with the quick explanation and once with the exact one, each after a warm-up. Prints"
                + " requests per second and latency percentiles.",
                "Target on a 2-core machine: at least 15,000 requests/s with p99 at most 10 ms."})
final class ApiBench implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", defaultValue = "30", description = "Seconds of each measured run, default ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--warmup", defaultValue = "15", description = "Seconds of warm-up before each run, default ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--connections", defaultValue = "4,16", split = ",",
            description = "wrk connections, one run for each, default ${DEFAULT-VALUE}: fewer connections, shorter"
                    + " queues and tail; more, more throughput.")
    List<Integer> connections;

    @Option(names = "--threads", defaultValue = "1", description = "wrk threads, default ${DEFAULT-VALUE} (it shares"
            + " the machine's cores with the server).")
    int threads;

    @Option(names = "--customers", defaultValue = "2000", description = "Simulated cards, default ${DEFAULT-VALUE}.")
    int customers;

    @Option(names = "--days", defaultValue = "60", description = "Simulated days of history, default ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--trees", defaultValue = "100", description = "Boosting rounds of the champion, default ${DEFAULT-VALUE}.")
    int trees;

    @Option(names = "--explain", defaultValue = "quick,exact", split = ",",
            description = "Explanations to measure, in order: quick, exact, none; default ${DEFAULT-VALUE}.")
    List<String> explain;

    @Option(names = "--wrk", defaultValue = "wrk", description = "The wrk executable, default ${DEFAULT-VALUE}.")
    String wrk;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("riskloop-bench-api");
        SimulationConfig world = new SimulationConfig(customers, customers * 2, days, LocalDate.of(2018, 4, 1), 5.0, 7,
                DriftConfig.NONE);
        out.printf("simulating %d cards over %d days...%n", customers, days);
        out.flush();
        List<LabeledTransaction> rows = new ArrayList<>();
        new Simulator(world).run(t -> rows.add(t.toLabeled()), Simulator.Progress.NONE);
        FeatureMatrix features = FeatureReplay.replay(rows, FeatureSet.BASELINE,
                LabelTiming.fraudKnownAfter(Duration.ofDays(7)), FeatureReplay.Progress.NONE);
        out.printf("training the champion (%d trees of depth 6) on %,d transactions...%n", trees, rows.size());
        out.flush();
        Path modelDir = dir.resolve("model");
        try (TrainedModel m = new Trainer().train("fraud", features, FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.XGBOOST).withRounds(trees), new Trainer.Source("simulated", "-"))) {
            m.save(modelDir);
        }
        try (Database db = Database.embedded(dir.resolve("pg"));
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Topics.DEFAULT.create(admin, 2, (short) 1);
            }
            Registry registry = Registry.open(db, new ArtifactStore(dir.resolve("artifacts")), Clock.systemUTC());
            try (ActiveRun run = new RunRecorder(registry, Clock.systemUTC()).start("bench", "bench-api", "bench", null,
                    null, "bench")) {
                run.artifacts(ActiveRun.MODEL_DIR, modelDir);
                try (TrainedModel m = TrainedModel.load(modelDir)) {
                    ModelVersion v = run.registerModel("fraud", m.manifest(), "bench");
                    registry.models().setAlias("fraud", "champion", v.version(), "bench", "bench");
                }
                run.finish();
            }
            out.printf("feeding %,d decisions and their labels to live features...%n", rows.size());
            out.flush();
            feed(kafka, rows);
            try (ServerParts parts = ServerParts.serving(registry, Clock.systemUTC(), null, kafka.bootstrapServers(),
                    Topics.DEFAULT, "fraud", DecisionPolicy.DEFAULT, Duration.ofSeconds(5));
                 RiskloopServer server = RiskloopServer.start(parts, "127.0.0.1", 0)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (!parts.live().status().caughtUp() || parts.live().status().decisionsApplied() < rows.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("live features did not catch up in 5 minutes: "
                                + parts.live().status());
                    }
                    Thread.sleep(100);
                }
                out.printf("live state: %s%n", parts.live().status());
                String key = parts.keys().create("bench", Role.SERVICE, "bench").secret();
                Path script = dir.resolve("score.lua");
                Files.writeString(script, lua(rows, key));
                String url = "http://127.0.0.1:" + server.port();
                out.printf("server %s; wrk %d thread(s), %d s after %d s of warm-up, on %d cores%n", url, threads,
                        seconds, warmup, Runtime.getRuntime().availableProcessors());
                out.flush();
                for (String e : explain) {
                    String path = "/api/v1/score?explain=" + e;
                    for (int c : connections) {
                        wrk(url + path, script, c, warmup, out, null);
                        wrk(url + path, script, c, seconds, out, "explain=" + e + " c=" + c);
                    }
                }
            }
        } finally {
            deleteQuietly(dir);
        }
        return 0;
    }

    private static void feed(EmbeddedKafka kafka, List<LabeledTransaction> rows) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"), new StringSerializer(), new StringSerializer())) {
            Instant now = Instant.now();
            for (LabeledTransaction r : rows) {
                Transaction tx = r.transaction();
                Decision d = new Decision(tx, new double[0], List.of(), 0.0, DecisionType.APPROVE, List.of("-"),
                        "fraud/1", null, null, now);
                p.send(new ProducerRecord<>(Topics.DEFAULT.decisions(), null, tx.timestamp().toEpochMilli(), tx.id(),
                        Records.decision(d)));
                if (r.fraud()) {
                    LabelEvent e = LabelEvent.of(tx, true, tx.timestamp().plus(Duration.ofDays(7)));
                    p.send(new ProducerRecord<>(Topics.DEFAULT.labels(), null, e.knownAt().toEpochMilli(),
                            tx.terminalId(), Records.label(new Records.Label(e, "chargeback", null))));
                }
            }
        }
    }

    /** A wrk script posting 2,000 transactions of the simulated cards and terminals, after the history, in turn. */
    static String lua(List<LabeledTransaction> rows, String key) {
        Random random = new Random(7);
        Instant after = rows.get(rows.size() - 1).transaction().timestamp();
        StringBuilder s = new StringBuilder("-- generated by riskloop bench api\nlocal bodies = {\n");
        for (int i = 0; i < 2_000; i++) {
            Transaction like = rows.get(rows.size() - 1 - random.nextInt(Math.min(rows.size(), 50_000))).transaction();
            Transaction tx = new Transaction("bench-" + i, after.plusSeconds(i), like.cardId(), like.terminalId(),
                    Math.round((like.amount() * (0.5 + random.nextDouble() * 1.5)) * 100) / 100.0);
            s.append("  [[").append(TransactionJson.write(tx)).append("]],\n");
        }
        s.append("}\n");
        s.append("""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                local counter = 0
                request = function()
                  counter = counter + 1
                  return wrk.format(nil, nil, nil, bodies[(counter %% #bodies) + 1])
                end
                local failed = 0
                response = function(status, headers, body)
                  if status ~= 200 then failed = failed + 1 end
                end
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%%d seconds=%%.1f rps=%%.0f p50_ms=%%.2f p90_ms=%%.2f"
                    .. " p99_ms=%%.2f p999_ms=%%.2f max_ms=%%.2f socket_errors=%%d non_2xx=%%d\\n",
                    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
                    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
                    latency:percentile(99.9) / 1000, latency.max / 1000,
                    e.connect + e.read + e.write + e.timeout, e.status))
                end
                """.formatted(key));
        return s.toString();
    }

    private void wrk(String url, Path script, int connections, int duration, PrintWriter out, String label)
            throws Exception {
        List<String> cmd = List.of(wrk, "-t" + Math.min(threads, connections), "-c" + connections, "-d" + duration + "s",
                "--latency",
                "-s", script.toString(), url);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + wrk + " (" + e.getMessage() + "): install it with"
                    + " apt-get install -y wrk, or name it with --wrk", e);
        }
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || result == null) {
            throw new IllegalStateException("wrk failed (exit " + code + ") on " + url);
        }
        if (label != null) {
            out.printf("%-20s %s%n", label, result);
            out.flush();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
