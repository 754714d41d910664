package io.riskloop.server.monitor;

import io.riskloop.core.domain.Decision;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.store.decisions.DeadLetter;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter spike rule on a real store: raised when the share of dead letters between rounds passes the bound. */
class OperationalChecksTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    static final Instant T = Instant.parse("2018-04-01T12:00:00Z");

    @Test
    void aDeadLetterSpikeIsRaisedOnceWhileItLastsAndAgainAfterItCleared() {
        DecisionStore store = new DecisionStore(POSTGRES.database(), Clock.fixed(T, ZoneOffset.UTC));
        OperationalChecks checks = new OperationalChecks(store, null, Topics.DEFAULT, "riskloop-decisions",
                MonitorConfig.DEFAULT);
        assertThat(checks.check(T, "fraud")).as("the first round only takes the counts").isEmpty();

        decide(store, 0, 1_000);
        deadLetters(store, 0, 5);
        assertThat(checks.check(T, "fraud")).as("0.5 %: under the 1 % bound").isEmpty();

        decide(store, 1_000, 1_000);
        deadLetters(store, 5, 40);
        List<LoopEvent> spike = checks.check(T, "fraud");
        assertThat(spike).extracting(LoopEvent::kind).containsExactly("dead_letter_spike");
        assertThat(((Number) spike.getFirst().details().get("dead_letters")).longValue()).isEqualTo(40);
        assertThat(MonitorLoop.isAlert(spike.getFirst())).isTrue();

        decide(store, 2_000, 1_000);
        deadLetters(store, 45, 40);
        assertThat(checks.check(T, "fraud")).as("still spiking: raised once").isEmpty();

        decide(store, 3_000, 1_000);
        assertThat(checks.check(T, "fraud")).as("cleared").isEmpty();
        deadLetters(store, 85, 30);
        assertThat(checks.check(T, "fraud")).extracting(LoopEvent::kind).containsExactly("dead_letter_spike");
    }

    private static void decide(DecisionStore store, int from, int n) {
        List<Decision> batch = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            Transaction tx = new Transaction("t" + i, T.plusSeconds(i), "card-" + i % 50, "term-1", 10, Map.of());
            batch.add(new Decision(tx, new double[] {10}, List.of("TX_AMOUNT"), 0.1, DecisionType.APPROVE,
                    List.of("score below review"), "fraud/1", null, null, T.plusSeconds(i)));
        }
        store.storeDecisions(batch);
    }

    private static void deadLetters(DecisionStore store, int from, int n) {
        List<DeadLetter> letters = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            letters.add(new DeadLetter("transactions", 0, i, "amount", "not a number", "{}", T));
        }
        store.storeDeadLetters(letters);
    }
}
