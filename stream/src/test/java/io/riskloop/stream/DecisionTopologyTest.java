package io.riskloop.stream;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.model.TrainedModel;
import io.riskloop.model.Trainer;
import io.riskloop.model.score.ModelInfo;
import io.riskloop.model.score.ScoringModel;
import io.riskloop.model.score.Scorers;
import io.riskloop.model.train.Algorithm;
import io.riskloop.model.train.TrainingParams;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The topology under TopologyTestDriver: parity with the offline replay, dead letters, rules. */
class DecisionTopologyTest {

    /** A small world: 300 cards, 600 terminals, 50 days. */
    static final SimulationConfig WORLD = new SimulationConfig(300, 600, 50, LocalDate.of(2018, 4, 1),
            5 * Math.sqrt(600.0 / 300 * 10000 / 10000 * 16.67), 11, DriftConfig.NONE);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static List<LabeledTransaction> rows;
    static FeatureMatrix offline;
    static ScoringModel model;

    @TempDir
    static Path modelDir;

    TopologyTestDriver driver;
    TestInputTopic<String, String> transactions;
    TestInputTopic<String, String> labels;
    TestOutputTopic<String, String> decisions;
    TestOutputTopic<String, String> alerts;
    TestOutputTopic<String, String> dlq;
    PipelineMetrics metrics;

    @BeforeAll
    static void trainOnTheFirstWeeks() throws Exception {
        rows = SimulatedData.rows(WORLD);
        offline = FeatureReplay.replay(rows, FeatureSet.BASELINE, LabelTiming.fraudKnownAfter(Duration.ofDays(7)),
                FeatureReplay.Progress.NONE);
        int[] firstMonth = java.util.stream.IntStream.range(0, rows.size())
                .filter(i -> rows.get(i).transaction().timestamp().isBefore(Instant.parse("2018-05-01T00:00:00Z")))
                .toArray();
        try (TrainedModel m = new Trainer().train("champion", offline.select(firstMonth), FeatureSet.BASELINE,
                TrainingParams.defaults(Algorithm.XGBOOST).withRounds(40), new Trainer.Source("sim", "x"))) {
            m.save(modelDir);
        }
        model = Scorers.load(modelDir, "champion/1");
    }

    @BeforeEach
    void start() {
        start(PipelineConfig.defaults());
    }

