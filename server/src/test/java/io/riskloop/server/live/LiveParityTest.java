package io.riskloop.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.LabelEvent;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.features.FeatureMatrix;
import io.riskloop.core.testkit.SimulatedData;
import io.riskloop.server.StackAccess;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.Records;
import io.riskloop.stream.TransactionJson;
import io.riskloop.stream.broker.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live features against the offline replay: the decisions and labels the pipeline would have published, up to a
 * point in a simulated history, go through the real topics; {@code POST /api/v1/score} for the transaction at that
 * point must show exactly the features the training replay computed for it. Several points, fed in turn.
 */
class LiveParityTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static StackAccess stack;

    @BeforeAll
    static void start() throws Exception {
        stack = StackAccess.start(POSTGRES.database(), dir, false);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void scoresSeeTheFeaturesTheReplayComputedAtTheSamePoint() throws Exception {
        List<LabeledTransaction> rows = StackAccess.rows();
        FeatureMatrix replay = SimulatedData.baselineFeatures(StackAccess.WORLD);
        LiveFeatures live = stack.live();
        int[] cuts = {rows.size() * 2 / 5, rows.size() * 11 / 20, rows.size() * 7 / 10, rows.size() * 17 / 20,
                rows.size() - 1};
        List<LabelEvent> frauds = new ArrayList<>();
        for (LabeledTransaction r : rows) {
            if (r.fraud()) {
                frauds.add(LabelEvent.of(r.transaction(), true, r.transaction().timestamp().plus(Duration.ofDays(7))));
            }
        }
        frauds.sort((a, b) -> a.knownAt().compareTo(b.knownAt()));
        int fed = 0;
        int labelled = 0;
        int compared = 0;
        try (KafkaProducer<String, String> producer = producer(stack.kafka())) {
            for (int cut : cuts) {
                Transaction at = rows.get(cut).transaction();
                for (; fed < cut; fed++) {
                    Transaction tx = rows.get(fed).transaction();
                    Decision d = new Decision(tx, new double[0], List.of(), 0.01, DecisionType.APPROVE, List.of("-"),
                            "fraud/1", null, null, Instant.now());
                    producer.send(new ProducerRecord<>("decisions", null, tx.timestamp().toEpochMilli(), tx.id(),
                            Records.decision(d)));
                }
                // labels known by then, as the labeler publishes them: keyed by terminal, at the time they became known
                for (; labelled < frauds.size() && !frauds.get(labelled).knownAt().isAfter(at.timestamp()); labelled++) {
                    LabelEvent e = frauds.get(labelled);
                    producer.send(new ProducerRecord<>("labels", null, e.knownAt().toEpochMilli(), e.terminalId(),
                            Records.label(new Records.Label(e, "chargeback", null))));
                }
                producer.flush();
                int decisions = fed;
                int labels = labelled;
                StackAccess.await(decisions + " decisions and " + labels + " labels applied", () -> {
                    LiveFeatures.Status s = live.status();
                    return s.decisionsApplied() == decisions && s.labelsApplied() == labels && s.pendingLabels() == 0;
                });

                int before = live.state().entities();
                double[] direct = live.state().features(at);
                JsonNode scored = stack.score(TransactionJson.write(at));
                JsonNode features = scored.get("features");
                for (int j = 0; j < replay.columns(); j++) {
                    String name = replay.names().get(j);
                    JsonNode v = features.get(name);
                    float live32 = v.isNull() ? Float.NaN : (float) v.asDouble();
                    assertThat(live32).as("%s of %s (row %d)", name, at.id(), cut).isEqualTo(replay.get(cut, j));
                }
                compared++;
                // scoring changed nothing: same features again, no new entity, nothing applied
                assertThat(live.state().features(at)).containsExactly(direct);
                assertThat(live.state().entities()).isEqualTo(before);
                assertThat(live.status().decisionsApplied()).isEqualTo(decisions);
                assertThat(stack.score(TransactionJson.write(at)).get("features")).isEqualTo(features);
            }
        }
        assertThat(compared).isEqualTo(cuts.length);
        assertThat(live.status().labelsUnmatched()).isZero();
        assertThat(labelled).as("label-aware features were exercised").isGreaterThan(10);
        // the terminal risk features were not all zero at the points compared (else the labels proved nothing)
        boolean risky = false;
        int risk = replay.names().indexOf("TERMINAL_ID_RISK_30DAY_WINDOW");
        for (int cut : cuts) {
            risky |= replay.get(cut, risk) > 0;
        }
        assertThat(risky).isTrue();
    }

    static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
    }
}
