package io.riskloop.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.riskloop.stream.Records;
import io.riskloop.stream.Topics;
import io.riskloop.stream.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out: two processor instances (as two `riskloop process` run them: same application id, their own state
 * directories) share the partitions of one broker's topics; one stops in the middle of the stream, the other takes
 * its partitions over, and every transaction still ends with exactly one decision, on the topic and in PostgreSQL.
 */
class ScaleOutTest {

    static final int PARTITIONS = 4;
    static final int TRANSACTIONS = 4_000;

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @RegisterExtension
    static final TestKafka KAFKA = new TestKafka();

    @TempDir
    static Path dir;

    @Test
    void twoInstancesShareThePartitionsAndOneTakesOverWhenTheOtherStops() throws Exception {
        SmallWorld world = SmallWorld.of(40, 11);
        world.trainChampion(world.simulate(dir), LocalDate.of(2018, 4, 15), POSTGRES.jdbcUrl(), dir, "--trees", "20");
        List<Transaction> sent = world.transactions(TRANSACTIONS);

        Registry registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")),
                Clock.systemUTC());
        CardTokenizer tokenizer = CardTokenizer.fromEnvironmentOrFile(dir.resolve("token.key"));
        String bootstrap = KAFKA.bootstrapServers();
        String group = DecisionPipeline.Options.defaults(bootstrap, dir).applicationId();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Admin admin = KAFKA.admin();
             PipelineRole first = PipelineRole.start(registry,
                     DecisionPipeline.Options.defaults(bootstrap, dir.resolve("first")), "fraud",
                     PipelineConfig.defaults(), PARTITIONS, tokenizer, metrics);
             ProcessorEndpoints endpoints = ProcessorEndpoints.start("127.0.0.1", 0, first.pipeline()::state,
                     first.sink()::failure, metrics);
             KafkaProducer<String, String> producer = KAFKA.producer()) {
            PipelineRole second = PipelineRole.start(registry,
                    DecisionPipeline.Options.defaults(bootstrap, dir.resolve("second")), "fraud",
                    PipelineConfig.defaults(), PARTITIONS, tokenizer,
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            try {
                // both instances are in the group, each with some of the transactions topic's partitions
                await("two members sharing the partitions", () -> {
                    Map<String, Set<Integer>> owned = transactionPartitions(admin, group);
                    return owned.size() == 2 && owned.values().stream().noneMatch(Set::isEmpty)
                            && first.pipeline().state() == KafkaStreams.State.RUNNING
                            && second.pipeline().state() == KafkaStreams.State.RUNNING;
                });
                assertThat(transactionPartitions(admin, group).values().stream().mapToInt(Set::size).sum())
                        .isEqualTo(PARTITIONS);
                assertThat(readiness(endpoints)).isEqualTo(200);

                int half = TRANSACTIONS / 2;
                SmallWorld.send(producer, sent.subList(0, half));
                await("both instances deciding", () -> first.pipeline().metrics().decided() > 0
                        && second.pipeline().metrics().decided() > 0);
            } finally {
                // stopped in the middle of the stream: some of what was sent is decided, some not yet
                second.close();
            }
            long decidedBySecond = second.pipeline().metrics().decided();
            assertThat(decidedBySecond).isPositive().isLessThan(TRANSACTIONS);

            await("the first instance owning every partition", () -> {
                Map<String, Set<Integer>> owned = transactionPartitions(admin, group);
                return owned.size() == 1 && owned.values().iterator().next().size() == PARTITIONS;
            });
            SmallWorld.send(producer, sent.subList(TRANSACTIONS / 2, TRANSACTIONS));

            Map<String, Long> rows = new HashMap<>();
            await("a decision row for every transaction", () -> {
                rows.clear();
                rows.putAll(decisionRows());
                return rows.size() >= TRANSACTIONS;
            });
            assertThat(first.sink().failure()).isNull();
            Set<String> ids = sent.stream().map(Transaction::id).collect(Collectors.toSet());
            assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(rows.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                    .as("transactions with more than one decision row").isEmpty();
            Map<String, Integer> onTopic = decisionsOnTopic(bootstrap, TRANSACTIONS);
            assertThat(onTopic.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(onTopic.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                    .as("transactions decided more than once (the second instance decided %d before it stopped)",
                            decidedBySecond).isEmpty();
            assertThat(first.pipeline().metrics().decided() + decidedBySecond).isGreaterThanOrEqualTo(TRANSACTIONS);
            assertThat(readiness(endpoints)).isEqualTo(200);
        }
    }

    /** Each member of the pipeline's consumer group with the partitions of the transactions topic it owns. */
    private static Map<String, Set<Integer>> transactionPartitions(Admin admin, String group) throws Exception {
        Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(group)).all().get()
                .get(group).members();
        Map<String, Set<Integer>> owned = new HashMap<>();
        for (MemberDescription m : members) {
            owned.put(m.consumerId(), m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.DEFAULT.transactions()))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet()));
        }
        return owned;
    }

    /** Decision rows per transaction id in PostgreSQL. */
    private static Map<String, Long> decisionRows() {
        return POSTGRES.database().withConnection(c -> {
            Map<String, Long> rows = new HashMap<>();
            try (var s = c.createStatement();
                 ResultSet r = s.executeQuery("select transaction_id, count(*) from decisions group by transaction_id")) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getLong(2));
                }
            }
            return rows;
        });
    }

    /** Committed decisions on the decisions topic per transaction id, read until {@code expected} ids and a bit more. */
    private static Map<String, Integer> decisionsOnTopic(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "scale-out-check");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> decided = new HashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(Topics.DEFAULT.decisions()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (decided.size() < expected || quietPolls < 3)) {
                var records = c.poll(Duration.ofMillis(200));
                quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, String> r : records) {
                    decided.merge(Records.readDecision(r.value()).transaction().id(), 1, Integer::sum);
                }
            }
        }
        return decided;
    }

    private static int readiness(ProcessorEndpoints endpoints) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port()
                + "/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
