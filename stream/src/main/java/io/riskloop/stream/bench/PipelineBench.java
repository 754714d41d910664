package io.riskloop.stream.bench;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.features.FeatureReplay;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.features.LabelTiming;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.score.Scorers;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.store.Database;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.ServingModels;
import io.riskloop.stream.Topics;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.broker.EmbeddedKafka;
import io.riskloop.stream.replay.SimulationStream;
import io.riskloop.stream.sink.StoreSink;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The end-to-end load harness: the embedded broker and PostgreSQL, the decision pipeline and the store sink in
 * this JVM, fed with the simulator's book world. Measures produce-to-stored latency at given rates, the sustained
 * throughput when producing as fast as possible, and, in the same run, raw Kafka produce-to-consume throughput of
 * the same records as the ceiling.
 */
public final class PipelineBench {

    /**
     * @param rates    rates (tx/s) at which latency is measured
     * @param duration how long each phase runs
     * @param dir      working directory (broker logs, database, state); deleted by the caller
     * @param commitInterval the pipeline's commit interval
     * @param streamThreads  the pipeline's stream threads
     */
    public record Options(List<Integer> rates, Duration duration, Path dir, Duration commitInterval,
                          int streamThreads) {
    }

    /** One rate's latency. */
    /**
     * Latencies at one rate, from the producer's send: until the decision is readable on the decisions topic
     * (delivered: the figure the targets are about), and until it is stored in PostgreSQL.
     */
    public record Latency(int rate, double achievedPerSecond, long p50Millis, long p99Millis, long maxMillis,
                          long storedP50Millis, long storedP99Millis, long decidedP50Millis, long decidedP99Millis) {
    }