    void start(PipelineConfig config) {
        if (driver != null) {
            driver.close();
        }
        metrics = new PipelineMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        ServingModels models = new ServingModels(FeatureSet.BASELINE.names(), model);
        CardTokenizer tokenizer = new CardTokenizer(new byte[32]);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "riskloop-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(DecisionTopology.build(config, models, tokenizer, CLOCK, metrics), p);
        Topics t = config.topics();
        transactions = driver.createInputTopic(t.transactions(), Serdes.String().serializer(), Serdes.String().serializer());
        labels = driver.createInputTopic(t.labels(), Serdes.String().serializer(), Serdes.String().serializer());
        decisions = driver.createOutputTopic(t.decisions(), Serdes.String().deserializer(), Serdes.String().deserializer());
        alerts = driver.createOutputTopic(t.alerts(), Serdes.String().deserializer(), Serdes.String().deserializer());
        dlq = driver.createOutputTopic(t.deadLetters(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(Transaction tx) {
        transactions.pipeInput(tx.cardId(), TransactionJson.write(tx), tx.timestamp());
    }

    @Test
    void onlineFeaturesAndScoresEqualTheOfflineReplayExactly() {
        // Replay the whole history as a bank would see it: transactions in time order, and each fraud's label on
        // the labels topic 7 days later (chargebacks), interleaved by time.
        List<LabeledTransaction> pending = new ArrayList<>();
        int p = 0;
        for (LabeledTransaction lt : rows) {
            Instant t = lt.transaction().timestamp();
            while (p < pending.size() && !pending.get(p).transaction().timestamp().plus(Duration.ofDays(7)).isAfter(t)) {
                LabeledTransaction f = pending.get(p++);
                Instant known = f.transaction().timestamp().plus(Duration.ofDays(7));
                labels.pipeInput(f.transaction().terminalId(), Records.label(new Records.Label(
                        LabelEvent.of(f.transaction(), true, known), "chargeback", null)), known);
            }
            send(lt.transaction());
            if (lt.fraud()) {
                pending.add(lt);
            }
        }
        Map<String, Decision> byId = new HashMap<>();
        decisions.readValuesToList().forEach(v -> {
            Decision d = Records.readDecision(v);
            byId.put(d.transaction().id(), d);
        });
        assertThat(byId).hasSize(rows.size());
        assertThat(dlq.isEmpty()).isTrue();
        float[] row = new float[offline.columns()];
        int alertsExpected = 0;
        for (int i = 0; i < rows.size(); i++) {
            Decision d = byId.get(rows.get(i).transaction().id());
            for (int j = 0; j < offline.columns(); j++) {
                assertThat((float) d.features()[j]).as("row %d feature %s", i, offline.names().get(j))
                        .isEqualTo(offline.get(i, j));
                row[j] = offline.get(i, j);
            }
            assertThat(d.score()).as("row %d score", i).isEqualTo(model.score(row));
            assertThat(d.modelVersion()).isEqualTo("champion/1");
            alertsExpected += d.decision() != DecisionType.APPROVE ? 1 : 0;
        }
        assertThat(alerts.getQueueSize()).isEqualTo(alertsExpected).isPositive();
        assertThat(metrics.decided()).isEqualTo(rows.size());
        assertThat(metrics.labelsApplied()).isPositive();
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        Instant t = Instant.parse("2018-04-02T10:00:00Z");
        transactions.pipeInput("c1", "{not json", t);
        transactions.pipeInput("c1", "{\"transaction_id\":\"a\",\"timestamp\":\"yesterday\",\"card_id\":\"c1\","
                + "\"terminal_id\":\"t1\",\"amount\":5}", t);
        transactions.pipeInput("c1", "{\"transaction_id\":\"b\",\"timestamp\":\"2018-04-02T10:00:00Z\",\"card_id\":\"c1\","
                + "\"terminal_id\":\"t1\",\"amount\":-5}", t);
        transactions.pipeInput("c1", "{\"transaction_id\":\"c\",\"timestamp\":\"2018-04-02T10:00:00Z\","
                + "\"terminal_id\":\"t1\",\"amount\":5}", t);
        transactions.pipeInput("c1", "{\"transaction_id\":\"d\",\"timestamp\":\"2018-04-02T10:00:00Z\",\"card_id\":\"c1\","
                + "\"terminal_id\":\"t1\",\"amount\":5}", t);
        transactions.pipeInput("c1", "{\"transaction_id\":\"d\",\"timestamp\":\"2018-04-02T10:00:05Z\",\"card_id\":\"c1\","
                + "\"terminal_id\":\"t1\",\"amount\":6}", t);
        transactions.pipeInput("c1", null, t);
        labels.pipeInput("t1", "{\"transaction_id\":\"d\"}", t);

        List<JsonNode> dead = new ArrayList<>();
        for (String v : dlq.readValuesToList()) {
            dead.add(StreamJson.MAPPER.readTree(v));
        }
        assertThat(dead).extracting(n -> n.get("field").asText()).containsExactly("(record)", "timestamp", "amount",
                "card_id", "transaction_id", "(record)", "(record)");
        assertThat(dead.get(4).get("reason").asText()).contains("duplicate transaction id 'd'");
        assertThat(dead.get(2).get("reason").asText()).contains("out of range");
        assertThat(dead).allSatisfy(n -> assertThat(n.get("source_topic").asText()).isIn("transactions", "labels"));
        assertThat(dead.get(6).get("source_topic").asText()).isEqualTo("labels");
        assertThat(decisions.readValuesToList()).hasSize(1);
        assertThat(metrics.deadLettered()).isEqualTo(7);
        assertThat(metrics.received()).isEqualTo(7);
    }

    @Test
    void cardNumbersAreTokenisedAndNeverForwarded() {
        String pan = "4111111111111111";
        Instant t = Instant.parse("2018-04-02T10:00:00Z");
        // the terminal-keyed topic between the stages is riskloop's own: it must not carry the number either
        TestOutputTopic<String, byte[]> byTerminal = driver.createOutputTopic(PipelineConfig.defaults().topics()
                .byTerminal(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        java.io.PrintStream err = System.err;
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        try {
            transactions.pipeInput("k", "{\"transaction_id\":\"x1\",\"timestamp\":\"2018-04-02T10:00:00Z\",\"card_number\":\""
                    + pan + "\",\"terminal_id\":\"t1\",\"amount\":500000}", t);
            transactions.pipeInput("k", "{\"transaction_id\":\"x2\",\"timestamp\":\"2018-04-02T10:00:00Z\",\"card_number\":\""
                    + pan + "\",\"terminal_id\":\"t1\",\"amount\":-1}", t);
            transactions.pipeInput("k", "{\"transaction_id\":\"x3\",\"card_number\":\"" + pan + "\",", t);
            transactions.pipeInput("k", "{\"transaction_id\":\"x4\",\"timestamp\":\"2018-04-02T10:00:00Z\",\"card_number\":\""
                    + pan + "\",\"card_id\":\"tok_x\",\"terminal_id\":\"t1\",\"amount\":5}", t);
        } finally {
            System.setErr(err);
            System.setOut(stdout);
        }
        assertThat(logged.toString(java.nio.charset.StandardCharsets.UTF_8)).as("what the pipeline logged")
                .doesNotContain(pan);
        assertThat(byTerminal.readValuesToList()).isNotEmpty()
                .allSatisfy(v -> assertThat(new String(v, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(pan));
        List<String> decided = decisions.readValuesToList();
        List<String> dead = dlq.readValuesToList();
        assertThat(decided).hasSize(1);
        assertThat(dead).hasSize(3);
        assertThat(Records.readDecision(decided.getFirst()).transaction().cardId()).startsWith("tok_");
        List<String> out = new ArrayList<>(decided);
        out.addAll(dead);
        out.addAll(alerts.readValuesToList());
        assertThat(String.join("\n", out)).doesNotContain(pan);
    }

    @Test
    void rulesAndThresholdsDecideAndSayWhy() {
        Transaction base = rows.get(100).transaction();
        // scores only decide at 1.0 here, so the rules show
        DecisionPolicy policy = new DecisionPolicy(1.0, 1.0, java.util.Set.of("vip"), java.util.Set.of("stolen"),
                java.util.Set.of(), 100, 5_000);
        start(PipelineConfig.defaults().withPolicy(policy));
        send(new Transaction("r1", base.timestamp(), "vip", "t", 9_999));
        send(new Transaction("r2", base.timestamp(), "stolen", "t", 10));
        send(new Transaction("r3", base.timestamp(), "someone", "t", 150));
        send(new Transaction("r4", base.timestamp(), "someone", "t", 6_000));
        List<Decision> ds = decisions.readValuesToList().stream().map(Records::readDecision).toList();
        assertThat(ds).extracting(Decision::decision).containsExactly(DecisionType.APPROVE, DecisionType.DECLINE,
                DecisionType.REVIEW, DecisionType.DECLINE);
        assertThat(ds.get(0).reasons()).containsExactly("card on the allow list");
        assertThat(ds.get(1).reasons()).contains("card on the block list");
        assertThat(ds.get(2).reasons()).anyMatch(r -> r.startsWith("amount 150.00 at or above the review limit"));
        assertThat(alerts.readValuesToList()).hasSize(3);
    }

    @Test
    void theChallengerIsScoredInShadowAndTheChampionCanBeReplacedWhileRunning() throws Exception {
        ServingModels models = new ServingModels(FeatureSet.BASELINE.names(), model);
        metrics = new PipelineMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "riskloop-test-2");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver.close();
        driver = new TopologyTestDriver(DecisionTopology.build(PipelineConfig.defaults(), models, null, CLOCK, metrics), p);
        transactions = driver.createInputTopic("transactions", Serdes.String().serializer(), Serdes.String().serializer());
        decisions = driver.createOutputTopic("decisions", Serdes.String().deserializer(), Serdes.String().deserializer());
        ScoringModel other = Scorers.load(modelDir, "challenger/2");
        models.challenger(other);
        send(rows.get(0).transaction());
        ScoringModel next = Scorers.load(modelDir, "champion/3");
        models.promote(next);
        send(rows.get(1).transaction());
        List<Decision> ds = decisions.readValuesToList().stream().map(Records::readDecision).toList();
        assertThat(ds.get(0).modelVersion()).isEqualTo("champion/1");
        assertThat(ds.get(0).challengerVersion()).isEqualTo("challenger/2");
        assertThat(ds.get(0).challengerScore()).isEqualTo(ds.get(0).score()); // same model file
        assertThat(ds.get(1).modelVersion()).isEqualTo("champion/3");
        ModelInfo wrong = new ModelInfo("x", List.of("a"), "v", "h");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> models.promote(new ScoringModel() {
            public ModelInfo info() {
                return wrong;
            }

            public double score(float[] row) {
                return 0;
            }

            public void scoreBatch(float[] v, int r, double[] o) {
            }

            public io.riskloop.model.score.Explanation explain(float[] row) {
                return null;
            }
        })).hasMessageContaining("but the pipeline computes");
    }

    @Test
    void inAnAbTestTheChallengerDecidesForItsShareOfCardsAndEachCardStaysInItsArm() throws Exception {
        ServingModels models = new ServingModels(FeatureSet.BASELINE.names(), model);
        metrics = new PipelineMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "riskloop-test-ab");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver.close();
        PipelineConfig config = PipelineConfig.defaults().withAbShare(0.3);
        driver = new TopologyTestDriver(DecisionTopology.build(config, models, null, CLOCK, metrics), p);
        transactions = driver.createInputTopic("transactions", Serdes.String().serializer(), Serdes.String().serializer());
        decisions = driver.createOutputTopic("decisions", Serdes.String().deserializer(), Serdes.String().deserializer());
        models.challenger(Scorers.load(modelDir, "challenger/2"));
        for (LabeledTransaction lt : rows.subList(0, 3_000)) {
            send(lt.transaction());
        }
        List<Decision> ds = decisions.readValuesToList().stream().map(Records::readDecision).toList();
        assertThat(ds).hasSize(3_000);
        Map<String, java.util.Set<String>> armsOfCard = new HashMap<>();
        for (Decision d : ds) {
            String card = d.transaction().cardId();
            assertThat(d.modelVersion()).isEqualTo(config.challengerArm(card) ? "challenger/2" : "champion/1");
            assertThat(d.challengerVersion()).isEqualTo(config.challengerArm(card) ? "champion/1" : "challenger/2");
            armsOfCard.computeIfAbsent(card, c -> new java.util.HashSet<>()).add(d.modelVersion());
        }
        assertThat(armsOfCard.values()).allSatisfy(arms -> assertThat(arms).hasSize(1));
        long inB = armsOfCard.keySet().stream().filter(config::challengerArm).count();
        assertThat((double) inB / armsOfCard.size()).isBetween(0.2, 0.4);
    }

    @net.jqwik.api.Property(tries = 20)
    void theArmOfACardIsItsHashBelowTheShare(@net.jqwik.api.ForAll @net.jqwik.api.constraints.DoubleRange(min = 0.05,
            max = 0.5) double share) {
        PipelineConfig c = PipelineConfig.defaults().withAbShare(share);
        int n = 20_000;
        int inB = 0;
        for (int i = 0; i < n; i++) {
            String card = "card-" + i;
            assertThat(c.challengerArm(card)).isEqualTo(c.challengerArm(card));
            inB += c.challengerArm(card) ? 1 : 0;
        }
        // binomial: 20,000 draws, four standard deviations at most
        double sd = Math.sqrt(n * share * (1 - share));
        assertThat((double) inB).isBetween(n * share - 4 * sd, n * share + 4 * sd);
        assertThat(PipelineConfig.defaults().challengerArm("card-1")).isFalse();
    }
}
