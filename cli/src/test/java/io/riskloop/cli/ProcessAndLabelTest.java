package io.riskloop.cli;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.simulate.DriftConfig;
import io.riskloop.core.simulate.SimulationConfig;
import io.riskloop.core.simulate.Simulator;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.Records;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.broker.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** `riskloop process` and `riskloop label` against a real broker and database. */
class ProcessAndLabelTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private String[] db(String... args) {
        List<String> l = new ArrayList<>(List.of(args));
        l.addAll(List.of("--db", POSTGRES.jdbcUrl(), "--data-dir", dir.toString()));
        return l.toArray(String[]::new);
    }

    @Test
    void processDecidesWhatArrivesAndLabelsFlowBack() throws Exception {
        SimulationConfig world = new SimulationConfig(200, 400, 45, LocalDate.of(2018, 4, 1), 20, 3, DriftConfig.NONE);
        Path csv = dir.resolve("world.csv");
        assertThat(CliTest.run("simulate", "--customers", "200", "--terminals", "400", "--days", "45", "--radius", "20",
                "--seed", "3", "--out", csv.toString()).exit()).isZero();
        CliTest.Result trained = CliTest.run(db("train", "--data", csv.toString(), "--train-start", "2018-04-20",
                "--train-days", "14", "--delay-days", "0", "--test-days", "3", "--alias", "champion",
                "--out", dir.resolve("m").toString()));
        assertThat(trained.exit()).as(trained.err()).isZero();

        List<LabeledTransaction> rows = new ArrayList<>();
        new Simulator(world).run(t -> rows.add(t.toLabeled()), Simulator.Progress.NONE);
        List<LabeledTransaction> some = rows.subList(0, 3000);
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // Not idempotent: on the single embedded broker an idempotent producer here was seen meeting another
        // producer's sequence numbers under its id right after the topics appeared (OUT_OF_ORDER_SEQUENCE_NUMBER
        // forever); one request in flight keeps the order, and the pipeline refuses a resent duplicate anyway.
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        pp.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        Thread process = new Thread(() -> CliTest.run(db("process", "--kafka", kafka.bootstrapServers(),
                "--duration", "15s", "--state-dir", dir.resolve("streams").toString(), "--http-port", "0")));
        process.start();
        DecisionStore store = new DecisionStore(POSTGRES.database(), Clock.systemUTC());
        // topics appear once process has started
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            while (System.nanoTime() < deadline) {
                try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers",
                        kafka.bootstrapServers()))) {
                    if (admin.listTopics().names().get().contains("decisions")) {
                        // all of them exist now; this waits until their partitions have leaders
                        io.riskloop.stream.Topics.DEFAULT.create(admin, 1, (short) 1);
                        break;
                    }
                }
                Thread.sleep(200);
            }
            for (LabeledTransaction lt : some) {
                var tx = lt.transaction();
                producer.send(new ProducerRecord<>("transactions", null, tx.timestamp().toEpochMilli(), tx.cardId(),
                        TransactionJson.write(tx)));
            }
            producer.flush();
        }
        while (store.counts().get("decisions") < some.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(store.counts()).containsEntry("decisions", (long) some.size());

        String id = some.get(10).transaction().id();
        CliTest.Result labelled = CliTest.run(db("label", id, "--genuine", "--comment", "customer confirmed",
                "--actor", "ana", "--kafka", kafka.bootstrapServers()));
        assertThat(labelled.exit()).as(labelled.err()).isZero();
        assertThat(labelled.out()).contains("labelled " + id + " genuine");
        assertThat(store.find(id).orElseThrow().trueLabel()).isFalse();

        Path chargebacks = dir.resolve("chargebacks.csv");
        Files.writeString(chargebacks, "transaction_id,fraud,known_at\n" + some.get(20).transaction().id()
                + ",1,2018-04-09T00:00:00Z\nnope,1,\n" + some.get(21).transaction().id() + ",maybe,\n");
        CliTest.Result imported = CliTest.run(db("label", "--chargebacks", chargebacks.toString(), "--kafka",
                kafka.bootstrapServers()));
        assertThat(imported.exit()).isEqualTo(2);
        assertThat(imported.out()).contains("labelled 1 transactions");
        assertThat(imported.err()).contains(chargebacks + ":3: no decision is stored for transaction 'nope'",
                chargebacks + ":4: column 'fraud': 'maybe' is not 1 or 0");
        assertThat(store.labels(some.get(20).transaction().id())).singleElement()
                .satisfies(l -> assertThat(l.source()).isEqualTo("chargeback"));

        // both labels reached the labels topic, with the transaction's terminal as key
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "check-labels");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Records.Label> labels = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("labels"));
            while (labels.size() < 2 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> labels.add(Records.readLabel(r.value())));
            }
        }
        assertThat(labels).extracting(l -> l.event().transactionId())
                .containsExactly(id, some.get(20).transaction().id());
        process.join(60_000);
    }
}
