package io.riskloop.cli;

import io.riskloop.core.domain.Transaction;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.Records;
import io.riskloop.stream.Topics;
import io.riskloop.stream.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
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

    @RegisterExtension
    static final TestKafka KAFKA = new TestKafka();

    @TempDir
    static Path dir;

    private String[] db(String... args) {
        List<String> l = new ArrayList<>(List.of(args));
        l.addAll(List.of("--db", POSTGRES.jdbcUrl(), "--data-dir", dir.toString()));
        return l.toArray(String[]::new);
    }

    @Test
    void processDecidesWhatArrivesAndLabelsFlowBack() throws Exception {
        SmallWorld world = SmallWorld.of(45, 3);
        Path csv = world.simulate(dir);
        world.trainChampion(csv, LocalDate.of(2018, 4, 20), POSTGRES.jdbcUrl(), dir);
        List<Transaction> some = world.transactions(3000);

        Thread process = new Thread(() -> CliTest.run(db("process", "--kafka", KAFKA.bootstrapServers(),
                "--duration", "15s", "--state-dir", dir.resolve("streams").toString(), "--http-port", "0")));
        process.start();
        DecisionStore store = new DecisionStore(POSTGRES.database(), Clock.systemUTC());
        // the topics appear once process has started; the producer comes after their leaders
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = KAFKA.admin()) {
            while (!admin.listTopics().names().get().contains(Topics.DEFAULT.decisions())
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        KAFKA.createTopics(1); // all of them exist now: this waits until their partitions have leaders
        try (KafkaProducer<String, String> producer = KAFKA.producer()) {
            SmallWorld.send(producer, some);
        }
        while (store.counts().get("decisions") < some.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(store.counts()).containsEntry("decisions", (long) some.size());

        // lineage from a decision: the version that decided it, its run and its dataset
        CliTest.Result lineage = CliTest.run(db("models", "lineage", "--transaction", some.get(5).id()));
        assertThat(lineage.exit()).as(lineage.err()).isZero();
        assertThat(lineage.out()).contains("transaction    " + some.get(5).id() + " decided", "by fraud/1",
                "model version  fraud v1", "run ", "dataset        snapshot");
        CliTest.Result unknown = CliTest.run(db("models", "lineage", "--transaction", "no-such-tx"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no decision is stored for transaction 'no-such-tx'");

        String id = some.get(10).id();
        CliTest.Result labelled = CliTest.run(db("label", id, "--genuine", "--comment", "customer confirmed",
                "--actor", "ana", "--kafka", KAFKA.bootstrapServers()));
        assertThat(labelled.exit()).as(labelled.err()).isZero();
        assertThat(labelled.out()).contains("labelled " + id + " genuine");
        assertThat(store.find(id).orElseThrow().trueLabel()).isFalse();

        Path chargebacks = dir.resolve("chargebacks.csv");
        Files.writeString(chargebacks, "transaction_id,fraud,known_at\n" + some.get(20).id()
                + ",1,2018-04-09T00:00:00Z\nnope,1,\n" + some.get(21).id() + ",maybe,\n");
        CliTest.Result imported = CliTest.run(db("label", "--chargebacks", chargebacks.toString(), "--kafka",
                KAFKA.bootstrapServers()));
        assertThat(imported.exit()).isEqualTo(2);
        assertThat(imported.out()).contains("labelled 1 transactions");
        assertThat(imported.err()).contains(chargebacks + ":3: no decision is stored for transaction 'nope'",
                chargebacks + ":4: column 'fraud': 'maybe' is not 1 or 0");
        assertThat(store.labels(some.get(20).id())).singleElement()
                .satisfies(l -> assertThat(l.source()).isEqualTo("chargeback"));

        // both labels reached the labels topic, with the transaction's terminal as key
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
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
                .containsExactly(id, some.get(20).id());
        process.join(60_000);
    }
}
