package io.riskloop.stream;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.features.FeatureSet;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.score.Scorers;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import io.riskloop.stream.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.labels.Labeler;
import io.riskloop.stream.sink.StoreSink;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline on a real broker with exactly-once processing: no loss and no duplicate across a restart. */
class PipelineIntegrationTest {

    static final SimulationConfig WORLD = new SimulationConfig(200, 400, 20, LocalDate.of(2018, 4, 1), 20, 5,
            DriftConfig.NONE);

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @RegisterExtension
    static final TestKafka KAFKA = new TestKafka();

    @TempDir
    static Path dir;
    static ServingModels models;

    @BeforeAll
    static void startBroker() throws Exception {
        KAFKA.createTopics(4);
        List<LabeledTransaction> rows = SimulatedData.rows(WORLD);
        var features = SimulatedData.baselineFeatures(WORLD);
        try (TrainedModel m = new Trainer().train("champion", features, FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.XGBOOST).withRounds(20), new Trainer.Source("sim", "x"))) {
            m.save(dir.resolve("model"));
        }
        models = new ServingModels(FeatureSet.BASELINE.names(), Scorers.load(dir.resolve("model"), "champion/1"));
        assertThat(rows).hasSizeGreaterThan(1000);
    }

    @Test
    void everyTransactionGetsExactlyOneDecisionOrADeadLetterAcrossARestart() throws Exception {
        DecisionStore store = new DecisionStore(POSTGRES.database(), Clock.systemUTC());
        SimpleMeterRegistry sinkMeters = new SimpleMeterRegistry();
        StoreSink sink = new StoreSink(KAFKA.bootstrapServers(), "store-sink", store, Topics.DEFAULT, Clock.systemUTC())
                .bindTo(sinkMeters).start();
        List<LabeledTransaction> rows = SimulatedData.rows(WORLD);
        int half = rows.size() / 2;
        int bad = 0;
        DecisionPipeline.Options options = DecisionPipeline.Options.defaults(KAFKA.bootstrapServers(), dir.resolve("state"));
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            DecisionPipeline first = DecisionPipeline.start(options, PipelineConfig.defaults(), models, null,
                    Clock.systemUTC(), new SimpleMeterRegistry());
            for (int i = 0; i < half; i++) {
                var tx = rows.get(i).transaction();
                producer.send(new ProducerRecord<>("transactions", null, tx.timestamp().toEpochMilli(), tx.cardId(),
                        TransactionJson.write(tx)));
                if (i % 500 == 0) {
                    producer.send(new ProducerRecord<>("transactions", "bad", "{\"transaction_id\":\"bad" + i + "\"}"));
                    bad++;
                }
            }
            producer.flush();
            // stop in the middle of the stream: some records are processed, some not yet
            Thread.sleep(300);
            first.close();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            DecisionPipeline second = DecisionPipeline.start(options, PipelineConfig.defaults(), models, null,
                    Clock.systemUTC(), meters);
            for (int i = half; i < rows.size(); i++) {
                var tx = rows.get(i).transaction();
                producer.send(new ProducerRecord<>("transactions", null, tx.timestamp().toEpochMilli(), tx.cardId(),
                        TransactionJson.write(tx)));
            }
            // a duplicate of an early transaction, resent long after: refused, once (too late to check)
            var again = rows.get(3).transaction();
            producer.send(new ProducerRecord<>("transactions", again.cardId(), TransactionJson.write(again)));
            bad++;
            producer.flush();

            Map<String, Integer> decided = new HashMap<>();
            int dead = 0;
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "check");
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("decisions", "transactions.dlq"));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while ((decided.size() < rows.size() || dead < bad) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals("decisions")) {
                            decided.merge(Records.readDecision(r.value()).transaction().id(), 1, Integer::sum);
                        } else {
                            dead++;
                        }
                    }
                }
                // a little longer, to catch any duplicate arriving late
                for (int i = 0; i < 5; i++) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals("decisions")) {
                            decided.merge(Records.readDecision(r.value()).transaction().id(), 1, Integer::sum);
                        } else {
                            dead++;
                        }
                    }
                }
            }
            // the store: one row per decided transaction, one per dead letter, whatever was re-delivered
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((store.counts().get("decisions") < rows.size() || store.counts().get("dead_letters") < bad)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(store.counts()).containsEntry("decisions", (long) rows.size())
                    .containsEntry("dead_letters", (long) bad);
            assertThat(sink.failure()).isNull();

            // a label reaches the store and the pipeline's terminal state
            var fraud = rows.stream().filter(LabeledTransaction::fraud).findFirst().orElseThrow().transaction();
            long before = second.metrics().labelsApplied();
            Labeler labeler = new Labeler(store, producer, Topics.DEFAULT, Clock.systemUTC());
            labeler.label(fraud.id(), true, "chargeback", "bank", null, fraud.timestamp().plus(Duration.ofDays(7)));
            assertThat(store.find(fraud.id()).orElseThrow().trueLabel()).isTrue();
            assertThat(store.unpublishedLabels(10)).isEmpty();
            while (second.metrics().labelsApplied() == before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(second.metrics().labelsApplied()).isEqualTo(before + 1);
            // the published meters say what the pipeline and the sink counted
            assertThat(sinkMeters.get("riskloop.store.stored").functionCounter().count()).isEqualTo((double) sink.stored());
            assertThat(sinkMeters.get("riskloop.store.lag").timer().count()).isEqualTo(sink.stored());
            assertThat(sinkMeters.get("riskloop.store.write").timer().count()).isPositive();
            long decidedBySecond = second.metrics().decided();
            assertThat(decidedBySecond).isPositive();
            assertThat(meters.find("riskloop.pipeline.decisions").functionCounters().stream()
                    .mapToDouble(FunctionCounter::count).sum()).isEqualTo((double) decidedBySecond);
            assertThat(meters.get("riskloop.pipeline.decide").timer().count()).isEqualTo(decidedBySecond);
            assertThat(meters.get("riskloop.pipeline.score").summary().count()).isEqualTo(decidedBySecond);
            assertThat(meters.get("riskloop.pipeline.labels.applied").functionCounter().count())
                    .isEqualTo((double) second.metrics().labelsApplied());
            assertThat(meters.get("riskloop.model.info").tag("alias", "champion").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("riskloop.pipeline.consumer.lag.records").gauge().value()).isGreaterThanOrEqualTo(0);
            sink.close();
            second.close();
            assertThat(decided).hasSize(rows.size());
            assertThat(decided.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                    .as("decided more than once (the resent one is %s; dead letters %d of %d)", again.id(), dead, bad)
                    .isEmpty();
            assertThat(dead).isEqualTo(bad);
        }
    }
}