    /**
     * @param sustainedPerSecond decisions stored per second while producing as fast as possible
     * @param latencies          produce-to-stored latency per rate
     * @param kafkaCeiling       records per second produced and consumed by plain clients on the same broker
     */
    public record Result(double sustainedPerSecond, List<Latency> latencies, double kafkaCeiling) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sustained_tx_per_s", Math.round(sustainedPerSecond));
            Latency top = latencies.isEmpty() ? null : latencies.getLast();
            m.put("p50_ms", top == null ? null : top.p50Millis());
            m.put("p99_ms", top == null ? null : top.p99Millis());
            m.put("kafka_ceiling_msgs_per_s", Math.round(kafkaCeiling));
            List<Map<String, Object>> per = new ArrayList<>();
            for (Latency l : latencies) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("rate", l.rate());
                r.put("achieved_tx_per_s", Math.round(l.achievedPerSecond()));
                r.put("p50_ms", l.p50Millis());
                r.put("p99_ms", l.p99Millis());
                r.put("max_ms", l.maxMillis());
                r.put("stored_p50_ms", l.storedP50Millis());
                r.put("stored_p99_ms", l.storedP99Millis());
                r.put("decided_p50_ms", l.decidedP50Millis());
                r.put("decided_p99_ms", l.decidedP99Millis());
                per.add(r);
            }
            m.put("latency_by_rate", per);
            return m;
        }
    }

    private PipelineBench() {
    }

    public static Result run(Options o, Consumer<String> progress) throws Exception {
        Files.createDirectories(o.dir());
        SimulationConfig world = SimulationConfig.book();
        progress.accept("training a model on the simulated world's first weeks");
        ServingModels models = new ServingModels(FeatureSet.BASELINE.names(), trainModel(world, o.dir()));
        progress.accept("starting the embedded broker and database");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(o.dir().resolve("kafka"), 0);
             Database db = Database.embedded(o.dir().resolve("pg"))) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Topics.DEFAULT.create(admin, 4, (short) 1);
                admin.createTopics(List.of(new NewTopic("bench.ceiling", 4, (short) 1))).all().get();
            }
            DecisionStore store = new DecisionStore(db, Clock.systemUTC());
            try (DecisionPipeline pipeline = DecisionPipeline.start(DecisionPipeline.Options.defaults(bootstrap,
                    o.dir().resolve("streams")).tuned(o.commitInterval(), o.streamThreads()), PipelineConfig.defaults(), models, null, Clock.systemUTC(),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
                 StoreSink sink = new StoreSink(bootstrap, "bench-sink", store, Topics.DEFAULT, Clock.systemUTC()).start();
                 KafkaProducer<String, String> producer = producer(bootstrap);
                 SimulationStream history = new SimulationStream(world, 0)) {
                List<Transaction> ceilingSample = new ArrayList<>();
                for (int i = 0; i < 50_000 && history.hasNext(); i++) {
                    ceilingSample.add(history.next().transaction());
                }
                List<Latency> latencies = new ArrayList<>();
                // warm-up: a few seconds at a moderate rate, not measured
                progress.accept("warming up");
                send(history, producer, 1000, Duration.ofSeconds(5), Long.MAX_VALUE);
                drain(sink, pipeline, Duration.ofSeconds(30));
                sink.takeLatencies();
                sink.takeDecideLatencies();
                sink.takeDeliverLatencies();
                for (int rate : o.rates()) {
                    progress.accept("latency at " + rate + " tx/s");
                    long t0 = System.nanoTime();
                    long sent = send(history, producer, rate, o.duration(), Long.MAX_VALUE);
                    double achieved = sent / ((System.nanoTime() - t0) / 1e9);
                    drain(sink, pipeline, Duration.ofSeconds(60));
                    Histogram stored = sink.takeLatencies();
                    Histogram decided = sink.takeDecideLatencies();
                    Histogram delivered = sink.takeDeliverLatencies();
                    latencies.add(new Latency(rate, achieved, delivered.getValueAtPercentile(50),
                            delivered.getValueAtPercentile(99), delivered.getMaxValue(), stored.getValueAtPercentile(50),
                            stored.getValueAtPercentile(99), decided.getValueAtPercentile(50),
                            decided.getValueAtPercentile(99)));
                }
                progress.accept("sustained throughput, producing as fast as possible");
                long before = sink.stored();
                long t0 = System.nanoTime();
                send(history, producer, Integer.MAX_VALUE, o.duration(), SUSTAINED_BACKLOG);
                drain(sink, pipeline, Duration.ofMinutes(5));
                double sustained = (sink.stored() - before) / ((System.nanoTime() - t0) / 1e9);
                progress.accept("Kafka ceiling");
                double ceiling = ceiling(bootstrap, ceilingSample, 500_000);
                return new Result(sustained, latencies, ceiling);
            }
        } finally {
            models.close();
        }
    }

    private static io.riskloop.model.score.ScoringModel trainModel(SimulationConfig world, Path dir) throws Exception {
        List<LabeledTransaction> rows = new Simulator(world).before(world.startDate().plusDays(45));
        FeatureMatrix all = FeatureReplay.replay(rows, FeatureSet.BASELINE,
                LabelTiming.fraudKnownAfter(Duration.ofDays(7)), FeatureReplay.Progress.NONE);
        try (TrainedModel m = new Trainer().train("bench", all, FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.XGBOOST), new Trainer.Source("simulation", "-"))) {
            m.save(dir.resolve("model"));
        }
        return Scorers.load(dir.resolve("model"), "bench/1");
    }

    /**
     * At most this many records in the sustained phase: unthrottled, the producer outruns the pipeline many times
     * over, and the figure is the pipeline's rate through the backlog (stored over the time until it is drained).
     */
    static final long SUSTAINED_BACKLOG = 400_000;

    /** Sends at {@code rate} (tx/s; MAX_VALUE: unthrottled) for {@code duration}, at most {@code most}; returns how many. */
    private static long send(SimulationStream history, KafkaProducer<String, String> producer, int rate,
                             Duration duration, long most) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long n = 0;
        while (System.nanoTime() < end && n < most && history.hasNext()) {
            if (rate != Integer.MAX_VALUE) {
                long due = start + (long) (n * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Transaction tx = history.next().transaction();
            Map<String, String> a = new HashMap<>(tx.attributes());
            a.put(StoreSink.SENT_AT, Long.toString(System.currentTimeMillis()));
            Transaction stamped = new Transaction(tx.id(), tx.timestamp(), tx.cardId(), tx.terminalId(), tx.amount(), a);
            producer.send(new ProducerRecord<>(Topics.DEFAULT.transactions(), null, tx.timestamp().toEpochMilli(),
                    tx.cardId(), TransactionJson.write(stamped)));
            n++;
        }
        producer.flush();
        return n;
    }

    /** Waits until everything received is stored or dead-lettered. */
    private static void drain(StoreSink sink, DecisionPipeline pipeline, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long stable = 0;
        long last = -1;
        while (System.nanoTime() < end) {
            long received = pipeline.metrics().received();
            long done = sink.stored() + pipeline.metrics().deadLettered();
            if (done >= received && received == last) {
                if (++stable >= 5) {
                    return;
                }
            } else {
                stable = 0;
            }
            last = received;
            Thread.sleep(100);
        }
    }

    private static double ceiling(String bootstrap, List<Transaction> sample, int records) throws Exception {
        List<String> values = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Transaction tx : sample) {
            values.add(TransactionJson.write(tx));
            keys.add(tx.cardId());
        }
        long t0 = System.nanoTime();
        Thread consumer = new Thread(() -> {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-ceiling");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of("bench.ceiling"));
                long seen = 0;
                while (seen < records) {
                    seen += c.poll(Duration.ofMillis(100)).count();
                }
            }
        });
        consumer.start();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.ceiling", keys.get(i % keys.size()), values.get(i % values.size())));
            }
            producer.flush();
        }
        consumer.join();
        return records / ((System.nanoTime() - t0) / 1e9);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
